"""Every coded refusal has a human sentence, and a refusal reaches the page as one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.utils import translation

from tessera.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from tessera.web.feedback import error_text, report
from tessera.web.problems import PROBLEM_SENTENCES, problem_sentence

DOC = Path(__file__).resolve().parents[3] / "docs" / "api-errors.md"
# A table row whose first or second cell is a backticked code: `| 409 | `seat_taken` |` or
# `| `walkin_not_found` | 404 |` (and `a` / `b` pairs in one cell).
ROW = re.compile(r"^\|\s*(?:\d{3}\s*\|\s*)?(`[a-z_]+`(?:\s*/\s*`[a-z_]+`)*)\s*\|", re.MULTILINE)


def documented_codes() -> set[str]:
    codes: set[str] = set()
    for cell in ROW.findall(DOC.read_text()):
        codes.update(re.findall(r"`([a-z_]+)`", cell))
    return codes


def test_the_document_lists_the_codes_we_expect() -> None:
    codes = documented_codes()
    assert {"slot_unavailable", "seat_taken", "hold_expired", "capacity_exceeded"} <= codes
    assert {"cancellation_deadline_passed", "walkin_not_found", "erasure_live_bookings"} <= codes
    assert len(codes) > 80


def test_every_documented_code_has_a_sentence() -> None:
    missing = sorted(documented_codes() - set(PROBLEM_SENTENCES))
    assert missing == []


@pytest.mark.parametrize("code", sorted(PROBLEM_SENTENCES))
def test_every_sentence_is_translated_to_spanish(code: str) -> None:
    with translation.override("en"):
        english = str(PROBLEM_SENTENCES[code])
    with translation.override("es"):
        spanish = str(PROBLEM_SENTENCES[code])
    assert spanish and spanish != english


def test_an_unknown_code_falls_back_on_its_status() -> None:
    assert problem_sentence("no_such_code", 409) == str(PROBLEM_SENTENCES["conflict"])
    assert problem_sentence("no_such_code", 404) == str(PROBLEM_SENTENCES["not_found"])
    assert problem_sentence("no_such_code", 500) == str(PROBLEM_SENTENCES["server_error"])


def test_error_text_goes_by_code_not_by_the_developer_message() -> None:
    exc = Conflict("Slot 2026-12-07T09:00Z of resource 4 is full.", code="slot_unavailable")
    assert error_text(exc) == "That time has just been taken. Choose another time."
    with translation.override("es"):
        assert "hora" in error_text(exc)


class _Form(forms.Form):
    email = forms.EmailField()


def _request() -> object:
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_report_puts_a_field_error_on_the_named_field() -> None:
    form = _Form({"email": "a@example.com"})
    form.is_valid()
    status = report(_request(), ValidationFailed("x", code="unique", field="email"), form)  # type: ignore[arg-type]
    assert status == 400
    assert form.errors["email"] == ["That is already taken: choose another."]


def test_report_puts_an_error_of_an_unknown_field_on_the_whole_form() -> None:
    form = _Form({"email": "a@example.com"})
    form.is_valid()
    status = report(_request(), Conflict("x", code="too_late", field="start_time"), form)  # type: ignore[arg-type]
    assert status == 409
    assert form.non_field_errors() == ["That time is too soon to book. Choose a later time."]


def test_report_without_a_form_is_a_page_message() -> None:
    request = _request()
    status = report(request, NotFound(code="booking_not_found"), None)  # type: ignore[arg-type]
    assert status == 404
    assert [str(m) for m in get_messages(request)] == [  # type: ignore[arg-type]
        "That booking does not exist, or is not yours."
    ]


def test_a_plain_domain_error_is_a_sentence_too() -> None:
    assert error_text(DomainError()) == str(PROBLEM_SENTENCES["invalid"])
