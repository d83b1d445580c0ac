from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from tessera.core.errors import DomainError

from .models import User
from .roles import Role
from .selectors import user_roles
from .services import user_role_grant, user_role_revoke


def _role_action(role: Role, grant: bool) -> Any:
    verb = "Grant" if grant else "Revoke"

    @admin.action(description=f"{verb} the {role.value} role", permissions=["change"])
    def act(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> None:
        service = user_role_grant if grant else user_role_revoke
        done = 0
        for user in queryset:
            try:
                service(user=user, role=role, actor=request.user)
                done += 1
            except DomainError as exc:  # refused: report it and go on with the others
                modeladmin.message_user(request, f"{user}: {exc}", messages.ERROR)
        modeladmin.message_user(request, f"{verb} {role.value}: {done} user(s).", messages.SUCCESS)

    act.__name__ = f"{verb.lower()}_{role.value}"
    return act


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "roles", "is_active", "date_joined"]
    list_filter = ["groups", "is_staff", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("External identity", {"fields": ("external_issuer", "external_subject")}),
    )
    actions = [_role_action(role, grant) for role in Role for grant in (True, False)]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, user: User) -> str:
        return ", ".join(user_roles(user))
