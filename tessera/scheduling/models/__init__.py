"""Resources booked by time, and their availability (weekly hours, dated closures and openings)."""

from .availability import Closure, ExtraOpening, Weekday, WeeklyHours
from .resources import Resource, ResourceKind

__all__ = ["Closure", "ExtraOpening", "Resource", "ResourceKind", "Weekday", "WeeklyHours"]
