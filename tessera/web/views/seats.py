"""Holding seats from the seat map (or its list) and turning the hold into a booking.

`POST /shows/<id>/seats/select/` sets the visitor's whole selection (`seat` repeated; none
clears it) or asks for the best `best` seats (of `category`). The seat map's script asks for
JSON (`Accept: application/json`) and gets the held seats, the seconds left and the panel's
HTML, or a refusal: its code, its sentence and the seats that were taken. Without
JavaScript the same form answers with a redirect to the show's page and a page message.
`POST /shows/<id>/seats/confirm/` books the held seats (`ticket_booking_create_from_hold`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError, ValidationFailed
from tessera.events.errors import HoldNotFound
from tessera.events.models import Hold, Show
from tessera.events.selectors.shows import show_get
from tessera.events.services.tickets import ticket_booking_create_from_hold

from ..feedback import error_text, report
from ..forms_shows import SelectionForm
from ..seating import (
    remember,
    remembered_token,
    selection_best_available,
    selection_get,
    selection_of,
    selection_replace,
)
from ..seatmap_context import seat_panel


class SignInFirst(DomainError):
    status = 401
    default_code = "not_authenticated"


HOLD_GONE = {"hold_expired", "hold_released", "hold_used", "hold_not_found"}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _panel_html(request: HttpRequest, show: Show, panel: Any) -> str:
    context = {"show": show, "panel": panel, "zone": show.venue.timezone}
    return render_to_string("web/shows/panel.html", context, request=request)


def _selection_json(
    request: HttpRequest, show: Show, hold: Hold | None = None, *, read: bool = True
) -> dict[str, Any]:
    """The visitor's selection: the hold just taken (`hold`; None: none, with `read=False`),
    or else the one their session remembers."""
    now = utcnow()
    if read:
        selection = selection_get(session=request.session, show=show, actor=request.user, now=now)
    else:
        selection = None if hold is None else selection_of(hold)
    panel = seat_panel(show=show, selection=selection, now=now)
    return {
        "seatIds": panel.seat_ids,
        "expiresIn": panel.expires_in,
        "panel": _panel_html(request, show, panel),
    }


def _refused(request: HttpRequest, show: Show | None, exc: DomainError) -> HttpResponse:
    if not _wants_json(request):
        report(request, exc)
        return redirect("web:show", show_id=show.pk) if show else redirect("web:home")
    body: dict[str, Any] = {"code": exc.code, "message": error_text(exc)}
    taken = exc.data.get("seat_ids")
    body["taken"] = list(taken) if isinstance(taken, list | tuple) else []
    if show is not None and request.user.is_authenticated:
        body.update(_selection_json(request, show))
    return JsonResponse(body, status=exc.status)


@require_POST
def select_seats(request: HttpRequest, show_id: int) -> HttpResponse:
    """Replace the visitor's held seats at this show (see the module's docstring)."""
    if not request.user.is_authenticated:
        if _wants_json(request):
            return _refused(request, None, SignInFirst())
        return redirect_to_login(reverse("web:show", args=[show_id]))
    try:
        show = show_get(show_id=show_id)
    except DomainError as exc:
        return _refused(request, None, exc)
    form = SelectionForm(request.POST)
    if not form.is_valid():
        return _refused(request, show, ValidationFailed(code="invalid"))
    previous = remembered_token(request.session, show.pk)
    now = utcnow()
    hold: Hold | None
    try:
        if form.cleaned_data["best"]:
            hold = selection_best_available(
                show=show,
                quantity=form.cleaned_data["best"],
                category=form.cleaned_data["category"],
                actor=request.user,
                previous=previous,
                now=now,
            )
        else:
            hold = selection_replace(
                show=show,
                seat_ids=form.cleaned_data["seat"],
                actor=request.user,
                previous=previous,
                now=now,
            )
    except DomainError as exc:
        return _refused(request, show, exc)
    remember(request.session, show.pk, hold.token if hold else None)
    if _wants_json(request):
        return JsonResponse(_selection_json(request, show, hold, read=False))
    if hold is None:
        messages.success(request, _("Your seats were released."))
    else:
        messages.success(request, _("Your seats are held. Confirm them before the time runs out."))
    return redirect("web:show", show_id=show.pk)


@require_POST
def confirm_seats(request: HttpRequest, show_id: int) -> HttpResponse:
    """Book the seats the visitor holds at this show."""
    back = reverse("web:show", args=[show_id])
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    token = remembered_token(request.session, show_id)
    try:
        if not token:
            raise HoldNotFound()
        booking = ticket_booking_create_from_hold(token=token, actor=request.user)
    except DomainError as exc:
        report(request, exc)
        if exc.code in HOLD_GONE:
            remember(request.session, show_id, None)
        return redirect(back)
    remember(request.session, show_id, None)
    if booking.status == "pending":
        messages.success(request, _("Requested. The owner will confirm it; we will tell you."))
    else:
        messages.success(request, _("Booked. See you there!"))
    return redirect("web:booking", booking_id=booking.pk)
