"""The Postman collection of the API, generated from the OpenAPI schema (never edited by hand).

`build_collection(schema)` returns a Postman v2.1 collection:
- first the folder "Flow" (`flow.py`): sign in as the demo users (tokens captured into the
  environment by test scripts), then the documented payloads of the earlier systems: register,
  book a time, cancel, create a venue and an event, book places, the booking history;
- then one folder per resource (the schema's tags), with every operation of the schema. Each
  request asserts that its status is one the schema documents for it, never a server error,
  that a success carries the response schema's required fields, and that an error is a problem
  document whose `status` is the HTTP status. A list captures the id of its first item for the
  requests after it, unless the flow already chose one.

Output is deterministic (ids are UUID5 of the operation), so `manage.py postman_collection
--check` can tell whether the committed files are up to date.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .flow import flow_folder
from .items import NAMESPACE, request_item, var

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
# Folders in the order a reader (and the run) meets them; tags not named here follow, sorted.
TAG_ORDER = [
    "auth",
    "users",
    "resources",
    "availability",
    "bookings",
    "walkins",
    "venues",
    "halls",
    "events",
    "shows",
    "notifications",
    "analytics",
]
# Operations left out of the run: they end the session the rest of the run signs in with.
SKIPPED: set[tuple[str, str]] = {
    ("post", "/api/auth/token/blacklist/"),
    ("post", "/api/users/me/sign-out-everywhere/"),
}


def build_collection(schema: dict[str, Any]) -> dict[str, Any]:
    folders: dict[str, list[dict[str, Any]]] = {}
    operations = []
    for path, path_item in schema.get("paths", {}).items():
        for method, operation in path_item.items():
            if method in METHOD_ORDER and (method, path) not in SKIPPED:
                operations.append((path, method, operation))
    operations.sort(key=lambda op: (METHOD_ORDER[op[1]], op[0].count("{"), op[0]))
    for path, method, operation in operations:
        tag = (operation.get("tags") or ["other"])[0]
        folders.setdefault(tag, []).append(_schema_item(schema, path, method, operation))
    ordered = sorted(
        folders,
        key=lambda tag: (TAG_ORDER.index(tag) if tag in TAG_ORDER else len(TAG_ORDER), tag),
    )
    info = schema.get("info", {})
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(NAMESPACE, "tessera-collection")),
            "name": f"{info.get('title', 'Tessera')} {info.get('version', '')}".strip(),
            "description": (
                "Generated from the OpenAPI schema by `manage.py postman_collection`: do not edit."
                " Import it with tessera.postman_environment.json; set baseUrl and the demo "
                "passwords there."
            ),
            "schema": SCHEMA_URL,
        },
        "item": [
            flow_folder(),
            *({"name": tag, "item": folders[tag]} for tag in ordered),
        ],
    }


def build_environment() -> dict[str, Any]:
    values = {
        "baseUrl": "http://127.0.0.1:8000",
        "customerUsername": "alice",
        "organizerUsername": "olga",
        "demoPassword": "tessera-demo-2026",
        "adminUsername": "admin",
        "adminPassword": "",
        "customerToken": "",
        "customerRefresh": "",
        "organizerToken": "",
        "adminToken": "",
    }
    return {
        "id": str(uuid.uuid5(NAMESPACE, "tessera-environment")),
        "name": "Tessera (local)",
        "values": [
            {"key": key, "value": value, "type": "secret" if "Token" in key else "default"}
            for key, value in values.items()
        ],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _schema_item(
    schema: dict[str, Any], path: str, method: str, operation: dict[str, Any]
) -> dict[str, Any]:
    segments = path.strip("/").split("/")
    url = "/".join(
        var(_variable(segments[i - 1], seg[1:-1])) if seg.startswith("{") else seg
        for i, seg in enumerate(segments)
    )
    return request_item(
        schema,
        path=path,
        method=method,
        operation=operation,
        url=f"/{url}/",
        captures=_captures(segments, method),
    )


def _name(segment: str) -> str:
    return segment.replace("-", "_")


def _variable(before: str, param: str) -> str:
    """`{id}` after `bookings` is `bookings_id`; `{resource_id}` is `resources_id`; any other
    parameter is named after the segment before it (`{token}` after `holds`: `holds_token`)."""
    if param == "id":
        return f"{_name(before)}_id"
    if param.endswith("_id"):
        return f"{_name(param[:-3])}s_id"
    return f"{_name(before)}_{param}"


def _captures(segments: list[str], method: str) -> dict[str, str]:
    """A list (GET /api/bookings/, GET /api/halls/{id}/seats/) captures the id of its first
    item, for the requests after it: `bookings_id`, `seats_id`."""
    if method != "get" or segments[-1].startswith("{") or len(segments) < 2:
        return {}
    return {f"{_name(segments[-1])}_id": "id"}
