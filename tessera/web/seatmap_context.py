"""What the seat-map page needs besides the map itself: the price categories with their
colours, the visitor's held seats (the panel beside the map) and the script's settings.

The map's seats come to the browser as the compact JSON of the public seat-map endpoint
(`/api/shows/<id>/seats/`), which the script renders as SVG and polls for changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tessera.events.models import Show
from tessera.events.selectors.venues import hall_seats

from .problems import problem_sentence
from .seating import Selection

# Category colours, in the order categories first appear from the front of the hall. Each has
# at least 3:1 contrast on white (WCAG 1.4.11) and none is close to the "selected" brand colour.
PALETTE = ["#0f7d69", "#c2410c", "#a21caf", "#4d7c0f", "#b45309", "#0e7490", "#9f1239"]
POLL_MS = 3000


@dataclass(frozen=True)
class Category:
    name: str
    price: Decimal
    colour: str


@dataclass
class Panel:
    """The visitor's held seats: (row, number, category, price) each, total and expiry."""

    seat_ids: list[int] = field(default_factory=list)
    seats: list[dict[str, Any]] = field(default_factory=list)
    total: Decimal | None = None
    expires_at: datetime | None = None
    expires_in: int = 0


def category_prices(show: Show) -> list[Category]:
    """The categories on sale with their price at this show (the show's price for a category
    without one of its own); general admission: none."""
    if show.hall is None:
        return []
    by_category = {price.category: price.amount for price in show.prices.all()}
    found = (
        hall_seats(hall=show.hall)
        .filter(blocked=False)
        .order_by()
        .values("category")
        .annotate(first=Min("row_position"))
        .order_by("first", "category")
    )
    return [
        Category(row["category"], by_category.get(row["category"], show.price), colour)
        for row, colour in zip(found, _colours(), strict=False)
    ]


def _colours() -> Any:
    i = 0
    while True:
        yield PALETTE[i % len(PALETTE)]
        i += 1


def seat_panel(*, show: Show, selection: Selection | None, now: datetime) -> Panel:
    if selection is None or show.hall is None:
        return Panel()
    by_category = {price.category: price.amount for price in show.prices.all()}
    seats = hall_seats(hall=show.hall).filter(pk__in=selection.seat_ids)
    return Panel(
        seat_ids=sorted(selection.seat_ids),
        seats=[
            {
                "id": seat.pk,
                "row": seat.row,
                "number": seat.number,
                "category": seat.category,
                "accessible": seat.accessible,
                "price": by_category.get(seat.category, show.price),
            }
            for seat in seats
        ],
        total=selection.price,
        expires_at=selection.expires_at,
        expires_in=max(int((selection.expires_at - now).total_seconds()), 0),
    )


def seatmap_config(request: HttpRequest, *, show: Show, panel: Panel) -> dict[str, Any]:
    """The script's settings, written into the page as JSON (`json_script`)."""
    sign_in = reverse("web:sign-in") + "?next=" + reverse("web:show", args=[show.pk])
    return {
        "seatsUrl": f"/api/shows/{show.pk}/seats/",
        "selectUrl": reverse("web:seat-select", args=[show.pk]),
        "signedIn": bool(request.user.is_authenticated),
        "signInUrl": sign_in,
        "pollMs": POLL_MS,
        "language": get_language() or "en",
        "currency": show.currency,
        "colours": {c.name: c.colour for c in category_prices(show)},
        "selection": {"seatIds": panel.seat_ids, "expiresIn": panel.expires_in},
        "text": {
            "seat": _("Row %(row)s, seat %(number)s"),
            "available": _("available"),
            "selected": _("selected"),
            "taken": _("taken"),
            "blocked": _("not for sale"),
            "accessible": _("accessible"),
            "signIn": _("Sign in to choose seats."),
            "signInLink": _("Sign in"),
            "lost": _("%(seats)s: just taken by someone else. Choose another seat."),
            "expired": problem_sentence("hold_expired", 409),
            "failed": problem_sentence("conflict", 409),
            "heldFor": _("Held for %(time)s"),
            "mapLabel": _("Seat map"),
            "yourSeats": _("Your seats: %(seats)s"),
        },
    }
