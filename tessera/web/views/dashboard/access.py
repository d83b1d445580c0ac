"""Who may open the dashboard: people with the provider role (staff too, for their own
resources). Everyone else is told why, in a sentence, with a 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tessera.accounts.access import has_role
from tessera.accounts.roles import Role

View = Callable[..., HttpResponse]


def is_provider(user: Any) -> bool:
    return has_role(user, Role.PROVIDER) or has_role(user, Role.STAFF)


def provider_required(view: View) -> View:
    """Signed in (else the sign-in page) and a provider (else a 403 page that says why)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_provider(request.user):
            return render(request, "web/dashboard/not_provider.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)
