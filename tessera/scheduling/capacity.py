"""What follows a change of a resource's capacity, in the transaction of `resource_update`.

Bookings hold a resource's time, so the bookings app decides whether a lower capacity still
fits the live bookings, and whom a higher one lets in from the waiting list. It builds on this
app (it imports our models and locks), so this table names its functions by dotted path, as
Django's settings do, and `resource_update` calls them by those names:

- `BEFORE_CHANGE(resource=, old=, new=)`: while the resource row is locked, before the new
  capacity is saved; raises a domain error to refuse it (`capacity_below_bookings`) and keeps
  the bookings' rows in step (the `exclusive` flag of the overlap constraint).
- `AFTER_RAISE(resource=, old=, new=)`: after a higher capacity is saved, the row still locked:
  promotes the waiting entries that now fit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

BEFORE_CHANGE = "tessera.bookings.capacity.resource_capacity_check"
AFTER_RAISE = "tessera.bookings.capacity.resource_capacity_raised"


@functools.cache
def capacity_follower(path: str) -> Callable[..., Any]:
    return import_string(path)
