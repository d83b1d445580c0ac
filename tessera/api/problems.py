"""RFC 9457 problem documents: the one shape of every error the API returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_type(code: str) -> str:
    """A stable URI per code; `docs/api-errors.md` lists every code."""
    return f"urn:tessera:problem:{code}"


_MEMBERS = frozenset({"type", "title", "status", "detail", "code", "instance", "errors", "data"})


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    for key, value in (extra or {}).items():
        if key in _MEMBERS:  # a domain error's data never overwrites the problem's own members
            body.setdefault("data", {})[key] = value
        else:
            body[key] = value
    return body


def problem_response(
    *, status: int, code: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> JsonResponse:
    """A plain Django response, for errors raised outside DRF (404 routes, 500s, middleware)."""
    return JsonResponse(
        problem_body(
            status=status, code=code, title=title, detail=detail, instance=instance, extra=extra
        ),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
