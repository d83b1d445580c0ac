"""Notification channels: email, SMS and WhatsApp. `channel_send(notification)` picks one."""

from .base import SendFailed
from .registry import channel_send

__all__ = ["SendFailed", "channel_send"]
