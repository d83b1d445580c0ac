"""Booking without an account: choose a time, give name, email and phone, follow the emailed
link. The rules are the services' (`web.services.guests`); see docs/web.md."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.exceptions import Ratelimited

from tessera.core.errors import DomainError, PermissionDenied, ValidationFailed
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.resources import resource_get

from ..describe import describe
from ..feedback import error_text, report
from ..forms_booking import SlotForm
from ..forms_guest import GuestDetailsForm
from ..ratelimits import limit_all, over_limit
from ..services.guests import guest_booking_confirm_email, guest_booking_create
from ..services.links import CONFIRM, VIEW, link_path, link_read, link_was_used
from .account import rate_limited
from .times import _picker_context


def _refusal(request: HttpRequest, exc: DomainError) -> HttpResponse:
    context = {"sentence": error_text(exc)}
    return render(request, "web/guest/refused.html", context, status=exc.status)


def _guest_resource(request: HttpRequest, resource_id: int) -> Resource | HttpResponse:
    try:
        resource = resource_get(resource_id=resource_id, actor=request.user)
    except DomainError as exc:
        return _refusal(request, exc)
    if not resource.guest_booking or not resource.is_active:
        return _refusal(request, PermissionDenied(code="guest_booking_disabled"))
    return resource


@require_http_methods(["GET", "POST"])
def guest_book(request: HttpRequest, resource_id: int) -> HttpResponse:
    """GET: the picker (or, with `?start=`, the details form); POST from the picker: the
    details form for that slot; POST with the details: hold the booking and send the link."""
    resource = _guest_resource(request, resource_id)
    if isinstance(resource, HttpResponse):
        return resource
    if request.user.is_authenticated:
        return redirect("web:resource", resource_id=resource.pk)
    data = request.POST if request.method == "POST" else request.GET
    slot = SlotForm(data)
    if not slot.is_valid() or slot.cleaned_data["waitlist"]:
        if request.method == "POST" or "start" in data:
            report(request, ValidationFailed(code="slot_not_offered"))
        context = {
            "resource": resource,
            **_picker_context(request, [resource]),
            "slot_action": reverse("web:guest-book", args=[resource.pk]),
        }
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "picker":
            return render(request, "web/times/picker.html", context)
        return render(request, "web/guest/pick.html", context)
    start = slot.cleaned_data["start"]
    details = "email" in request.POST
    form = GuestDetailsForm(request.POST if details else None)
    status = 200
    if details and over_limit(request, "guest_booking"):
        return rate_limited(request, Ratelimited())
    if details:
        status = 400
        if form.is_valid():
            try:
                booking = guest_booking_create(
                    resource_id=resource.pk,
                    start=form.cleaned_data["start"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    language=(get_language() or "")[:2],
                )
            except DomainError as exc:
                status = report(request, exc, form)
            else:
                context = {
                    "resource": resource,
                    "booking": booking,
                    "email": booking.customer.email,
                }
                return render(request, "web/guest/sent.html", context, status=201)
    context = {
        "resource": resource,
        "form": form,
        "start": start,
        "guest_minutes": settings.WEB_GUEST_CONFIRM_MINUTES,
        **_picker_context(request, [resource]),
    }
    return render(request, "web/guest/details.html", context, status=status)


@require_http_methods(["GET", "POST"])
@limit_all("signed_links")
def guest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. GET asks for one click (mail scanners that open links confirm
    nothing); POST confirms and shows the booking through its view link."""
    try:
        link = link_read(token=token, action=CONFIRM)
    except DomainError as exc:
        return _refusal(request, exc)
    if request.method == "GET":
        context = {
            "booking": link.booking,
            "view": describe(link.booking),
            "used": link_was_used(link=link),
        }
        return render(request, "web/guest/confirm.html", context)
    try:
        booking = guest_booking_confirm_email(link=link)
    except DomainError as exc:
        return _refusal(request, exc)
    if booking.status == "confirmed":
        messages.success(request, _("Thank you: your email is confirmed and so is your booking."))
    else:
        messages.success(
            request, _("Thank you: your email is confirmed. The owner will confirm the booking.")
        )
    return redirect(link_path(booking=booking, action=VIEW))
