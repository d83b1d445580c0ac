"""A person's profile: name, email, time zone (accounts) and how they are told (notification
preferences: language, phone, channels, opt-out and muted messages)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tessera.accounts.services import user_profile_update
from tessera.core.errors import DomainError
from tessera.core.timezones import iana_zones
from tessera.notifications.events import NOTIFIED_EVENTS
from tessera.notifications.selectors import preference_get
from tessera.notifications.services.preferences import preference_update

from ..feedback import report

MESSAGES = {
    "booking.created": gettext_lazy("A booking is made"),
    "booking.confirmed": gettext_lazy("A booking is confirmed"),
    "booking.changed": gettext_lazy("A booking is moved"),
    "booking.cancelled": gettext_lazy("A booking is cancelled"),
    "booking.declined": gettext_lazy("A booking is declined"),
    "booking.expired": gettext_lazy("A booking request lapses"),
    "booking.reminder": gettext_lazy("Reminder before a booking"),
    "booking.waitlisted": gettext_lazy("You join a waiting list"),
    "booking.promoted": gettext_lazy("A place frees up for you"),
    "walkin.joined": gettext_lazy("You join a walk-in line"),
    "walkin.called": gettext_lazy("It is your turn in line"),
}


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"))
    phone_number = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "In international form, e.g. +34600111222. Needed for SMS or WhatsApp."
        ),
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Times are shown in it. Empty: the local time of each place."),
    )
    email_enabled = forms.BooleanField(label=gettext_lazy("Tell me by email"), required=False)
    sms_enabled = forms.BooleanField(label=gettext_lazy("Tell me by SMS"), required=False)
    whatsapp_enabled = forms.BooleanField(label=gettext_lazy("Tell me by WhatsApp"), required=False)
    opted_out = forms.BooleanField(
        label=gettext_lazy("Send me nothing at all (opt out)"), required=False
    )
    muted_events = forms.MultipleChoiceField(
        label=gettext_lazy("Messages I do not want"),
        required=False,
        choices=[(name, MESSAGES.get(name, name)) for name in NOTIFIED_EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        zones = sorted(iana_zones())
        timezone = self.fields["timezone"]
        assert isinstance(timezone, forms.ChoiceField)
        timezone.choices = [("", _("The place's own time")), *((z, z) for z in zones)]


PREFERENCE_FIELDS = (
    "phone_number",
    "language",
    "email_enabled",
    "sms_enabled",
    "whatsapp_enabled",
    "opted_out",
    "muted_events",
)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    preference = preference_get(user=user)
    initial = {
        "first_name": user.first_name,  # type: ignore[union-attr]
        "last_name": user.last_name,  # type: ignore[union-attr]
        "email": user.email,  # type: ignore[union-attr]
        "timezone": user.timezone,  # type: ignore[union-attr]
        **{name: getattr(preference, name) for name in PREFERENCE_FIELDS},
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # both parts of the form, or neither
                    user_profile_update(
                        user=user,  # type: ignore[arg-type]
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                        timezone=data["timezone"],
                    )
                    preference_update(user=user, **{name: data[name] for name in PREFERENCE_FIELDS})
            except DomainError as exc:
                status = report(request, exc, form)
            else:
                messages.success(request, _("Saved."))
                response = redirect("web:profile")
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["language"], samesite="Lax")
                return response
    return render(request, "web/account/profile.html", {"form": form}, status=status)
