"""Admin of the booking archive: read-only (the retention job writes it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ArchivedBooking


@admin.register(ArchivedBooking)
class ArchivedBookingAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "status", "starts_at", "archived_at")
    list_filter = ("kind", "status")
    search_fields = ("reference",)
    date_hierarchy = "starts_at"
    readonly_fields = [f.name for f in ArchivedBooking._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
