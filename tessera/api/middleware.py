"""Keeps `/api/` answering in problem documents, also where DRF never runs.

- a body over the configured limit is refused (413) before anything reads it: DRF's JSON
  parser reads the stream directly, so Django's own limit would not apply;
- Django's HTML error pages (an unknown route, a CSRF failure, a 500) become problem documents;
- a lost database connection is a 503 `database_unavailable` with `Retry-After`;
- any other unhandled exception is logged (and reported to Sentry, through Django's signal) and
  answered with a 500 problem that leaks nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse

from tessera.core.errors import DatabaseUnavailable

from .exceptions import is_database_outage
from .problems import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger("django.request")

_DEFAULT_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    500: "server_error",
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_api(request):
            return self.get_response(request)
        too_large = self._refuse_large_body(request)
        if too_large is not None:
            return too_large
        response = self.get_response(request)
        return self._as_problem(request, response)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        if is_database_outage(exception):
            logger.error(
                "Database unavailable on %s %s: %s", request.method, request.path, exception
            )
            outage = DatabaseUnavailable()
            response = problem_response(
                status=outage.status,
                code=outage.code,
                title=outage.title,
                detail=outage.message,
                instance=request.path,
            )
            response["Retry-After"] = str(outage.retry_after)
            return response
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        got_request_exception.send(sender=type(self), request=request)
        return problem_response(
            status=500,
            code="server_error",
            title="Internal Server Error",
            detail="Something went wrong on our side. It has been logged.",
            instance=request.path,
        )

    @staticmethod
    def _refuse_large_body(request: HttpRequest) -> HttpResponse | None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return problem_response(
                status=400,
                code="bad_request",
                title="Bad Request",
                detail="The Content-Length header is not a number.",
                instance=request.path,
            )
        if limit is not None and length > limit:
            return problem_response(
                status=413,
                code="request_too_large",
                title="Content Too Large",
                detail=f"The request body is {length} bytes; the limit is {limit} bytes.",
                instance=request.path,
                limit=limit,
            )
        return None

    @staticmethod
    def _as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith((PROBLEM_CONTENT_TYPE, "application/json")):
            return response
        status = response.status_code
        code = _DEFAULT_CODES.get(status, "error")
        if status == 404:
            detail = f"There is no API endpoint at {request.path}."
        elif status == 403 and "CSRF" in response.content.decode(errors="ignore")[:2000]:
            code, detail = (
                "csrf_failed",
                "CSRF check failed: send a JWT instead of a session cookie.",
            )
        else:
            detail = response.reason_phrase
        problem = problem_response(
            status=status,
            code=code,
            title=response.reason_phrase,
            detail=detail,
            instance=request.path,
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                problem[header] = response[header]
        return problem
