"""The provider's dashboard: the agenda of their resources (today or a week), the actions on
its bookings (approve, decline, no-show), each through the booking services."""
