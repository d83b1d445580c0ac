"""Reads of bookings: lists and one booking (`bookings.py`), free time (`availability.py`)."""
