"""RFC 9457 problem documents: the one shape of every error the API returns."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_type(code: str) -> str:
    """A stable URI per code; `docs/api-errors.md` lists every code."""
    return f"urn:tessera:problem:{code}"


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
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
    body.update(extra)
    return body


def problem_response(
    *, status: int, code: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> JsonResponse:
    """A plain Django response, for errors raised outside DRF (404 routes, 500s, middleware)."""
    return JsonResponse(
        problem_body(
            status=status, code=code, title=title, detail=detail, instance=instance, **extra
        ),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
