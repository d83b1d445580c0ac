"""`/dashboard/`: the agenda of the signed-in provider's resources, today (`?view=today`, the
default) or the week from a Monday (`?view=week`), from `?day=YYYY-MM-DD` (default: today in
the provider's zone, else the first resource's, else UTC)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tessera.core.clock import utcnow
from tessera.core.errors import ValidationFailed

from ...feedback import report
from ...zones import visitor_zone_name
from .access import provider_required
from .agenda import agenda_days, build_agenda


def _today(request: HttpRequest) -> date:
    name = visitor_zone_name(request) or "UTC"
    try:
        zone = ZoneInfo(name)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


def _parse_day(raw: str | None, today: date) -> date:
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            "day: not a date (YYYY-MM-DD).", code="invalid", field="day"
        ) from None


@provider_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render_agenda(
        request, week=request.GET.get("view") == "week", day_raw=request.GET.get("day")
    )


def render_agenda(
    request: HttpRequest, *, week: bool, day_raw: str | None, status: int = 200
) -> HttpResponse:
    """The agenda page; a malformed day is told (400) and today is shown instead."""
    today = _today(request)
    try:
        day = _parse_day(day_raw, today)
    except ValidationFailed as exc:
        status, day = report(request, exc), today
    first = day - timedelta(days=day.weekday()) if week else day
    days = agenda_days(first, 7 if week else 1)
    step = timedelta(days=7 if week else 1)
    context = {
        "week": week,
        "days": days,
        "today": today,
        "first": first,
        "first_value": first.isoformat(),
        "view_name": "week" if week else "today",
        "previous": first - step,
        "next": first + step,
        "agendas": build_agenda(owner=request.user, days=days, now=utcnow()),
    }
    return render(request, "web/dashboard/agenda.html", context, status=status)
