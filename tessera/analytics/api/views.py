"""`/api/analytics/…`: read-only figures for providers, organizers and staff.

Each view parses the window (`start`, `end`: local dates, both included; `tz`), asks one
selector, and renders plain dicts. A customer gets 403 `analytics_forbidden`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tessera.api.timezones import zone_or_error
from tessera.core.clock import utcnow

from ..selectors.rates import booking_rates
from ..selectors.scope import Scope, Window, analytics_scope, analytics_window
from ..selectors.trends import booking_trends
from ..selectors.utilisation import resource_utilisation, show_utilisation
from .serializers import (
    AnalyticsQuery,
    RatesOutput,
    ResourceUtilisationOutput,
    ShowUtilisationOutput,
    TrendQuery,
    TrendsOutput,
)


def parse_window(values: dict[str, Any]) -> Window:
    """The window of validated query values; defaults: the 30 days ending today in `tz`."""
    zone = zone_or_error(values.get("tz") or "UTC")
    last = values.get("end") or utcnow().astimezone(zone).date()
    first = values.get("start") or last - timedelta(days=29)
    return analytics_window(first=first, last=last, zone=zone)


def _window_body(window: Window) -> dict[str, str]:
    return {
        "start": window.first.isoformat(),
        "end": window.last.isoformat(),
        "timezone": str(window.zone),
    }


def _minutes(delta: timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 60, 2)


class _AnalyticsView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"GET": [400, 403]}
    query_class: type = AnalyticsQuery

    def prepare(self, request: Request) -> tuple[Scope, Window, dict[str, Any]]:
        scope = analytics_scope(actor=request.user)
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        return scope, parse_window(query.validated_data), query.validated_data


class TrendsView(_AnalyticsView):
    """Bookings per day or week, by status."""

    query_class = TrendQuery

    @extend_schema(parameters=[TrendQuery], responses={200: TrendsOutput}, summary="Booking trends")
    def get(self, request: Request) -> Response:
        scope, window, values = self.prepare(request)
        points = booking_trends(
            scope=scope, window=window, period=values["period"], basis=values["basis"]
        )
        return Response(
            {
                "window": _window_body(window),
                "period": values["period"],
                "basis": values["basis"],
                "points": [
                    {"period": p.period.isoformat(), "total": p.total, "counts": p.counts}
                    for p in points
                ],
            }
        )


class ResourceUtilisationView(_AnalyticsView):
    """Booked time / open time per resource (capacity-aware)."""

    @extend_schema(
        parameters=[AnalyticsQuery],
        responses={200: ResourceUtilisationOutput},
        summary="Utilisation per resource",
    )
    def get(self, request: Request) -> Response:
        scope, window, _ = self.prepare(request)
        rows = resource_utilisation(scope=scope, window=window)
        return Response(
            {
                "window": _window_body(window),
                "resources": [
                    {
                        "resource_id": r.resource_id,
                        "name": r.name,
                        "capacity": r.capacity,
                        "bookings": r.bookings,
                        "booked_minutes": _minutes(r.booked),
                        "open_minutes": _minutes(r.open),
                        "utilisation": r.utilisation,
                    }
                    for r in rows
                ],
            }
        )


class ShowUtilisationView(_AnalyticsView):
    """Places sold / capacity per show starting in the window."""

    @extend_schema(
        parameters=[AnalyticsQuery],
        responses={200: ShowUtilisationOutput},
        summary="Utilisation per show",
    )
    def get(self, request: Request) -> Response:
        scope, window, _ = self.prepare(request)
        rows = show_utilisation(scope=scope, window=window)
        return Response(
            {
                "window": _window_body(window),
                "shows": [
                    {
                        "show_id": s.show_id,
                        "title": s.title,
                        "starts_at": s.starts_at.astimezone(window.zone).isoformat(),
                        "status": s.status,
                        "capacity": s.capacity,
                        "sold": s.sold,
                        "pending": s.pending,
                        "utilisation": s.utilisation,
                    }
                    for s in rows
                ],
            }
        )


class RatesView(_AnalyticsView):
    """Cancellation and no-show rates and lead time of the bookings starting in the window."""

    @extend_schema(
        parameters=[AnalyticsQuery], responses={200: RatesOutput}, summary="Rates and lead time"
    )
    def get(self, request: Request) -> Response:
        scope, window, _ = self.prepare(request)
        rates = booking_rates(scope=scope, window=window)
        return Response(
            {
                "window": _window_body(window),
                "total": rates.total,
                "by_status": rates.by_status,
                "cancellation_rate": rates.cancellation_rate,
                "no_show_rate": rates.no_show_rate,
                "lead_time_median_minutes": _minutes(rates.lead_time_median),
                "lead_time_p90_minutes": _minutes(rates.lead_time_p90),
            }
        )
