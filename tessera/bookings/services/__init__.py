"""Writes of bookings: create (`create.py`), change (`changes.py`), status (`status.py`)."""
