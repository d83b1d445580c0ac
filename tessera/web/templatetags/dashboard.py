"""Template helpers of the dashboard and walk-in pages."""

from __future__ import annotations

import math
from datetime import timedelta

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def wait_text(wait: timedelta | None) -> str:
    """An estimated wait in whole minutes, rounded up ("about 25 minutes"); "no wait" at 0."""
    if wait is None or wait <= timedelta(0):
        return gettext("no wait")
    minutes = math.ceil(wait.total_seconds() / 60)
    return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}


@register.filter
def walkin_label(walkin: object) -> str:
    """The name a board shows: the account's first name or username, else the given name."""
    user = getattr(walkin, "user", None)
    if user is not None:
        return str(user.first_name or user.username)
    return str(getattr(walkin, "name", "") or "")
