"""Reads of scheduling: resources (`resources.py`) and their availability rows (`times.py`)."""
