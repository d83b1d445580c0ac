"""The Postman collection generator: every schema operation is in it once, every request has
assertions, bodies follow the request schemas, and `--check` tells stale files from current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from drf_spectacular.generators import SchemaGenerator

from tessera.api.postman.collection import SKIPPED, build_collection
from tessera.api.postman.items import sample

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def requests_of(folder: dict[str, Any]) -> list[dict[str, Any]]:
    return list(folder["item"])


def test_every_operation_is_in_its_resource_folder_once(schema: dict[str, Any]) -> None:
    collection = build_collection(schema)
    folders = {folder["name"]: requests_of(folder) for folder in collection["item"]}
    names = [item["name"] for name, items in folders.items() if name != "Flow" for item in items]
    expected = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in METHODS and (method, path) not in SKIPPED
    ]
    assert sorted(names) == sorted(expected)
    assert len(names) == len(set(names))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS and (method, path) not in SKIPPED:
                tag = operation["tags"][0]
                assert f"{method.upper()} {path}" in [i["name"] for i in folders[tag]]
    assert next(iter(folders)) == "Flow"


def test_every_request_asserts_something(schema: dict[str, Any]) -> None:
    for folder in build_collection(schema)["item"]:
        for item in folder["item"]:
            script = "\n".join(item["event"][0]["script"]["exec"])
            assert "pm.test(" in script, item["name"]
            assert item["request"]["url"].startswith("{{baseUrl}}/api/"), item["name"]
            assert "{" not in item["request"]["url"].replace("{{", "").replace("}}", "")


def test_documented_statuses_are_the_assertion(schema: dict[str, Any]) -> None:
    folders = {f["name"]: f["item"] for f in build_collection(schema)["item"]}
    me = next(i for i in folders["users"] if i["name"] == "GET /api/users/me/")
    documented = sorted(int(c) for c in schema["paths"]["/api/users/me/"]["get"]["responses"])
    assert f"const documented = {json.dumps(documented)};" in me["event"][0]["script"]["exec"]
    assert me["request"]["auth"]["type"] == "bearer"


def test_sample_follows_required_read_only_and_never_sets_a_flag() -> None:
    schema = {
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id", "name", "count", "when", "confirm", "kind"],
                    "properties": {
                        "id": {"type": "integer", "readOnly": True},
                        "name": {"type": "string", "maxLength": 3},
                        "count": {"type": "integer", "minimum": 2},
                        "when": {"type": "string", "format": "date-time"},
                        "confirm": {"type": "boolean"},
                        "kind": {"enum": ["", "room", "court"]},
                        "optional": {"type": "string"},
                    },
                }
            }
        }
    }
    body = sample(schema, {"$ref": "#/components/schemas/Thing"})
    assert body == {
        "name": "exa",
        "count": 2,
        "when": "2030-01-07T10:00:00Z",
        "confirm": False,
        "kind": "room",
    }


def test_check_fails_on_stale_files_and_passes_once_written(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="out of date"):
        call_command("postman_collection", "--out", str(tmp_path), "--check")
    call_command("postman_collection", "--out", str(tmp_path))
    call_command("postman_collection", "--out", str(tmp_path), "--check")
    collection = tmp_path / "tessera.postman_collection.json"
    collection.write_text(collection.read_text().replace("status 201", "status 200"))
    with pytest.raises(CommandError, match=r"tessera\.postman_collection\.json"):
        call_command("postman_collection", "--out", str(tmp_path), "--check")
