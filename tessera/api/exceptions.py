"""The DRF exception handler: every error becomes a problem document with a stable `code`."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from tessera.core.errors import DatabaseUnavailable, DomainError, LockTimeout
from tessera.core.locking import is_lock_failure

from .problems import PROBLEM_CONTENT_TYPE, problem_body

logger = logging.getLogger(__name__)

# DRF's own codes, renamed where DRF's name says less than it should.
_CODE_RENAMES = {"parse_error": "malformed_body", "error": "invalid"}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def flatten_errors(detail: Any, path: str = "") -> list[dict[str, Any]]:
    """Turn DRF's nested error detail into a flat list of `{field, code, message}`.

    Nested fields are dotted (`seat_ids.2`, `rules.buffer_before`); errors that belong to no
    single field have `field: null`.
    """
    if isinstance(detail, dict):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            out.extend(flatten_errors(value, f"{path}.{name}" if path and name else path or name))
        return out
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [_leaf(item, path) for item in detail]
        out = []
        for index, item in enumerate(detail):
            if item:
                out.extend(flatten_errors(item, f"{path}.{index}" if path else str(index)))
        return out
    return [_leaf(detail, path)]


def _leaf(item: Any, path: str) -> dict[str, Any]:
    code = getattr(item, "code", None) or "invalid"
    return {"field": path or None, "code": code, "message": str(item)}


def _titled(status_code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def _from_domain_error(exc: DomainError) -> tuple[int, dict[str, Any], dict[str, str]]:
    extra = dict(exc.data)
    errors = None
    if exc.field:
        errors = [{"field": exc.field, "code": exc.code, "message": exc.message}]
    body = problem_body(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.message,
        errors=errors,
        extra=extra,
    )
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
    return exc.status, body, headers


def _coerce(exc: Exception) -> Exception:
    """Map Django's and the database's exceptions onto DRF's, so one path renders them."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(str(exc) or "Malformed request.")
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    # A lock wait that timed out, or a deadlock PostgreSQL broke by rolling us back: either way
    # nothing was written and a retry will do, so it is a 409 with Retry-After, not a 500.
    if isinstance(exc, OperationalError) and is_lock_failure(exc):
        return LockTimeout()
    # Any other operational error is the connection (dropped, refused, pool exhausted): the
    # transaction died with it, so nothing was written; the client retries after a pause.
    if is_database_outage(exc):
        logger.error("Database unavailable: %s", exc)
        return DatabaseUnavailable()
    return exc


def is_database_outage(exc: BaseException) -> bool:
    """A lost or refused database connection (not a lock wait, not a bad query)."""
    if isinstance(exc, InterfaceError):
        return True
    return isinstance(exc, OperationalError) and not is_lock_failure(exc)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _coerce(exc)
    request = context.get("request")
    instance = request.path if request is not None else None

    if isinstance(exc, DomainError):
        status_code, body, headers = _from_domain_error(exc)
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        if isinstance(exc, exceptions.ValidationError):
            errors = flatten_errors(exc.detail)
            body = problem_body(
                status=status_code,
                code="invalid",
                title="Invalid input",
                detail=_validation_summary(errors),
                errors=errors,
            )
        else:
            code, detail = _code_and_detail(exc)
            body = problem_body(
                status=status_code, code=code, title=_titled(status_code), detail=detail
            )
    else:
        return None  # not ours: the middleware turns it into a logged 500 problem

    if instance:
        body["instance"] = instance
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _code_and_detail(exc: exceptions.APIException) -> tuple[str, str]:
    detail = exc.detail
    if isinstance(detail, dict):
        # simplejwt puts {"detail", "code", "messages"} here.
        code = str(detail.get("code") or exc.get_codes() or exc.default_code)
        message = str(detail.get("detail") or exc.default_detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(detail)
    code = _CODE_RENAMES.get(code, code)
    return code, message


def _validation_summary(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return "The input is invalid."
    first = errors[0]
    where = f"{first['field']}: " if first["field"] else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}{first['message']}{more}"
