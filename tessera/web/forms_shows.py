"""Forms of the show pages: places of general admission, a seat selection, best available.
Shape checks only: the events services decide what is left and refuse the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.events import conf

MAX_SEATS_IN_FORM = conf.ITEMS_CEILING


class PlacesForm(forms.Form):
    """General admission: how many places, and whether to wait for them when sold out."""

    quantity = forms.IntegerField(label=_("Tickets"), min_value=1, max_value=conf.ITEMS_CEILING)
    waitlist = forms.BooleanField(required=False)


class SeatsField(forms.Field):
    """Several `seat` values, each a seat id; no duplicates, at most a hold's ceiling."""

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list) else ([value] if value else [])
        if len(values) > MAX_SEATS_IN_FORM:
            raise forms.ValidationError(_("That is more seats than you may hold at once."))
        ids = []
        for raw in values:
            text = str(raw).strip()
            if not text.isdigit() or len(text) > 12:
                raise forms.ValidationError(_("Choose seats from the map or the list."))
            ids.append(int(text))
        if len(set(ids)) != len(ids):
            raise forms.ValidationError(_("The same seat appears twice."))
        return ids


class SeatsWidget(forms.MultipleHiddenInput):
    pass


class SelectionForm(forms.Form):
    """The whole selection (`seat` repeated; none clears it), or `best` seats of `category`."""

    seat = SeatsField(required=False, widget=SeatsWidget)
    best = forms.IntegerField(
        label=_("How many seats"), required=False, min_value=1, max_value=conf.ITEMS_CEILING
    )
    category = forms.CharField(label=_("Seat type"), required=False, max_length=32)
