"""Forms of the booking pages: a slot (its start), a cancellation reason, profile fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SlotForm(forms.Form):
    """One slot of the picker: its start (ISO 8601; the picker always sends the offset, a time
    without one is read as UTC) and whether to wait for it."""

    start = forms.DateTimeField()
    waitlist = forms.BooleanField(required=False)
    resource_with = forms.IntegerField(required=False, min_value=1)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=255, required=False, widget=forms.TextInput()
    )
