"""Approve, decline and mark as no-show from the dashboard: plain POST forms (no script
needed) that call the booking services and come back to the agenda with a sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.bookings.services.status import (
    booking_confirm,
    booking_decline,
    booking_mark_no_show,
)
from tessera.core.errors import DomainError

from ...feedback import report
from .access import provider_required
from .pages import render_agenda


def _back(request: HttpRequest) -> HttpResponse:
    """To the agenda the form was on (`view`, `day`), after a success."""
    query = urlencode({k: request.POST[k] for k in ("view", "day") if request.POST.get(k)})
    return redirect(reverse("web:dashboard") + (f"?{query}" if query else ""))


def _act(request: HttpRequest, call: Callable[[], Any], done: str) -> HttpResponse:
    """Run the service; a refusal is the agenda again with its sentence and its 4xx status."""
    try:
        call()
    except DomainError as exc:
        status = report(request, exc)
        return render_agenda(
            request,
            week=request.POST.get("view") == "week",
            day_raw=request.POST.get("day"),
            status=status,
        )
    messages.success(request, done)
    return _back(request)


@provider_required
@require_POST
def approve(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _act(
        request,
        lambda: booking_confirm(booking_id=booking_id, actor=request.user),
        _("The booking is approved."),
    )


@provider_required
@require_POST
def decline(request: HttpRequest, booking_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:255]
    return _act(
        request,
        lambda: booking_decline(booking_id=booking_id, actor=request.user, reason=reason),
        _("The booking is declined; its time is free again."),
    )


@provider_required
@require_POST
def no_show(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _act(
        request,
        lambda: booking_mark_no_show(booking_id=booking_id, actor=request.user),
        _("The booking is marked as a no-show."),
    )
