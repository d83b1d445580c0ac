"""The home page, browsing and searching what can be booked, and the public pages of a
provider, an event and a venue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError, NotFound
from tessera.events.models import Show
from tessera.events.selectors.search import (
    event_categories,
    show_search,
    show_upcoming,
    venue_public_get,
)
from tessera.events.selectors.shows import event_get
from tessera.scheduling.selectors.search import resource_owner_list, resource_search

from ..feedback import report
from ..labels import RESOURCE_KINDS

HOME_ITEMS = 6
BROWSE_ITEMS = 60
SHOWS = "shows"


def next_show_per_event(shows: Iterable[Show]) -> list[Show]:
    """The first show of each event (shows come ordered by start)."""
    seen: set[int] = set()
    firsts = []
    for show in shows:
        if show.event_id not in seen:
            seen.add(show.event_id)
            firsts.append(show)
    return firsts


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What can be booked: times with providers, rooms and equipment, and the next shows."""
    now = utcnow()
    resources = resource_search(actor=request.user)
    context = {
        "resources": list(resources[:HOME_ITEMS]),
        "resource_count": resources.count(),
        "shows": next_show_per_event(show_upcoming(now=now)[: HOME_ITEMS * 10])[:HOME_ITEMS],
        "kinds": RESOURCE_KINDS,
    }
    return render(request, "web/home.html", context)


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)
    date = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput({"type": "date"}))
    place = forms.CharField(label=_("Where"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: object, categories: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = [(key, label) for key, label in RESOURCE_KINDS.items() if key != "other"]
        kind, category = self.fields["kind"], self.fields["category"]
        assert isinstance(kind, forms.ChoiceField)
        assert isinstance(category, forms.ChoiceField)
        kind.choices = [("", _("Everything")), *kinds, (SHOWS, _("Shows and events"))]
        category.choices = [("", _("Any category")), *((c, c.capitalize()) for c in categories)]


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    """Search and filters: kind, day, place, category (of events), free text."""
    now = utcnow()
    form = BrowseForm(request.GET or None, categories=event_categories(now=now))
    status = 200
    values: dict[str, Any] = {"q": "", "kind": "", "date": None, "place": "", "category": ""}
    if form.is_bound:
        if form.is_valid():
            values.update(form.cleaned_data)
        else:
            status = 400
    kind: str = values["kind"] or ""
    day: date | None = values["date"]
    resources = []
    if kind != SHOWS and not values["category"]:
        found = resource_search(
            actor=request.user,
            kinds=[kind] if kind else [],
            text=values["q"],
            place=values["place"],
            day=day,
        )
        resources = list(found[:BROWSE_ITEMS])
    shows = []
    if not kind or kind == SHOWS:
        found_shows = show_search(
            now=now, text=values["q"], place=values["place"], category=values["category"], day=day
        )
        shows = next_show_per_event(found_shows[: BROWSE_ITEMS * 5])[:BROWSE_ITEMS]
    context = {"form": form, "resources": resources, "shows": shows}
    return render(request, "web/browse/browse.html", context, status=status)


@require_GET
def provider_page(request: HttpRequest, owner_id: int) -> HttpResponse:
    """Everything one provider offers (their barbers, rooms, equipment, ...)."""
    resources = list(resource_owner_list(actor=request.user, owner_id=owner_id))
    if not resources:
        status = report(request, NotFound(code="resource_not_found"))
        return render(request, "web/problem.html", {}, status=status)
    owner = resources[0].owner
    context = {"owner": owner, "resources": resources}
    return render(request, "web/browse/provider.html", context)


@require_GET
def event_page(request: HttpRequest, event_id: int) -> HttpResponse:
    """An event: description, category, and its upcoming shows with venue and prices."""
    now = utcnow()
    try:
        event = event_get(event_id=event_id, now=now)
    except DomainError as exc:
        return render(request, "web/problem.html", {}, status=report(request, exc))
    shows = list(show_upcoming(now=now).filter(event=event))
    return render(request, "web/browse/event.html", {"event": event, "shows": shows})


@require_GET
def venue_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    """A venue: location, facilities, time zone and what is on there."""
    now = utcnow()
    try:
        venue = venue_public_get(venue_id=venue_id)
    except DomainError as exc:
        return render(request, "web/problem.html", {}, status=report(request, exc))
    shows = list(show_upcoming(now=now).filter(venue=venue)[:BROWSE_ITEMS])
    return render(request, "web/browse/venue.html", {"venue": venue, "shows": shows})
