"""Where settings come from: the process environment, plus `.env` for local use.

An empty value (`DATABASE_URL=` in .env) means "use the default", as if it were not set.
Imported first by every settings module.
"""

import os
from pathlib import Path

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
