"""Writes of scheduling: resources (`resources.py`) and their availability (`availability.py`)."""
