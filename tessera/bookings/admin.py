"""Admin of bookings: filters, search, the allocations and history inline (read-only), and
actions that call the same services as the API. Nothing is added or deleted here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tessera.core.errors import DomainError

from .models import Booking, BookingStatusChange, TimeAllocation
from .services.status import booking_cancel, booking_confirm, booking_decline, booking_mark_no_show


class ResourceKindFilter(admin.ChoicesFieldListFilter):
    """The kind of resource a time booking holds; without its own title the admin would show
    two filters both called "By kind" (the booking's kind and this one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "resource kind"


class TimeAllocationInline(admin.TabularInline):
    model = TimeAllocation
    extra = 0
    can_delete = False
    fields = (
        "resource",
        "starts_at",
        "ends_at",
        "occupied_from",
        "occupied_to",
        "is_live",
        "approved",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryInline(admin.TabularInline):
    model = BookingStatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _action(service: Callable[..., Booking], verb: str) -> Any:
    @admin.action(description=f"{verb.capitalize()} the selected bookings", permissions=["change"])
    def act(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Booking]
    ) -> None:
        done = 0
        for booking in queryset.order_by("pk"):
            try:
                service(booking_id=booking.pk, actor=request.user)
                done += 1
            except DomainError as exc:  # refused: say why and go on with the others
                modeladmin.message_user(
                    request, f"{booking.reference}: {exc.message}", messages.ERROR
                )
        modeladmin.message_user(
            request, f"{verb.capitalize()}: {done} booking(s).", messages.SUCCESS
        )

    act.__name__ = verb.replace(" ", "_").replace("-", "_")
    return act


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "status", "customer", "starts_at", "ends_at", "created_at"]
    list_filter = [
        "status",
        "kind",
        ("allocations__resource__kind", ResourceKindFilter),
        "starts_at",
    ]
    search_fields = ["reference", "customer__username", "customer__email", "notes"]
    date_hierarchy = "starts_at"
    list_select_related = ["customer"]
    readonly_fields = [
        "reference",
        "kind",
        "status",
        "customer",
        "created_by",
        "starts_at",
        "ends_at",
        "notes",
        "price",
        "currency",
        "confirm_deadline",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "created_at",
        "updated_at",
    ]
    inlines = [TimeAllocationInline, HistoryInline]
    actions = [
        _action(booking_confirm, "confirm"),
        _action(booking_decline, "decline"),
        _action(booking_cancel, "cancel"),
        _action(booking_mark_no_show, "mark as no-show"),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # bookings are made through the API (its checks, its locks)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing is deleted: cancel instead
