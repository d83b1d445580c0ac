"""Admin of walk-in queues: list, filter, search; actions call the services. No add or delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tessera.core.errors import DomainError

from .models import WalkIn
from .services import walkin_finish, walkin_leave, walkin_serve


@admin.register(WalkIn)
class WalkInAdmin(admin.ModelAdmin):
    list_display = ("resource", "position", "display_name", "phone", "status", "joined_at")
    list_filter = ("status", "resource")
    search_fields = ("name", "phone", "user__username", "user__email")
    list_select_related = ("resource", "user")
    readonly_fields = [f.name for f in WalkIn._meta.fields]
    actions = ["serve", "finish", "mark_left"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Serve the selected walk-ins")
    def serve(self, request: HttpRequest, queryset: QuerySet[WalkIn]) -> None:
        self._each(
            request,
            queryset,
            lambda w: walkin_serve(resource=w.resource, actor=request.user, walkin_id=w.pk),
        )

    @admin.action(description="Finish the service of the selected walk-ins (records a booking)")
    def finish(self, request: HttpRequest, queryset: QuerySet[WalkIn]) -> None:
        self._each(request, queryset, lambda w: walkin_finish(walkin=w, actor=request.user))

    @admin.action(description="Mark the selected walk-ins as left")
    def mark_left(self, request: HttpRequest, queryset: QuerySet[WalkIn]) -> None:
        self._each(request, queryset, lambda w: walkin_leave(walkin=w, actor=request.user))

    def _each(self, request: HttpRequest, queryset: QuerySet[WalkIn], act: Any) -> None:
        done = 0
        for walkin in queryset.order_by("pk"):
            try:
                act(walkin)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{walkin}: {exc.message}", messages.WARNING)
        self.message_user(request, f"{done} walk-in(s) updated.")
