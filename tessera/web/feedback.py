"""One way for every page to show a refused service call: a sentence, never a stack trace.

Views call a service inside `try: ... except DomainError as exc: status = report(request, exc,
form)`. The refusal becomes a form error (on the field the service named, when the form has it)
or a page message, in the visitor's language, and the view answers with the error's own 4xx
status so that scripts and tests see the refusal too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tessera.core.errors import DomainError

from .problems import problem_sentence


def error_text(exc: DomainError) -> str:
    """The human sentence for a service's refusal (translated; the code decides, not the text)."""
    return problem_sentence(exc.code, exc.status)


def report(
    request: HttpRequest,
    exc: DomainError,
    form: forms.Form | None = None,
    *,
    fields: Mapping[str, str] | None = None,
) -> int:
    """Show `exc` on the page being rendered; returns the HTTP status to answer with.

    With a form, the sentence is attached to the field the service named (renamed through
    `fields` where the form calls it otherwise), or to the whole form; without a form, it
    becomes an error message shown in the layout's message area.
    """
    text = error_text(exc)
    if form is not None:
        field: Any = exc.field.split(".")[0] if exc.field else None
        field = (fields or {}).get(field, field)
        form.add_error(field if field in form.fields else None, text)
    else:
        messages.error(request, text)
    return exc.status


def booked(request: HttpRequest, booking: Any) -> HttpResponse:
    """After a booking of any kind was made from a page: say what it became (booked, requested
    from the owner, or a place in line) and show it."""
    if booking.status == "waitlisted":
        messages.success(
            request, _("You are on the waiting list. We will tell you if it frees up.")
        )
    elif booking.status == "pending":
        messages.success(request, _("Requested. The owner will confirm it; we will tell you."))
    else:
        messages.success(request, _("Booked. See you there!"))
    return redirect("web:booking", booking_id=booking.pk)
