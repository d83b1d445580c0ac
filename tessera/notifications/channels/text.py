"""SMS and WhatsApp behind one provider interface.

`console` writes the message to the log (the embedded default: nothing leaves the machine).
`twilio` posts to any Twilio-compatible REST API (Twilio itself, or a gateway that speaks its
form-encoded `Messages.json`): `TWILIO_BASE_URL`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`,
`SMS_FROM`, `WHATSAPP_FROM`.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Protocol
from urllib.parse import quote, urlencode

from django.conf import settings

from .base import SendFailed
from .http import HttpTransportError, http_post

logger = logging.getLogger(__name__)


class TextProvider(Protocol):
    def send(self, *, to: str, body: str, whatsapp: bool) -> str:
        """Send, return the provider's message id, or raise `SendFailed`."""
        ...


class ConsoleTextProvider:
    def send(self, *, to: str, body: str, whatsapp: bool) -> str:
        channel = "whatsapp" if whatsapp else "sms"
        logger.info("%s to %s: %s", channel, to, body, extra={"channel": channel, "to": to})
        return f"console:{uuid.uuid4()}"


class TwilioTextProvider:
    """Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json` with basic auth."""

    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        auth_token: str,
        sms_from: str,
        whatsapp_from: str,
        timeout: float,
    ) -> None:
        if not (account_sid and auth_token):
            raise SendFailed("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set")
        self.url = (
            f"{base_url.rstrip('/')}/2010-04-01/Accounts/{quote(account_sid, safe='')}"
            "/Messages.json"
        )
        self.auth = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode("ascii")
        self.sms_from = sms_from
        self.whatsapp_from = whatsapp_from
        self.timeout = timeout

    def send(self, *, to: str, body: str, whatsapp: bool) -> str:
        sender = self.whatsapp_from if whatsapp else self.sms_from
        if not sender:
            raise SendFailed("no sender number is configured for this channel", permanent=True)
        prefix = "whatsapp:" if whatsapp else ""
        form = urlencode({"To": prefix + to, "From": prefix + sender, "Body": body})
        try:
            result = http_post(
                self.url,
                body=form.encode("utf-8"),
                headers={
                    "Authorization": f"Basic {self.auth}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
                timeout=self.timeout,
            )
        except HttpTransportError as exc:
            raise SendFailed(f"provider unreachable: {exc}") from exc
        if 200 <= result.status < 300:
            try:
                return str(json.loads(result.body).get("sid", ""))
            except (ValueError, AttributeError):
                return ""
        # 4xx means this message will never go through (bad number, bad credentials), except
        # for rate limits and timeouts, which a later attempt can get past.
        permanent = 400 <= result.status < 500 and result.status not in (408, 429)
        raise SendFailed(
            f"provider answered {result.status}: {result.body[:300]}", permanent=permanent
        )


def text_provider(channel: str) -> TextProvider:
    conf = settings.NOTIFICATIONS
    name = conf["WHATSAPP_PROVIDER" if channel == "whatsapp" else "SMS_PROVIDER"]
    if name == "console":
        return ConsoleTextProvider()
    if name == "twilio":
        return TwilioTextProvider(
            base_url=conf["TWILIO_BASE_URL"],
            account_sid=conf["TWILIO_ACCOUNT_SID"],
            auth_token=conf["TWILIO_AUTH_TOKEN"],
            sms_from=conf["SMS_FROM"],
            whatsapp_from=conf["WHATSAPP_FROM"],
            timeout=float(conf["HTTP_TIMEOUT_SECONDS"]),
        )
    raise SendFailed(f"unknown text provider {name!r} (console or twilio)", permanent=True)
