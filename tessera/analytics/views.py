"""`/analytics/`: a page for providers, organizers and staff with the booking trend and the
utilisation drawn as inline SVG (no script, no CDN). Session login (the web sign-in, so
providers and organizers reach it with their own account; scoped by `analytics_scope`);
a customer gets 403, bad parameters a 400 page with the reason."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from tessera.core.errors import DomainError

from .api.serializers import TrendQuery
from .api.views import parse_window
from .charts import Bar, ratio_bars_svg, stacked_bars_svg
from .selectors.rates import booking_rates
from .selectors.scope import analytics_scope
from .selectors.trends import booking_trends
from .selectors.utilisation import resource_utilisation, show_utilisation


@require_GET
@login_required  # settings.LOGIN_URL: the web sign-in, open to providers and organizers
def analytics_page(request: HttpRequest) -> HttpResponse:
    try:
        scope = analytics_scope(actor=request.user)
    except DomainError as exc:
        return render(request, "analytics/error.html", {"message": exc.message}, status=403)
    query = TrendQuery(data=request.GET)
    try:
        if not query.is_valid():
            raise DomainError("; ".join(f"{k}: {v[0]}" for k, v in query.errors.items()))
        values = query.validated_data
        window = parse_window(values)
    except DomainError as exc:
        return render(request, "analytics/error.html", {"message": exc.message}, status=400)
    points = booking_trends(
        scope=scope, window=window, period=values["period"], basis=values["basis"]
    )
    resources = resource_utilisation(scope=scope, window=window)
    shows = show_utilisation(scope=scope, window=window)
    trend_title = f"Bookings per {values['period']} (by {values['basis']} date)"
    charts = [
        stacked_bars_svg(
            [Bar(label=p.period.strftime("%d %b"), parts=p.counts) for p in points],
            title=trend_title,
        ),
    ]
    if scope.owner_id is None or scope.resources:
        rows = [(r.name, r.utilisation) for r in resources]
        charts.append(
            ratio_bars_svg(rows, title="Utilisation per resource (booked / open x capacity)")
        )
    if scope.owner_id is None or scope.shows:
        rows = [
            (f"{s.title} {s.starts_at.astimezone(window.zone):%d %b %H:%M}", s.utilisation)
            for s in shows
        ]
        charts.append(ratio_bars_svg(rows, title="Utilisation per show (sold / capacity)"))
    rates = booking_rates(scope=scope, window=window)
    context = {
        "window": window,
        "values": values,
        "rates": rates,
        "lead": f"{_hours(rates.lead_time_median)} / {_hours(rates.lead_time_p90)}",
        # Built from escaped labels and numbers only (charts.py).
        "charts": [mark_safe(svg) for svg in charts],  # noqa: S308
    }
    return render(request, "analytics/page.html", context)


def _hours(delta: timedelta | None) -> str:
    return "-" if delta is None else f"{delta.total_seconds() / 3600:.1f} h"
