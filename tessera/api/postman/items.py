"""One Postman request per schema operation: its body sampled from the request schema, and the
test script that checks the answer against what the schema documents for that operation."""

from __future__ import annotations

import json
import uuid
from typing import Any

NAMESPACE = uuid.UUID("5f0c8a9e-4f8e-4d59-9a57-6f3c4c1e7a11")
JSON_HEADER = [{"key": "Content-Type", "value": "application/json"}]


def var(name: str) -> str:
    """A Postman variable reference: `{{name}}`."""
    return "{{" + name + "}}"


def bearer(token_variable: str) -> dict[str, Any]:
    return {
        "type": "bearer",
        "bearer": [{"key": "token", "value": var(token_variable), "type": "string"}],
    }


NO_AUTH: dict[str, Any] = {"type": "noauth"}


def item(
    *,
    name: str,
    method: str,
    url: str,
    tests: list[str],
    auth: dict[str, Any],
    body: Any = None,
    description: str = "",
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": method.upper(),
        "header": list(JSON_HEADER) if body is not None else [],
        "url": "{{baseUrl}}" + url,
        "auth": auth,
    }
    if description:
        request["description"] = description
    if body is not None:
        request["body"] = {
            "mode": "raw",
            "raw": body if isinstance(body, str) else json.dumps(body, indent=2),
            "options": {"raw": {"language": "json"}},
        }
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"{method} {url} {name}")),
        "name": name,
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": tests}}],
        "request": request,
    }


def request_item(
    schema: dict[str, Any],
    *,
    path: str,
    method: str,
    operation: dict[str, Any],
    url: str,
    captures: dict[str, str],
) -> dict[str, Any]:
    documented = sorted(int(code) for code in operation.get("responses", {}) if code.isdigit())
    success = next((code for code in documented if code < 300), None)
    required = _required_fields(schema, operation, success)
    secured = any(requirement for requirement in operation.get("security", [{}]))
    body = None
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = sample(schema, content["application/json"].get("schema", {}))
    return item(
        name=f"{method.upper()} {path}",
        method=method,
        url=url,
        tests=_tests(documented, required, captures),
        auth=bearer("adminToken") if secured else NO_AUTH,
        body=body,
        description=operation.get("summary") or operation.get("description", "")[:300],
    )


def _tests(documented: list[int], required: list[str], captures: dict[str, str]) -> list[str]:
    lines = [
        f"const documented = {json.dumps(documented)};",
        "pm.test('the status is one the schema documents', () => {",
        "  pm.expect(documented).to.include(pm.response.code);",
        "});",
        "pm.test('no server error', () => pm.expect(pm.response.code).to.be.below(500));",
        "const isJson = (pm.response.headers.get('Content-Type') || '').includes('json');",
        "if (pm.response.code >= 400 && isJson) {",
        "  pm.test('an error is a problem document with a code', () => {",
        "    const problem = pm.response.json();",
        "    pm.expect(problem.code).to.be.a('string');",
        "    pm.expect(problem.status).to.eql(pm.response.code);",
        "  });",
        "}",
    ]
    if required:
        lines += [
            "if (pm.response.code < 300 && isJson) {",
            f"  const required = {json.dumps(required)};",
            "  pm.test('the required fields are there', () => {",
            "    const body = pm.response.json();",
            "    required.forEach((field) => pm.expect(body).to.have.property(field));",
            "  });",
            "}",
        ]
    for variable, field in captures.items():
        lines += [
            "if (pm.response.code === 200 && isJson) {",
            "  const first = (pm.response.json().results || [])[0];",
            f"  if (first && first['{field}'] != null && !pm.environment.get('{variable}')) {{",
            f"    pm.collectionVariables.set('{variable}', first['{field}']);",
            "  }",
            "}",
        ]
    return lines


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        node = schema["components"]["schemas"][name]
    return node


def _required_fields(
    schema: dict[str, Any], operation: dict[str, Any], success: int | None
) -> list[str]:
    if success is None:
        return []
    response = operation["responses"].get(str(success), {})
    body = response.get("content", {}).get("application/json", {}).get("schema")
    if not body:
        return []
    node = _resolve(schema, body)
    return list(node.get("required", [])) if node.get("type", "object") == "object" else []


def sample(schema: dict[str, Any], node: dict[str, Any], depth: int = 0) -> Any:
    """A value that fits `node`: required properties only, the first enum value or example,
    `false` for booleans (a flag that confirms something destructive is never set)."""
    node = _resolve(schema, node)
    for key in ("oneOf", "anyOf"):
        if node.get(key):
            return sample(schema, node[key][0], depth)
    if node.get("allOf"):
        merged: dict[str, Any] = {}
        for part in node["allOf"]:
            value = sample(schema, part, depth)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if "example" in node:
        return node["example"]
    if node.get("enum"):
        return next((value for value in node["enum"] if value not in ("", None)), None)
    kind = node.get("type", "object")
    if kind == "object" and depth < 4:
        properties = node.get("properties", {})
        return {
            name: sample(schema, properties[name], depth + 1)
            for name in node.get("required", [])
            if name in properties and not properties[name].get("readOnly")
        }
    if kind == "array":
        return [sample(schema, node.get("items", {}), depth + 1)] if depth < 4 else []
    if kind == "integer":
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return float(node.get("minimum", 1))
    if kind == "boolean":
        return False
    return _sample_string(node)


def _sample_string(node: dict[str, Any]) -> str:
    formats = {
        "date-time": "2030-01-07T10:00:00Z",
        "date": "2030-01-07",
        "time": "10:00:00",
        "email": "newman@example.com",
        "uri": "http://127.0.0.1:9/hook",
        "uuid": "00000000-0000-4000-8000-000000000000",
    }
    value = formats.get(node.get("format", ""), "example")
    return value[: node["maxLength"]] if "maxLength" in node else value
