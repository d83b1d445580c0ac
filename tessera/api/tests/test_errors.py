"""Every malformed request to /api/ gets a clear 4xx problem document, never a 500 or HTML."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _assert_problem(response, status, code):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:tessera:problem:{code}"
    assert body["title"]
    assert body["detail"]
    return body


def test_unknown_route_is_a_404_problem(api):
    body = _assert_problem(api.get("/api/no/such/thing/"), 404, "not_found")
    assert body["instance"] == "/api/no/such/thing/"


def test_unknown_route_without_slash_is_still_a_problem(api):
    _assert_problem(api.post("/api/nothing-here", {}, format="json"), 404, "not_found")


def test_wrong_method_is_405_with_allow(customer_api):
    response = customer_api.delete("/api/users/me/")
    _assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_malformed_json_is_400(api):
    response = api.post("/api/users/", data='{"username": ', content_type="application/json")
    _assert_problem(response, 400, "malformed_body")


def test_json_that_is_not_an_object_is_400(api):
    response = api.post("/api/users/", data="[1, 2]", content_type="application/json")
    body = _assert_problem(response, 400, "invalid")
    assert body["errors"][0]["code"] == "invalid"


@pytest.mark.parametrize("body", ['{"a": NaN}', "\xff\xfe", '{"a": Infinity}'])
def test_non_json_values_are_400(api, body):
    response = api.post("/api/users/", data=body.encode("latin-1"), content_type="application/json")
    _assert_problem(response, 400, "malformed_body")


def test_json_nested_too_deep_is_400_not_500(api):
    response = api.post("/api/users/", data="[" * 200_000, content_type="application/json")
    _assert_problem(response, 400, "malformed_body")


def test_wrong_content_type_is_415(api):
    response = api.post(
        "/api/users/",
        data="username=a&password=b",
        content_type="application/x-www-form-urlencoded",
    )
    _assert_problem(response, 415, "unsupported_media_type")


def test_xml_is_415(api):
    response = api.post("/api/users/", data="<a/>", content_type="application/xml")
    _assert_problem(response, 415, "unsupported_media_type")


def test_huge_body_is_413_before_it_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = '{"username": "' + "a" * 2000 + '"}'
    body = _assert_problem(
        api.post("/api/users/", data=payload, content_type="application/json"),
        413,
        "request_too_large",
    )
    assert body["limit"] == 1000


def test_garbage_content_length_is_400(api):
    response = api.generic(
        "POST", "/api/users/", data="{}", content_type="application/json", CONTENT_LENGTH="abc"
    )
    _assert_problem(response, 400, "bad_request")


def test_unacceptable_accept_header_is_406(api):
    response = api.get("/api/users/me/", HTTP_ACCEPT="text/csv")
    _assert_problem(response, 406, "not_acceptable")


def test_csrf_failure_on_session_auth_is_a_problem(staff, customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(
        f"/api/users/{customer.pk}/roles/", {"role": "staff"}, content_type="application/json"
    )
    body = _assert_problem(response, 403, "permission_denied")
    assert "CSRF" in body["detail"]
    customer.refresh_from_db()
    assert not customer.is_staff


def test_unexpected_errors_are_a_500_problem_and_logged(api, monkeypatch, caplog):
    from tessera.accounts.api import views

    def boom(**kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(views, "user_register", boom)
    api.raise_request_exception = False
    response = api.post(
        "/api/users/",
        {"username": "a", "email": "a@example.com", "password": "correct-horse-9"},
        format="json",
    )
    body = _assert_problem(response, 500, "server_error")
    assert "kaput" not in body["detail"]
    assert any("Unhandled error" in r.message for r in caplog.records)


def test_pages_outside_the_api_keep_django_behaviour(api):
    response = api.get("/not-api/")
    assert response.status_code == 404
    assert response["Content-Type"] != PROBLEM


def test_domain_error_data_never_overwrites_the_problem_members():
    from tessera.api.exceptions import problem_exception_handler
    from tessera.core.errors import Conflict

    response = problem_exception_handler(
        Conflict("Taken.", code="seat_taken", status="held", seats=[1, 2]), {}
    )
    assert response is not None
    assert response.status_code == 409
    assert response.data["status"] == 409
    assert response.data["code"] == "seat_taken"
    assert response.data["data"] == {"status": "held"}
    assert response.data["seats"] == [1, 2]


@pytest.mark.parametrize(
    "message",
    [
        "deadlock detected\nDETAIL: Process 1 waits for ShareLock on transaction 2",
        "canceling statement due to lock timeout",
        "database is locked",
    ],
)
def test_lock_waits_and_deadlocks_are_a_409_to_retry(message):
    from django.db import OperationalError

    from tessera.api.exceptions import problem_exception_handler

    response = problem_exception_handler(OperationalError(message), {})
    assert response is not None
    assert response.status_code == 409
    assert response.data["code"] == "lock_timeout"
    assert response["Retry-After"] == "1"


@pytest.mark.parametrize(
    "exc",
    [
        "server closed the connection unexpectedly",
        "terminating connection due to administrator command",
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused',
        "interface:connection already closed",
    ],
)
def test_a_lost_database_connection_is_a_503_to_retry(exc):
    from django.db import InterfaceError, OperationalError

    from tessera.api.exceptions import problem_exception_handler

    error = (
        InterfaceError(exc.removeprefix("interface:"))
        if exc.startswith("interface:")
        else OperationalError(exc)
    )
    response = problem_exception_handler(error, {})
    assert response is not None
    assert response.status_code == 503
    assert response.data["code"] == "database_unavailable"
    assert int(response["Retry-After"]) > 0
    assert "5432" not in response.data["detail"]  # nothing about the infrastructure leaks


def test_bad_queries_and_constraint_errors_stay_500s():
    from django.db import IntegrityError, ProgrammingError

    from tessera.api.exceptions import problem_exception_handler

    assert problem_exception_handler(ProgrammingError("syntax error"), {}) is None
    assert problem_exception_handler(IntegrityError("duplicate key"), {}) is None


def test_a_lost_connection_outside_drf_is_a_503_problem(rf):
    from django.db import OperationalError

    from tessera.api.middleware import ApiProblemMiddleware

    middleware = ApiProblemMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = rf.post("/api/bookings/")
    response = middleware.process_exception(request, OperationalError("server closed"))
    assert response is not None
    _assert_problem(response, 503, "database_unavailable")
    assert response["Retry-After"] == "5"
