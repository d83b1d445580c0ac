"""Webhook signatures: what a receiver checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tessera.notifications.errors import WebhookSignatureExpired, WebhookSignatureInvalid
from tessera.notifications.signing import webhook_signature, webhook_signature_verify

SECRET = "whsec_test-secret-0123456789"
BODY = b'{"data":{"reference":"K7M2P9QX4T"},"id":"e1","type":"booking.confirmed"}'
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
TS = str(int(NOW.timestamp()))


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), TS.encode() + b"." + BODY, hashlib.sha256).hexdigest()
    assert webhook_signature(secret=SECRET, timestamp=TS, body=BODY) == f"sha256={expected}"


def test_a_valid_signature_verifies():
    signature = webhook_signature(secret=SECRET, timestamp=TS, body=BODY)
    webhook_signature_verify(secret=SECRET, body=BODY, timestamp=TS, signature=signature, now=NOW)


@pytest.mark.parametrize(
    ("body", "timestamp", "secret"),
    [
        (BODY.replace(b"K7M2", b"K7M3"), TS, SECRET),  # tampered body
        (BODY, str(int(TS) + 1), SECRET),  # timestamp changed after signing
        (BODY, TS, "another-secret-0123456789"),  # wrong secret
    ],
)
def test_a_tampered_request_is_refused(body, timestamp, secret):
    signature = webhook_signature(secret=SECRET, timestamp=TS, body=BODY)
    with pytest.raises(WebhookSignatureInvalid) as caught:
        webhook_signature_verify(
            secret=secret, body=body, timestamp=timestamp, signature=signature, now=NOW
        )
    assert caught.value.code == "webhook_signature_invalid"


@pytest.mark.parametrize("signature", ["", "sha256=", "sha256=00", "garbage", "sha1=abc"])
def test_a_malformed_signature_is_refused(signature):
    with pytest.raises(WebhookSignatureInvalid):
        webhook_signature_verify(
            secret=SECRET, body=BODY, timestamp=TS, signature=signature, now=NOW
        )


@pytest.mark.parametrize("timestamp", ["", "soon", "1.5e9", None])
def test_a_malformed_timestamp_is_refused(timestamp):
    with pytest.raises(WebhookSignatureInvalid):
        webhook_signature_verify(
            secret=SECRET, body=BODY, timestamp=timestamp, signature="sha256=00", now=NOW
        )


@pytest.mark.parametrize("skew", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_a_stale_or_future_timestamp_is_refused_even_when_correctly_signed(skew):
    signature = webhook_signature(secret=SECRET, timestamp=TS, body=BODY)
    with pytest.raises(WebhookSignatureExpired) as caught:
        webhook_signature_verify(
            secret=SECRET, body=BODY, timestamp=TS, signature=signature, now=NOW + skew
        )
    assert caught.value.code == "webhook_signature_expired"


def test_within_the_tolerance_is_accepted():
    signature = webhook_signature(secret=SECRET, timestamp=TS, body=BODY)
    webhook_signature_verify(
        secret=SECRET,
        body=BODY,
        timestamp=TS,
        signature=signature,
        now=NOW + timedelta(seconds=299),
    )
