"""Booking a time: a resource's page with the month calendar and free slots, booking in one
step (or joining the waiting list of a full slot), gigs, and moving a booking to another slot."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tessera.bookings.selectors.bookings import booking_get_for_actor
from tessera.bookings.services.changes import booking_reschedule
from tessera.bookings.services.create import booking_create_time
from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.resources import resource_get, resource_list

from ..describe import describe
from ..feedback import booked, report
from ..forms_booking import SlotForm
from ..picker import build_picker, month_of
from ..zones import display_zone


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _partner(request: HttpRequest, resource: Resource) -> Resource | None:
    """For a gig: the signed-in musician's own resource named by `?with=` (else None)."""
    raw = request.GET.get("with") or request.POST.get("resource_with")
    if not raw or not raw.isdigit() or not request.user.is_authenticated:
        return None
    partner = resource_list(actor=request.user).filter(pk=int(raw), owner=request.user).first()
    return partner if partner is not None and partner.pk != resource.pk else None


def gig_partners(request: HttpRequest, resource: Resource) -> list[Resource]:
    """The signed-in person's musicians that could play at this venue."""
    if resource.kind != "venue" or not request.user.is_authenticated:
        return []
    mine = resource_list(actor=request.user).filter(owner=request.user, is_active=True)
    return list(mine.filter(kind="musician").order_by("name"))


def _picker_context(
    request: HttpRequest, resources: list[Resource], *, exclude_booking_id: int | None = None
) -> dict[str, Any]:
    now = utcnow()
    zone, zone_is_place = display_zone(request, resources[0].timezone)
    today = now.astimezone(zone).date()
    picker = build_picker(
        resources=resources,
        zone=zone,
        zone_is_resource=zone_is_place,
        month=month_of(request.GET.get("month"), today),
        selected=_day(request.GET.get("date")),
        now=now,
        exclude_booking_id=exclude_booking_id,
    )
    return {"picker": picker, "zone_name": zone.key, "place_zone": resources[0].timezone}


@require_GET
def resource_page(request: HttpRequest, resource_id: int) -> HttpResponse:
    """A resource's description, rules and its slot picker (`?month=YYYY-MM&date=YYYY-MM-DD`)."""
    try:
        resource = resource_get(resource_id=resource_id, actor=request.user)
    except DomainError as exc:
        return render(request, "web/problem.html", {"status": report(request, exc)}, status=404)
    partner = _partner(request, resource)
    resources = [resource] if partner is None else [partner, resource]
    context = {
        "resource": resource,
        "partner": partner,
        "partners": gig_partners(request, resource),
        "slot_action": reverse("web:book", args=[resource.pk]),
        **_picker_context(request, resources),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "picker":
        return render(request, "web/times/picker.html", context)
    return render(request, "web/times/resource.html", context)


@require_POST
def book_slot(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Book the chosen slot in one step (or join its waiting list when it is full)."""
    if not request.user.is_authenticated:
        if Resource.objects.filter(pk=resource_id, guest_booking=True).exists():
            # The owner takes bookings without an account: on to the guest form (the slot kept).
            return redirect(
                reverse("web:guest-book", args=[resource_id])
                + "?"
                + urlencode({"start": request.POST.get("start", "")})
            )
        return redirect_to_login(reverse("web:resource", args=[resource_id]))
    form = SlotForm(request.POST)
    back = reverse("web:resource", args=[resource_id])
    if not form.is_valid():
        messages.error(request, _("Choose one of the times offered."))
        return redirect(back)
    try:
        resource = resource_get(resource_id=resource_id, actor=request.user)
        partner = _partner(request, resource)
        ids = [resource.pk] if partner is None else [partner.pk, resource.pk]
        booking = booking_create_time(
            actor=request.user,
            resource_ids=ids,
            start=form.cleaned_data["start"],
            waitlist=form.cleaned_data["waitlist"],
        )
    except DomainError as exc:
        report(request, exc)
        return redirect(back)
    return booked(request, booking)


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The same picker, over the booking's resources, with its own time counted as free."""
    try:
        booking = booking_get_for_actor(booking_id=booking_id, actor=request.user)
    except DomainError as exc:
        return render(request, "web/problem.html", {"status": report(request, exc)}, status=404)
    view = describe(booking)
    if request.method == "POST":
        form = SlotForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the times offered."))
            return redirect("web:reschedule", booking_id=booking.pk)
        try:
            booking_reschedule(
                booking_id=booking.pk, actor=request.user, start=form.cleaned_data["start"]
            )
        except DomainError as exc:
            report(request, exc)
            return redirect("web:reschedule", booking_id=booking.pk)
        messages.success(request, _("Moved. The new time is below."))
        return redirect("web:booking", booking_id=booking.pk)
    resources = [a.resource for a in booking.allocations.all()]
    if not view.can_reschedule or not resources:
        messages.error(request, _("Only a pending or confirmed booking can be moved."))
        return redirect("web:booking", booking_id=booking.pk)
    context = {
        "booking": booking,
        "view": view,
        "resource": resources[-1],
        "slot_action": reverse("web:reschedule", args=[booking.pk]),
        **_picker_context(request, resources, exclude_booking_id=booking.pk),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "picker":
        return render(request, "web/times/picker.html", context)
    return render(request, "web/times/reschedule.html", context)
