"""Admin: watch the outbox and deliveries, manage webhook subscriptions, replay, retry.

Actions and saves call the services, so the admin follows the same rules as the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tessera.core.errors import DomainError, ValidationFailed

from .models import (
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from .services import (
    outbox_message_retry,
    webhook_delivery_replay,
    webhook_subscription_create,
    webhook_subscription_update,
)
from .services.webhooks import event_patterns_clean


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _report(modeladmin: admin.ModelAdmin, request: HttpRequest, done: int, verb: str) -> None:
    modeladmin.message_user(request, f"{verb}: {done}.", messages.SUCCESS)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "aggregate", "aggregate_id", "status", "attempts", "available_at"]
    list_filter = ["status", "event_type", "aggregate"]
    search_fields = ["aggregate_id", "=event_id", "dedup_key"]
    date_hierarchy = "created_at"
    actions = ["retry_dead"]

    @admin.action(description="Retry the selected dead messages", permissions=["view"])
    def retry_dead(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        done = 0
        for message in queryset.filter(status=OutboxStatus.DEAD):
            outbox_message_retry(message=message, actor=request.user)
            done += 1
        _report(self, request, done, "Retried")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "channel", "recipient", "language", "status", "attempts"]
    list_filter = ["status", "channel", "event_type", "language"]
    search_fields = ["recipient", "=event_id", "user__username"]
    list_select_related = ["user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "sms_enabled", "whatsapp_enabled", "opted_out"]
    list_filter = ["opted_out", "sms_enabled", "whatsapp_enabled"]
    search_fields = ["user__username", "phone_number"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class WebhookSubscriptionForm(forms.ModelForm):
    event_types_text = forms.CharField(
        label="Event types",
        help_text="Comma-separated: booking.confirmed, booking.*, or *.",
    )
    secret = forms.CharField(
        required=False, help_text="Leave empty to generate one (shown after saving)."
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["event_types_text"].initial = ", ".join(self.instance.event_types)

    def clean_event_types_text(self) -> list[str]:
        raw = self.cleaned_data["event_types_text"]
        try:
            return event_patterns_clean([p.strip() for p in raw.split(",") if p.strip()])
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_secret(self) -> str:
        secret = self.cleaned_data.get("secret") or ""
        if secret and len(secret) < 16:
            raise forms.ValidationError("Use at least 16 characters (or leave it empty).")
        return secret


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "url", "event_types", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret_shown", "created_at", "updated_at"]

    @admin.display(description="Signing secret")
    def secret_shown(self, obj: WebhookSubscription) -> str:
        return obj.secret

    def save_model(
        self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "url": data["url"],
            "event_types": data["event_types_text"],
            "is_active": data["is_active"],
        }
        if change:
            if data.get("secret"):
                fields["secret"] = data["secret"]
            webhook_subscription_update(subscription=obj, actor=request.user, **fields)
        else:
            created = webhook_subscription_create(
                actor=request.user, secret=data.get("secret") or "", **fields
            )
            obj.pk = created.pk
            obj.secret = created.secret


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("at", "status_code", "error", "duration_ms", "response_body")
    readonly_fields = ("at", "status_code", "error", "duration_ms", "response_body")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_type",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["=event_id", "=uid"]
    list_select_related = ["subscription"]
    inlines = [WebhookAttemptInline]
    actions = ["replay"]

    @admin.action(description="Replay the selected deliveries", permissions=["view"])
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        done = 0
        for delivery in queryset.select_related("subscription"):
            try:
                webhook_delivery_replay(delivery=delivery, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{delivery.uid}: {exc}", messages.WARNING)
        _report(self, request, done, "Replayed")
