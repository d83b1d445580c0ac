from typing import Any, cast

from django.db.models import QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.accounts.permissions import IsStaff
from tessera.api.throttling import ResilientScopedRateThrottle
from tessera.core.errors import NotFound

from ..models import User
from ..roles import ROLE_CHOICES, Role
from ..selectors import user_get_for_actor, user_list
from ..services import (
    user_password_change,
    user_register,
    user_role_grant,
    user_role_revoke,
    user_sign_out_everywhere,
)
from ..tokens import token_pair_issue
from .serializers import (
    PasswordChangeInput,
    RoleGrantInput,
    UserOutput,
    UserRegisterInput,
    UserRegisterOutput,
)
from .tokens import TokenPairOutput


class UserViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Accounts: register, read yourself, and (staff) list users and grant roles."""

    serializer_class = UserOutput
    queryset = User.objects.none()
    ordering_fields = ["id", "username", "date_joined"]

    def get_permissions(self) -> list[Any]:
        if self.action == "create":
            return [AllowAny()]
        if self.action in ("list", "roles", "revoke_role"):
            return [IsAuthenticated(), IsStaff()]
        return [IsAuthenticated()]

    problem_statuses = {"DELETE": [409]}  # revoke_role: the last superuser

    def get_throttles(self) -> list[Any]:
        if self.action == "create":
            self.throttle_scope = "register"
            return [ResilientScopedRateThrottle()]
        if self.action == "password":
            self.throttle_scope = "auth"
            return [ResilientScopedRateThrottle()]
        return []

    def get_queryset(self) -> QuerySet[User]:
        return user_list(actor=self.request.user)

    @extend_schema(
        request=UserRegisterInput,
        responses={201: UserRegisterOutput},
        summary="Register a customer account",
        auth=[],
    )
    def create(self, request: Request) -> Response:
        data = UserRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        return Response(UserRegisterOutput(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Read a user (yourself, or anyone for staff)")
    def retrieve(self, request: Request, pk: str) -> Response:
        user = user_get_for_actor(user_id=_int_id(pk), actor=request.user)
        return Response(UserOutput(user).data)

    @extend_schema(summary="Read the signed-in user")
    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated; read by this request's authentication
        prefetch_related_objects([user], "groups")
        return Response(UserOutput(user).data)

    @extend_schema(
        request=PasswordChangeInput,
        responses={200: TokenPairOutput},
        summary="Change your password (signs out every other token and session)",
    )
    @action(detail=False, methods=["post"], url_path="me/password")
    def password(self, request: Request) -> Response:
        data = PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_password_change(user=cast(User, request.user), **data.validated_data)
        refresh = token_pair_issue(user=user)  # this client stays signed in
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Sign out everywhere: every token and session of yours stops working",
    )
    @action(detail=False, methods=["post"], url_path="me/sign-out-everywhere")
    def sign_out_everywhere(self, request: Request) -> Response:
        user_sign_out_everywhere(user=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=RoleGrantInput, responses={200: UserOutput}, summary="Grant a role")
    @action(detail=True, methods=["post"])
    def roles(self, request: Request, pk: str) -> Response:
        data = RoleGrantInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_get_for_actor(user_id=_int_id(pk), actor=request.user)
        user = user_role_grant(
            user=user, role=Role(data.validated_data["role"]), actor=request.user
        )
        return Response(UserOutput(user).data)

    @extend_schema(
        request=None,
        responses={200: UserOutput},
        summary="Revoke a role",
        parameters=[OpenApiParameter("role", str, OpenApiParameter.PATH, enum=ROLE_CHOICES)],
    )
    @action(detail=True, methods=["delete"], url_path=r"roles/(?P<role>[a-z_]+)")
    def revoke_role(self, request: Request, pk: str, role: str) -> Response:
        if role not in Role._value2member_map_:
            raise NotFound(f"There is no role called {role!r}.", code="unknown_role")
        user = user_get_for_actor(user_id=_int_id(pk), actor=request.user)
        user = user_role_revoke(user=user, role=Role(role), actor=request.user)
        return Response(UserOutput(user).data)


def _int_id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise NotFound("No such user.") from None
