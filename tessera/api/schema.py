"""OpenAPI glue: every operation documents the problem documents it can answer with."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import permissions, serializers


class ProblemFieldError(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Dotted path of the field, or null.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `required`.")
    message = serializers.CharField()


class Problem(serializers.Serializer):
    """RFC 9457 problem details, with Tessera's stable `code`."""

    type = serializers.CharField(help_text="`urn:tessera:problem:<code>`")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="A message a person can act on.")
    code = serializers.CharField(
        help_text="Stable machine-readable code (`slot_unavailable`, `seat_taken`, …)."
    )
    instance = serializers.CharField(required=False, help_text="The request path.")
    # A declared field: DRF's metaclass moves it out of the class, so `.errors` is not shadowed.
    errors = ProblemFieldError(  # type: ignore[assignment]
        many=True, required=False, help_text="Field errors (400)."
    )


_DESCRIPTIONS = {
    "400": "Invalid input (`invalid` with field `errors`, `malformed_body`).",
    "401": "Missing or invalid credentials (`not_authenticated`, `token_not_valid`).",
    "403": "Not allowed (`permission_denied`).",
    "404": "Not found (`not_found`).",
    "409": "Conflicts with the current state (see `code`).",
    "413": "Body too large (`request_too_large`).",
    "415": "Not JSON (`unsupported_media_type`).",
    "429": "Too many requests (`throttled`, see `Retry-After`).",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the problem responses that apply to an operation to its documented responses.

    A view lists its domain conflicts with `problem_statuses = {"POST": [409]}` or in
    `extend_schema(responses=...)`; the generic ones (400, 401, 403, 404, 413, 415, 429) are
    derived from the method, the path and the view's permissions and throttles.
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        problem_ref = self.resolve_serializer(Problem(), "response").ref
        for code in self._problem_statuses():
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS.get(code, "Error."),
                    "content": {"application/problem+json": {"schema": problem_ref}},
                },
            )
        return responses

    def _problem_statuses(self) -> list[str]:
        codes: set[str] = set()
        method = self.method.upper()
        if method in ("POST", "PUT", "PATCH"):
            codes |= {"400", "413", "415"}
        elif self.get_filter_backends() or self._is_list_view():
            codes.add("400")
        if method == "GET" and self._is_list_view() and self._get_paginator():
            codes.add("404")  # a page that does not exist (`?page=0`, past the last)
        if "{" in self.path:
            codes.add("404")
        view_permissions = self.view.get_permissions()
        if not all(isinstance(p, permissions.AllowAny) for p in view_permissions):
            codes |= {"401", "403"}
        if self.view.get_throttles():
            codes.add("429")
        extra = getattr(self.view, "problem_statuses", {})
        codes |= {str(c) for c in extra.get(method, [])}
        return sorted(codes)


class JWTScheme(OpenApiAuthenticationExtension):
    target_class = "tessera.accounts.authentication.JWTAuthentication"
    name = "jwtAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "An access token from `POST /api/auth/token/`, or one signed by the configured "
                "external auth service."
            ),
        }
