"""Dates, times and prices in the visitor's language, in a named time zone (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time, get_day_names
from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

from .. import labels
from ..views.dashboard.access import is_provider

register = template.Library()


def _locale() -> str:
    return to_locale(get_language() or "en")


@register.simple_tag
def local_datetime(moment: datetime | None, zone: str, with_zone: bool = True) -> str:
    """ "Fri, Dec 4, 2026, 7:30 PM (Europe/Madrid)" in the language, at `zone`'s wall clock."""
    if moment is None:
        return ""
    tz, locale = ZoneInfo(zone), _locale()
    day = format_skeleton("yMMMEd", moment, tzinfo=tz, locale=locale)
    text = f"{day}, {format_time(moment, 'short', tzinfo=tz, locale=locale)}"
    return f"{text} ({zone})" if with_zone else text


@register.simple_tag
def local_time(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return format_time(moment, "short", tzinfo=ZoneInfo(zone), locale=_locale())


@register.simple_tag
def local_date(day: date | datetime | None, zone: str = "", style: str = "full") -> str:
    if day is None:
        return ""
    if isinstance(day, datetime) and zone:
        day = day.astimezone(ZoneInfo(zone)).date()
    return format_date(day, style, locale=_locale())


@register.simple_tag
def money(amount: Decimal | None, currency: str) -> str:
    """ "€25.00" in English, "25,00 €" in Spanish."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_locale())


@register.filter
def kind_label(kind: str) -> str:
    return labels.kind_label(kind)


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status)


@register.simple_tag
def month_title(month: date) -> str:
    """ "December 2026" / "diciembre de 2026"."""
    return format_date(month, "LLLL yyyy", locale=_locale()).capitalize()


@register.filter
def weekday_names(_: object) -> list[tuple[str, str]]:
    """Monday first: (short, full) names in the language."""
    short = get_day_names("abbreviated", locale=_locale())
    full = get_day_names("wide", locale=_locale())
    return [(str(short[i]).capitalize(), str(full[i])) for i in range(7)]


@register.filter
def get_item(mapping: dict[object, object] | None, key: object) -> object:
    return (mapping or {}).get(key)


@register.filter
def runs_a_shop(user: object) -> bool:
    """Whether the navigation offers the provider's dashboard (one query, cached on the user)."""
    return is_provider(user)
