"""Signed manage links from booking emails: view, cancel and move one booking without signing
in. They act as the booking's customer, through the same services as the API and the signed-in
pages; cancel and move links work once (`services.links`)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tessera.bookings.models import Booking
from tessera.bookings.selectors.bookings import booking_get_for_actor, booking_history
from tessera.bookings.services.changes import booking_reschedule
from tessera.bookings.services.status import booking_cancel
from tessera.core.clock import utcnow
from tessera.core.errors import Conflict, DomainError, ValidationFailed

from ..describe import describe
from ..feedback import error_text, report
from ..forms_booking import CancelForm, SlotForm
from ..ratelimits import limit_all
from ..services.guests import guest_awaits_email
from ..services.links import (
    CANCEL,
    RESCHEDULE,
    VIEW,
    SignedLink,
    link_path,
    link_read,
    link_spend,
    link_was_used,
)
from .times import _picker_context


def _refusal(request: HttpRequest, exc: DomainError) -> HttpResponse:
    context = {"sentence": error_text(exc)}
    return render(request, "web/guest/refused.html", context, status=exc.status)


def _open(
    request: HttpRequest, token: str, action: str
) -> tuple[SignedLink, Booking] | HttpResponse:
    """The link and its booking (read as its customer, with what the pages show), or the page
    that refuses the link (expired, invalid, used)."""
    try:
        link = link_read(token=token, action=action)
        if request.method == "GET" and link_was_used(link=link):
            raise Conflict("This link has been used already.", code="link_used")
        booking = booking_get_for_actor(booking_id=link.booking.pk, actor=link.booking.customer)
    except DomainError as exc:
        return _refusal(request, exc)
    return link, booking


def _links(booking: Booking) -> dict[str, str]:
    return {
        "view_url": link_path(booking=booking, action=VIEW),
        "cancel_url": link_path(booking=booking, action=CANCEL),
        "reschedule_url": link_path(booking=booking, action=RESCHEDULE),
    }


@require_GET
@limit_all("signed_links")
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The booking, its history and what can be done with it (each action a fresh link)."""
    opened = _open(request, token, VIEW)
    if isinstance(opened, HttpResponse):
        return opened
    _, booking = opened
    context = {
        "booking": booking,
        "view": describe(booking),
        "history": list(booking_history(booking=booking)),
        "awaits_email": guest_awaits_email(booking=booking),
        "now": utcnow(),
        **_links(booking),
    }
    return render(request, "web/manage/detail.html", context)


@require_http_methods(["GET", "POST"])
@limit_all("signed_links")
def manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the cancellation rule and whether it still applies; POST: cancel (once)."""
    opened = _open(request, token, CANCEL)
    if isinstance(opened, HttpResponse):
        return opened
    link, booking = opened
    form = CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                link_spend(link=link)
                booking_cancel(
                    booking_id=booking.pk,
                    actor=booking.customer,
                    reason=form.cleaned_data["reason"],
                )
        except DomainError as exc:
            status = report(request, exc, form)
        else:
            messages.success(request, _("Cancelled. The time is free for someone else."))
            return redirect(link_path(booking=booking, action=VIEW))
    context = {
        "booking": booking,
        "view": describe(booking),
        "form": form,
        "now": utcnow(),
        "action": request.path,
        **_links(booking),
    }
    return render(request, "web/manage/cancel.html", context, status=status)


@require_http_methods(["GET", "POST"])
@limit_all("signed_links")
def manage_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    """The slot picker over the booking's resources (its own time counted as free); POST
    moves it (once), with the same rules as a signed-in customer."""
    opened = _open(request, token, RESCHEDULE)
    if isinstance(opened, HttpResponse):
        return opened
    link, booking = opened
    view = describe(booking)
    status = 200
    if request.method == "POST":
        form = SlotForm(request.POST)
        if not form.is_valid():
            return _refusal(request, ValidationFailed(code="slot_not_offered"))
        try:
            with transaction.atomic():
                link_spend(link=link)
                booking_reschedule(
                    booking_id=booking.pk, actor=booking.customer, start=form.cleaned_data["start"]
                )
        except DomainError as exc:
            if exc.code == "link_used":
                return _refusal(request, exc)
            status = report(request, exc)  # shown above the picker; the link stays unused
        else:
            messages.success(request, _("Moved. The new time is below."))
            return redirect(link_path(booking=booking, action=VIEW))
    resources = [a.resource for a in booking.allocations.all()]
    if not view.can_reschedule or not resources:
        messages.error(request, _("Only a pending or confirmed booking can be moved."))
        return redirect(link_path(booking=booking, action=VIEW))
    context = {
        "booking": booking,
        "view": view,
        "resource": resources[-1],
        "slot_action": request.path,
        **_picker_context(request, resources, exclude_booking_id=booking.pk),
        **_links(booking),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "picker":
        return render(request, "web/times/picker.html", context)
    return render(request, "web/manage/reschedule.html", context, status=status)
