"""My bookings: upcoming and past, one booking with its history, its calendar file,
cancelling it (the rule shown first), and accepting or declining a waiting-list offer."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tessera.bookings.models import Booking, BookingStatus
from tessera.bookings.selectors.bookings import (
    booking_get_for_actor,
    booking_history,
    booking_list,
    waitlist_positions_of,
)
from tessera.bookings.services.status import booking_cancel, booking_confirm
from tessera.bookings.waitlist import waitlist_offers_of
from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.events.selectors.lookup import shows_by_ids
from tessera.notifications.ics import booking_ics

from ..describe import BookingView, describe
from ..feedback import report
from ..forms_booking import CancelForm

PAGE_SIZE = 20
FINISHED = (
    BookingStatus.COMPLETED,
    BookingStatus.CANCELLED,
    BookingStatus.DECLINED,
    BookingStatus.EXPIRED,
    BookingStatus.NO_SHOW,
)


def _views(bookings: list[Booking]) -> list[BookingView]:
    """Describe a page of bookings: offers, shows and waiting places in one query each."""
    offers = waitlist_offers_of(bookings=bookings)
    shows = shows_by_ids(
        show_ids=[b.ticket.show_id for b in bookings if getattr(b, "ticket", None) is not None]
    )
    return [describe(b, offer=offers.get(b.pk), shows=shows) for b in bookings]


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    """Upcoming (`?show=upcoming`, the default) or past bookings of the signed-in person."""
    now = utcnow()
    past = request.GET.get("show") == "past"
    mine = booking_list(actor=request.user).filter(customer_id=request.user.pk)
    if past:
        mine = mine.filter(ends_at__lte=now) | mine.filter(status__in=FINISHED)
        mine = mine.order_by("-starts_at", "-id")
    else:
        mine = mine.filter(ends_at__gt=now).exclude(status__in=FINISHED).order_by("starts_at", "id")
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    bookings = list(page.object_list)
    context = {
        "past": past,
        "page": page,
        "views": _views(bookings),
        "positions": waitlist_positions_of(bookings=bookings),
    }
    return render(request, "web/bookings/list.html", context)


def _mine(request: HttpRequest, booking_id: int) -> Booking | HttpResponse:
    try:
        return booking_get_for_actor(booking_id=booking_id, actor=request.user)
    except DomainError as exc:
        status = report(request, exc)
        return render(request, "web/problem.html", {"status": status}, status=status)


@login_required
@require_GET
def booking_page(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    if isinstance(booking, HttpResponse):
        return booking
    [view] = _views([booking])
    context = {
        "view": view,
        "booking": booking,
        "history": list(booking_history(booking=booking)),
        "position": waitlist_positions_of(bookings=[booking]).get(booking.pk),
        "now": utcnow(),
    }
    return render(request, "web/bookings/detail.html", context)


@login_required
@require_GET
def booking_calendar(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The booking as an .ics file (one VEVENT; cancelled ones say so)."""
    booking = _mine(request, booking_id)
    if isinstance(booking, HttpResponse):
        return booking
    [view] = _views([booking])
    cancelled = booking.status in FINISHED and booking.status != BookingStatus.COMPLETED
    body = booking_ics(
        event={
            "reference": booking.reference,
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
            "title": view.title,
            "location": view.location,
            "url": request.build_absolute_uri(f"/bookings/{booking.pk}/"),
        },
        method="CANCEL" if cancelled else "PUBLISH",
        domain=request.get_host().split(":")[0] or "tessera.local",
        organizer_email=settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"),
        stamp=utcnow(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.reference}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """GET: the booking, its cancellation rule and whether it still applies; POST: cancel."""
    booking = _mine(request, booking_id)
    if isinstance(booking, HttpResponse):
        return booking
    [view] = _views([booking])
    form = CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            booking_cancel(
                booking_id=booking.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            status = report(request, exc, form)
        else:
            messages.success(request, _("Cancelled. The time is free for someone else."))
            return redirect("web:booking", booking_id=booking.pk)
    context = {"view": view, "booking": booking, "form": form, "now": utcnow()}
    return render(request, "web/bookings/cancel.html", context, status=status)


@login_required
@require_POST
def accept_offer(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Take the place a waiting list offered, before its deadline (`offer_expired` after)."""
    try:
        booking = booking_confirm(booking_id=booking_id, actor=request.user)
    except DomainError as exc:
        report(request, exc)
        return redirect("web:booking", booking_id=booking_id)
    if booking.status == BookingStatus.CONFIRMED:
        messages.success(request, _("Accepted. The place is yours."))
    else:
        messages.success(request, _("Accepted. The owner will confirm it; we will tell you."))
    return redirect("web:booking", booking_id=booking_id)


@login_required
@require_POST
def decline_offer(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Turn an offered place down (it goes to the next person in line)."""
    try:
        booking_cancel(booking_id=booking_id, actor=request.user, reason="offer declined")
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, _("Declined. The place goes to the next person in line."))
    return redirect("web:booking", booking_id=booking_id)
