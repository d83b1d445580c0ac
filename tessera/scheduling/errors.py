"""Scheduling error codes (rendered by the API as problem documents, see docs/api-errors.md)."""

from tessera.core.errors import Conflict


class ResourceInactive(Conflict):
    default_code = "resource_inactive"
    default_message = "This resource is not taking bookings."


class CapacityBelowBookings(Conflict):
    default_code = "capacity_below_bookings"
    default_message = "More live bookings overlap than the new capacity allows."
