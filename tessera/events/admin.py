"""Admin: venues (halls inline), halls (seat layout), events (shows inline), shows (seat status).

Writes that carry rules go through the services: a hall's layout is applied with
`hall_layout_apply`, shows are cancelled with `show_cancel`. Shows are scheduled through the API
(where the no-overlap rule and prices are checked); here they are read, with their seat status.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError

from . import conf
from .domain.layout import LayoutError, SeatSpec, build_layout
from .models import Event, Hall, Hold, Seat, Show, ShowPrice, Venue
from .selectors.seatmap import seat_layout, seat_states
from .services.layout import hall_layout_apply
from .services.shows import show_cancel

STATUS_COLOURS = {
    "available": "#2e7d32",
    "held": "#f9a825",
    "booked": "#c62828",
    "blocked": "#757575",
}


def _link(obj: Any, label: str | None = None) -> SafeString:
    url = reverse(f"admin:events_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0
    fields = ["name", "seats", "edit"]
    readonly_fields = ["seats", "edit"]
    show_change_link = False

    @admin.display(description="seats")
    def seats(self, hall: Hall) -> int:
        return hall.seats.count() if hall.pk else 0

    @admin.display(description="layout")
    def edit(self, hall: Hall) -> SafeString | str:
        return _link(hall, "edit the seat layout") if hall.pk else ""


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "location", "capacity", "timezone"]
    search_fields = ["name", "location", "owner__username"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    inlines = [HallInline]


class LayoutForm(forms.ModelForm):
    layout = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "cols": 90, "style": "font-family: monospace"}),
        required=False,
        help_text=(
            'Replace the seats with a layout, e.g. {"blocks": [{"rows": "A-N", "numbers": "1-20", '
            '"gaps": [10, 11], "category": "standard"}], "accessible": ["N1"], "blocked": ["A1"]}. '
            "Seats that stay keep their bookings; sold seats cannot be removed (block them)."
        ),
    )

    class Meta:
        model = Hall
        fields = ["venue", "name"]

    def clean_layout(self) -> list[SeatSpec] | None:
        raw = self.cleaned_data.get("layout", "").strip()
        if not raw:
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
                raise forms.ValidationError('A layout is an object with a list of "blocks".')
            return build_layout(
                data["blocks"],
                accessible=data.get("accessible", ()),
                blocked=data.get("blocked", ()),
                max_seats=conf.max_seats_per_hall(),
            )
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not JSON: {exc}") from exc
        except LayoutError as exc:
            raise forms.ValidationError(f"{exc.field}: {exc.message}") from exc
        except (KeyError, TypeError) as exc:
            raise forms.ValidationError(f"Malformed block: {exc}") from exc


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    form = LayoutForm
    list_display = ["name", "venue", "seat_count", "layout_version"]
    list_select_related = ["venue"]
    search_fields = ["name", "venue__name"]
    readonly_fields = ["seat_plan"]
    fields = ["venue", "name", "layout", "seat_plan"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Hall]:
        return super().get_queryset(request).annotate(n_seats=Count("seats"))

    @admin.display(description="seats", ordering="n_seats")
    def seat_count(self, hall: Any) -> int:
        return int(hall.n_seats)

    @admin.display(description="seat plan")
    def seat_plan(self, hall: Hall) -> SafeString | str:
        seats = (
            list(Seat.objects.filter(hall=hall).order_by("row_position", "number"))
            if hall.pk
            else []
        )
        if not seats:
            return "No seats yet: give a layout above."
        rows: dict[str, list[Seat]] = {}
        for seat in seats:
            rows.setdefault(seat.row, []).append(seat)
        return _plan(
            (
                row,
                [
                    (f"{s.number}", "blocked" if s.blocked else "available", s.category)
                    for s in items
                ],
            )
            for row, items in rows.items()
        )

    def save_model(self, request: HttpRequest, obj: Hall, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        specs = form.cleaned_data.get("layout")
        if specs:
            try:
                result = hall_layout_apply(hall=obj, actor=request.user, seats=specs)
            except DomainError as exc:
                self.message_user(request, f"Layout not applied: {exc.message}", messages.ERROR)
                return
            self.message_user(
                request,
                f"Layout applied: {result.created} created, {result.updated} changed, "
                f"{result.removed} removed; {result.total} seats.",
                messages.SUCCESS,
            )


def _plan(rows: Any) -> SafeString:
    """A small grid: one line per row, one coloured box per seat."""
    lines = format_html_join(
        "",
        '<div style="white-space:nowrap">'
        '<b style="display:inline-block;width:2.5em">{}</b>{}</div>',
        (
            (
                row,
                format_html_join(
                    "",
                    '<span title="{} ({})" style="display:inline-block;width:1.9em;margin:1px;'
                    'text-align:center;font-size:10px;color:#fff;background:{}">{}</span>',
                    (
                        (number, f"{category}, {status}", STATUS_COLOURS[status], number)
                        for number, status, category in seats
                    ),
                ),
            )
            for row, seats in rows
        ),
    )
    return format_html('<div style="overflow-x:auto;max-height:32em">{}</div>', lines)


class ShowInline(admin.TabularInline):
    model = Show
    extra = 0
    can_delete = False
    fields = ("open", "starts_at", "venue", "hall", "seating", "capacity", "status")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="show")
    def open(self, show: Show) -> SafeString:
        return _link(show, f"#{show.pk}")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "owner", "show_count", "requires_approval"]
    list_filter = ["category", "requires_approval"]
    search_fields = ["title", "description", "owner__username"]
    autocomplete_fields = ["owner"]
    inlines = [ShowInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return (
            super().get_queryset(request).select_related("owner").annotate(n_shows=Count("shows"))
        )

    @admin.display(description="shows", ordering="n_shows")
    def show_count(self, event: Any) -> int:
        return int(event.n_shows)


class ShowPriceInline(admin.TabularInline):
    model = ShowPrice
    extra = 0
    can_delete = False
    readonly_fields = ["category", "amount"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "venue", "hall", "starts_at", "seating", "capacity", "status"]
    list_filter = ["status", "seating", "venue"]
    list_select_related = ["event", "venue", "hall"]
    search_fields = ["event__title", "venue__name"]
    date_hierarchy = "starts_at"
    readonly_fields = (
        "event",
        "venue",
        "hall",
        "starts_at",
        "ends_at",
        "local_date",
        "seating",
        "capacity",
        "price",
        "currency",
        "status",
        "seat_status",
    )
    fields = readonly_fields
    inlines = [ShowPriceInline]
    actions = ["cancel_shows"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # scheduled through the API: POST /api/shows/

    @admin.display(description="seat status")
    def seat_status(self, show: Show) -> SafeString | str:
        if not show.is_reserved:
            return "General admission: no seats."
        states = seat_states(show=show, now=utcnow())
        rows: dict[str, list[tuple[str, str, str]]] = {}
        counts = dict.fromkeys(STATUS_COLOURS, 0)
        for seat in seat_layout(show=show):
            status = states.get(seat.id) or ("blocked" if seat.blocked else "available")
            counts[status] += 1
            rows.setdefault(seat.row, []).append((str(seat.number), status, seat.category))
        legend = ", ".join(f"{name}: {n}" for name, n in counts.items())
        return format_html("<p>{}</p>{}", legend, _plan(rows.items()))

    @admin.action(description="Cancel the selected shows (and their bookings)")
    def cancel_shows(self, request: HttpRequest, queryset: QuerySet[Show]) -> None:
        done = 0
        for show in queryset.select_related("event"):
            try:
                show_cancel(show=show, actor=request.user, reason="Cancelled by staff.")
                done += 1
            except DomainError as exc:  # reported; the others go on
                self.message_user(request, f"{show}: {exc.message}", messages.ERROR)
        self.message_user(request, f"{done} show(s) cancelled.", messages.SUCCESS)


@admin.register(Hold)
class HoldAdmin(admin.ModelAdmin):
    list_display = ["pk", "show", "customer", "quantity", "state", "expires_at"]
    list_filter = ["state"]
    list_select_related = ["show__event", "customer"]
    readonly_fields = (
        "token",
        "show",
        "customer",
        "quantity",
        "price",
        "expires_at",
        "state",
        "booking",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
