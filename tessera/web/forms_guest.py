"""Forms of booking without an account and of the embed settings (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GuestDetailsForm(forms.Form):
    """Who is booking, and the slot chosen in the picker."""

    start = forms.DateTimeField(widget=forms.HiddenInput())
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send a link to this address: the booking is yours once you follow it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+[1-9][0-9 ()-]{6,24}$",
        max_length=32,
        help_text=_("With the country code, so the provider can reach you: +351 912 345 678."),
        error_messages={
            "invalid": _("Enter the number with its country code, such as +351 912 345 678.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        """International form without spaces (+351912345678), as notifications keep it."""
        digits = "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit())
        if not 7 <= len(digits) <= 15:
            raise forms.ValidationError(self.fields["phone"].error_messages["invalid"])
        return "+" + digits


class EmbedOriginsForm(forms.Form):
    allowed_origins = forms.CharField(
        label=_("Sites allowed to show your booking page"),
        required=False,
        max_length=4000,
        help_text=_("One address a line, such as https://shop.example. Leave empty for none."),
        widget=forms.Textarea(attrs={"rows": 4, "autocapitalize": "none", "spellcheck": "false"}),
    )

    def origins(self) -> list[str]:
        return [line for line in self.cleaned_data["allowed_origins"].splitlines() if line.strip()]
