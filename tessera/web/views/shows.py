"""A show's page: when and where (in the venue's zone, named), prices per category, places
left; general admission is booked by quantity (or the waiting list when sold out), reserved
seating through the seat map (views/seats.py holds and confirms the seats).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.events import conf
from tessera.events.models import Show, ShowStatus
from tessera.events.selectors.seatmap import seat_layout, seat_states
from tessera.events.selectors.shows import show_get
from tessera.events.services.tickets import ticket_booking_create_for_places

from ..feedback import booked, report
from ..forms_shows import PlacesForm, SelectionForm
from ..seating import selection_get
from ..seatmap_context import category_prices, seat_panel, seatmap_config


def on_sale(show: Show) -> bool:
    return show.status == ShowStatus.SCHEDULED and show.starts_at > utcnow()


def _show_or_problem(request: HttpRequest, show_id: int) -> Show | HttpResponse:
    try:
        return show_get(show_id=show_id, now=utcnow())
    except DomainError as exc:
        return render(request, "web/problem.html", {}, status=report(request, exc))


def _common(show: Show) -> dict[str, Any]:
    left = getattr(show, "places_left", 0) or 0
    return {
        "show": show,
        "event": show.event,
        "venue": show.venue,
        "zone": show.venue.timezone,
        "prices": category_prices(show),
        "places_left": max(left, 0),
        "places_total": getattr(show, "places_total", 0) or 0,
        "on_sale": on_sale(show),
        "max_items": conf.booking_max_items(),
    }


@require_GET
def show_page(request: HttpRequest, show_id: int) -> HttpResponse:
    """The show, and the way to book it (quantity, or the seat map)."""
    found = _show_or_problem(request, show_id)
    if isinstance(found, HttpResponse):
        return found
    show = found
    context = _common(show)
    if show.is_reserved:
        now = utcnow()
        selection = selection_get(session=request.session, show=show, actor=request.user, now=now)
        panel = seat_panel(show=show, selection=selection, now=now)
        context.update(
            {
                "panel": panel,
                "best_form": SelectionForm(initial={"best": 2}),
                "quantities": range(1, context["max_items"] + 1),
                "config": seatmap_config(request, show=show, panel=panel),
            }
        )
        return render(request, "web/shows/seated.html", context)
    context["quantities"] = range(1, min(context["max_items"], context["places_left"]) + 1)
    context["wait_quantities"] = range(1, context["max_items"] + 1)
    return render(request, "web/shows/general.html", context)


@require_GET
def seat_list(request: HttpRequest, show_id: int) -> HttpResponse:
    """The free seats as a plain form, row by row: the seat map without JavaScript, and an
    alternative to it for anyone who prefers a list."""
    found = _show_or_problem(request, show_id)
    if isinstance(found, HttpResponse):
        return found
    show = found
    if not show.is_reserved:
        return redirect("web:show", show_id=show.pk)
    now = utcnow()
    taken = seat_states(show=show, now=now)
    selection = selection_get(session=request.session, show=show, actor=request.user, now=now)
    mine = set(selection.seat_ids) if selection else set()
    rows: dict[str, list[Any]] = {}
    for seat in seat_layout(show=show):
        if seat.blocked or (seat.id in taken and seat.id not in mine):
            continue
        rows.setdefault(seat.row, []).append((seat, seat.id in mine))
    context = {**_common(show), "rows": rows}
    return render(request, "web/shows/seat_list.html", context)


@require_POST
def book_places(request: HttpRequest, show_id: int) -> HttpResponse:
    """General admission: book the places at once, or join the waiting list when sold out."""
    back = reverse("web:show", args=[show_id])
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    found = _show_or_problem(request, show_id)
    if isinstance(found, HttpResponse):
        return found
    form = PlacesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how many tickets, from the list."))
        return redirect(back)
    try:
        booking = ticket_booking_create_for_places(
            show=found,
            quantity=form.cleaned_data["quantity"],
            customer=request.user,
            actor=request.user,
            waitlist=form.cleaned_data["waitlist"],
        )
    except DomainError as exc:
        report(request, exc)
        return redirect(back)
    return booked(request, booking)
