"""`manage.py postman_collection`: the Postman collection and environment, from the schema."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from drf_spectacular.generators import SchemaGenerator

from tessera.api.postman.collection import build_collection, build_environment, dumps

COLLECTION = "tessera.postman_collection.json"
ENVIRONMENT = "tessera.postman_environment.json"


class Command(BaseCommand):
    help = (
        "Write the Postman collection (every operation of the OpenAPI schema, by resource, with "
        "tests) and its environment into a folder; --check only tells whether they are current."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("postman"), help="Folder.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the files in the folder differ from what would be written.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        documents = {
            COLLECTION: dumps(build_collection(schema)),
            ENVIRONMENT: dumps(build_environment()),
        }
        out: Path = options["out"]
        if options["check"]:
            stale = [
                name
                for name, text in documents.items()
                if not (out / name).is_file() or (out / name).read_text() != text
            ]
            if stale:
                raise CommandError(
                    f"out of date in {out}: {', '.join(stale)} "
                    "(run `python manage.py postman_collection`)"
                )
            self.stdout.write(f"{out}: the Postman files are up to date")
            return
        out.mkdir(parents=True, exist_ok=True)
        for name, text in documents.items():
            (out / name).write_text(text)
        self.stdout.write(f"wrote {out / COLLECTION} and {out / ENVIRONMENT}")
