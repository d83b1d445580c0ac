"""Admin of what the web pages keep: guests, guest bookings, used links, embed settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from tessera.core.errors import DomainError

from .models import EmbedSettings, GuestBooking, GuestCustomer, SignedLinkUse
from .services.embed import origins_clean


@admin.register(GuestCustomer)
class GuestCustomerAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(GuestBooking)
class GuestBookingAdmin(admin.ModelAdmin):
    list_display = ["booking", "email_confirmed_at", "created_at"]
    raw_id_fields = ["booking"]
    readonly_fields = ["booking", "email_confirmed_at", "created_at"]


@admin.register(SignedLinkUse)
class SignedLinkUseAdmin(admin.ModelAdmin):
    list_display = ["booking", "action", "used_at"]
    list_filter = ["action"]
    readonly_fields = ["digest", "action", "booking", "used_at"]


class EmbedSettingsForm(forms.ModelForm):
    class Meta:
        model = EmbedSettings
        fields = ["owner", "allowed_origins"]

    def clean_allowed_origins(self) -> list[str]:
        value: Any = self.cleaned_data["allowed_origins"] or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise forms.ValidationError('A list of addresses, e.g. ["https://shop.example"].')
        try:
            return origins_clean(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(EmbedSettings)
class EmbedSettingsAdmin(admin.ModelAdmin):
    form = EmbedSettingsForm
    list_display = ["owner", "allowed_origins", "updated_at"]
    raw_id_fields = ["owner"]
    search_fields = ["owner__username"]
