from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
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


def _other_active_superusers(users: QuerySet[User] | list[Any]) -> bool:
    pks = [user.pk for user in users]
    return User.objects.filter(is_superuser=True, is_active=True).exclude(pk__in=pks).exists()


class UserChangeAdminForm(UserChangeForm):
    """Refuses to take the superuser status or the activity from the last active superuser."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = self.instance
        was_superuser = (
            user.pk is not None
            and User.objects.filter(pk=user.pk, is_superuser=True, is_active=True).exists()
        )
        keeps = data.get("is_superuser", True) and data.get("is_active", True)
        if was_superuser and not keeps and not _other_active_superusers([user]):
            raise ValidationError(
                "This is the last active superuser: make another one first.",
                code="last_superuser",
            )
        return data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff manage people here under the same rules as the API (`guards.py`): only a
    superuser changes, deletes or sets the password of a superuser, or hands out superuser
    status and single permissions; the last active superuser is never removed."""

    form = UserChangeAdminForm
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        protected = obj is not None and obj.is_superuser
        if protected and not (request.user.is_superuser and _other_active_superusers([obj])):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        superusers = [u for u in users if u.is_superuser]
        if superusers and (not request.user.is_superuser or not _other_active_superusers(users)):
            self.message_user(
                request,
                "Superusers were not deleted: only a superuser deletes one, never the last.",
                messages.ERROR,
            )
            queryset = queryset.exclude(pk__in=[u.pk for u in superusers])
        super().delete_queryset(request, queryset)
