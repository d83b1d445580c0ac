"""Where settings come from: the process environment, plus `.env` for local use.

An empty value (`DATABASE_URL=` in .env) means "use the default", as if it were not set.
Imported first by every settings module.
"""

import os
from pathlib import Path
from urllib.parse import quote

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
ENV_FILE = env.str("TESSERA_ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)
# An empty value (`DATABASE_URL=` in .env) means "use the default", as if it were not set.
for _name in [name for name, value in os.environ.items() if value == ""]:
    del os.environ[_name]

DATA_DIR = Path(env.str("DATA_DIR", default="data"))
if not DATA_DIR.is_absolute():
    DATA_DIR = BASE_DIR / DATA_DIR


# The variables the old Event Booking Platform configured PostgreSQL with. DATABASE_URL wins.
LEGACY_DB_VARIABLES = ("DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST", "DB_PORT")


def legacy_database_url() -> str | None:
    """A PostgreSQL URL built from `DB_NAME`, `DB_USER`, `DB_PASSWORD`, `DB_HOST`, `DB_PORT`.

    None when none of them is set. Any of them without `DB_NAME` is a configuration error:
    silently running on SQLite instead of the database the operator named loses data.
    """
    given = {name: os.environ[name] for name in LEGACY_DB_VARIABLES if name in os.environ}
    if not given:
        return None
    if "DB_NAME" not in given:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{', '.join(sorted(given))} set without DB_NAME: set DB_NAME too, or use "
            "DATABASE_URL (see .env.example)."
        )
    port = given.get("DB_PORT", "5432")
    if not port.isdigit():
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"DB_PORT must be a number, not {port!r}.")
    user = quote(given.get("DB_USER", ""), safe="")
    password = quote(given.get("DB_PASSWORD", ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = given.get("DB_HOST", "localhost")
    return f"postgres://{credentials}{host}:{port}/{quote(given['DB_NAME'], safe='')}"
