"""Admin of resources, with their weekly hours, closures and openings as inlines.

Changes of the resource itself go through `resource_update` (so a capacity below the live
bookings is refused the same way as in the API); a refusal is shown as an error message. Saved
inlines retire the resource's cached free slots (`cache.availability_changed`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from tessera.core.errors import DomainError

from .cache import availability_changed
from .models import Closure, ExtraOpening, Resource, WeeklyHours
from .services.resources import EDITABLE_FIELDS, RULE_FIELDS, resource_update


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class ExtraOpeningInline(admin.TabularInline):
    model = ExtraOpening
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "capacity", "owner", "timezone", "is_active"]
    list_filter = ["kind", "is_active", "approval_required"]
    search_fields = ["name", "description", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [WeeklyHoursInline, ClosureInline, ExtraOpeningInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "description", "owner", "timezone", "is_active"]}),
        ("Capacity and rules", {"fields": ["capacity", *RULE_FIELDS]}),
    ]

    def save_model(self, request: HttpRequest, obj: Resource, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = set(EDITABLE_FIELDS) | set(RULE_FIELDS)
        changes = {name: getattr(obj, name) for name in form.changed_data if name in fields}
        if changes:
            resource_update(resource_id=obj.pk, actor=request.user, **changes)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The inlines (hours, closures, openings) are saved here, past the services.
        super().save_related(request, form, formsets, change)
        availability_changed(resource_ids=[form.instance.pk])

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as exc:  # refused by a service: nothing was saved
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.path)
