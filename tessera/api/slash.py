"""Every API route answers with and without its trailing slash, for every method.

The earlier systems' clients call `POST /api/bookings` and `PUT /api/bookings/<id>`.
Django's `APPEND_SLASH` would answer those with a redirect (losing a POST body) or, with
DEBUG on, a 500. Instead the request is routed internally to the slashed route: same view,
same body, no redirect. Only paths under `/api/` that do not resolve as they are and do
resolve with a slash are touched; the schema keeps documenting the slashed form.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve


def _resolves(path_info: str, urlconf: str | None) -> bool:
    try:
        resolve(path_info, urlconf)
    except Resolver404:
        return False
    return True


class ApiOptionalSlashMiddleware:
    """Place before `CommonMiddleware`, so that `APPEND_SLASH` never sees these requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path_info = request.path_info
        if path_info.startswith("/api/") and not path_info.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not _resolves(path_info, urlconf) and _resolves(f"{path_info}/", urlconf):
                request.path_info = f"{path_info}/"
                request.path = f"{request.path}/"
        return self.get_response(request)
