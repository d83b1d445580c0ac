"""Hooks other apps register to follow changes of a resource, inside the same transaction.

`register_capacity_hook(hook)`: `hook(resource, old_capacity, new_capacity)` runs while the
resource row is locked, before the new capacity is saved. It raises a domain error to refuse
the change (e.g. bookings: more live bookings overlap than the new capacity allows) and keeps
its own rows in step (e.g. the `exclusive` flag that the overlap constraint uses).

`register_capacity_raised_hook(hook)`: `hook(resource, old_capacity, new_capacity)` runs after
a higher capacity is saved, in the same transaction, the resource row still locked (e.g.
bookings: promote waiting lists into the new room).
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Resource

CapacityHook = Callable[[Resource, int, int], None]
_capacity_hooks: list[CapacityHook] = []


def register_capacity_hook(hook: CapacityHook) -> None:
    if hook not in _capacity_hooks:
        _capacity_hooks.append(hook)


def run_capacity_hooks(resource: Resource, old: int, new: int) -> None:
    for hook in _capacity_hooks:
        hook(resource, old, new)


_raised_hooks: list[CapacityHook] = []


def register_capacity_raised_hook(hook: CapacityHook) -> None:
    if hook not in _raised_hooks:
        _raised_hooks.append(hook)


def run_capacity_raised_hooks(resource: Resource, old: int, new: int) -> None:
    for hook in _raised_hooks:
        hook(resource, old, new)
