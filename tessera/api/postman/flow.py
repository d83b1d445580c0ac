"""The folder "Flow": the requests a newcomer makes first, in order, with exact expectations.

Signs in as the demo users (`manage.py seed_demo`) and captures their tokens into the
environment; then the payloads the earlier systems documented (shared seeds: register with
username/email/password, a venue, an event with date/time/venue/capacity, a booking with
`{"event"}`, cancel, the booking history) and a booking of a free time of a resource. The ids it
creates are put into the environment, where the per-resource folders after it find them.
"""

from __future__ import annotations

import json
from typing import Any

from .items import NO_AUTH, bearer, item, var


def _expect(status: int, *fields: str) -> list[str]:
    lines = [f"pm.test('status {status}', () => pm.response.to.have.status({status}));"]
    if fields:
        lines += [
            "pm.test('key fields', () => {",
            "  const body = pm.response.json();",
            *(f"  pm.expect(body).to.have.property('{field}');" for field in fields),
            "});",
        ]
    return lines


def _keep(variable: str, expression: str) -> list[str]:
    return [f"pm.environment.set('{variable}', {expression});"]


def _sign_in(who: str, username: str, password: str, token: str) -> dict[str, Any]:
    return item(
        name=f"Sign in as {who}",
        method="post",
        url="/api/auth/token/",
        auth=NO_AUTH,
        body=json.dumps({"username": var(username), "password": var(password)}),
        tests=[
            *_expect(200, "access", "refresh"),
            *_keep(token, "pm.response.json().access"),
            *_keep(token.replace("Token", "Refresh"), "pm.response.json().refresh"),
        ],
    )


def _time_booking() -> list[dict[str, Any]]:
    customer = bearer("customerToken")
    return [
        item(
            name="Who am I (customer)",
            method="get",
            url="/api/users/me/",
            auth=customer,
            tests=[
                *_expect(200, "id", "username", "roles"),
                "pm.test('it is the customer', () => "
                "pm.expect(pm.response.json().username).to.eql(pm.environment.get("
                "'customerUsername')));",
                *_keep("customerId", "pm.response.json().id"),
            ],
        ),
        item(
            name="Resources (find the demo tennis court)",
            method="get",
            url="/api/resources/?page_size=100",
            auth=customer,
            tests=[
                *_expect(200, "count", "results"),
                "const court = pm.response.json().results.find("
                "(r) => r.name === 'Academy tennis court');",
                "pm.test('the demo court is listed', () => pm.expect(court).to.be.an('object'));",
                *_keep("resources_id", "court.id"),
            ],
        ),
        item(
            name="Free hours of the court this week",
            method="get",
            url="/api/resources/{{resources_id}}/availability/?duration=60",
            auth=customer,
            tests=[
                *_expect(200, "slots", "timezone"),
                "const free = pm.response.json().slots.filter((s) => s.places_left > 0);",
                "pm.test('there is a free hour', () => pm.expect(free.length).to.be.above(0));",
                *_keep("slotStart", "free[free.length - 1].start"),
            ],
        ),
        item(
            name="Book the last free hour",
            method="post",
            url="/api/bookings/",
            auth=customer,
            body='{"resource": {{resources_id}}, "start_time": "{{slotStart}}", "duration": 60}',
            tests=[
                *_expect(201, "id", "reference", "status", "start_time"),
                "pm.test('confirmed at the asked time', () => {",
                "  const booking = pm.response.json();",
                "  pm.expect(booking.status).to.eql('confirmed');",
                "  pm.expect(Date.parse(booking.start_time))"
                ".to.eql(Date.parse(pm.environment.get('slotStart')));",
                "});",
                *_keep("bookings_id", "pm.response.json().id"),
                *_keep("bookingReference", "pm.response.json().reference"),
            ],
        ),
        item(
            name="The booking",
            method="get",
            url="/api/bookings/{{bookings_id}}/",
            auth=customer,
            tests=[
                *_expect(200, "reference", "status"),
                "pm.test('same reference', () => pm.expect(pm.response.json().reference)"
                ".to.eql(pm.environment.get('bookingReference')));",
            ],
        ),
        item(
            name="Cancel it",
            method="post",
            url="/api/bookings/{{bookings_id}}/cancel/",
            auth=customer,
            body="{}",
            tests=[
                *_expect(200, "status", "cancelled_at"),
                "pm.test('cancelled', () => "
                "pm.expect(pm.response.json().status).to.eql('cancelled'));",
            ],
        ),
    ]


def _seed_payloads() -> list[dict[str, Any]]:
    organizer, newcomer = bearer("organizerToken"), bearer("newcomerToken")
    return [
        item(
            name="Register (seed payload)",
            method="post",
            url="/api/users/",
            auth=NO_AUTH,
            body='{"username": "newman{{$timestamp}}{{$randomInt}}", '
            '"email": "newman{{$timestamp}}@example.com", "password": "a-long-passphrase"}',
            tests=[
                *_expect(201, "id", "username", "email"),
                "pm.test('no password in the answer', () => "
                "pm.expect(pm.response.json()).to.not.have.property('password'));",
                *_keep("users_id", "pm.response.json().id"),
                *_keep("newcomerUsername", "pm.response.json().username"),
            ],
        ),
        item(
            name="Sign in as the newcomer",
            method="post",
            url="/api/auth/token/",
            auth=NO_AUTH,
            body='{"username": "{{newcomerUsername}}", "password": "a-long-passphrase"}',
            tests=[*_expect(200, "access"), *_keep("newcomerToken", "pm.response.json().access")],
        ),
        item(
            name="Create a venue (seed payload)",
            method="post",
            url="/api/venues/",
            auth=organizer,
            body={
                "name": "Conference Hall",
                "location": "123 Main St",
                "capacity": 200,
                "facilities": "WiFi, Projector",
            },
            tests=[
                *_expect(201, "id", "name", "capacity"),
                *_keep("venues_id", "pm.response.json().id"),
            ],
        ),
        item(
            name="Create an event (seed payload)",
            method="post",
            url="/api/events/",
            auth=organizer,
            body='{"title": "Tech Conference", "description": "A conference about the latest '
            'in tech.", "date": "2030-08-01", "time": "10:00:00", "venue": {{venues_id}}, '
            '"capacity": 200}',
            tests=[
                *_expect(201, "id", "title", "show_count"),
                *_keep("events_id", "pm.response.json().id"),
            ],
        ),
        item(
            name="Book a place at the event (seed payload)",
            method="post",
            url="/api/bookings/",
            auth=newcomer,
            body='{"event": {{events_id}}}',
            tests=[
                *_expect(201, "id", "reference", "status", "kind"),
                "pm.test('admission, confirmed', () => {",
                "  pm.expect(pm.response.json().kind).to.eql('admission');",
                "  pm.expect(pm.response.json().status).to.eql('confirmed');",
                "});",
                *_keep("eventBookingId", "pm.response.json().id"),
            ],
        ),
        item(
            name="Cancel the place (seed payload)",
            method="post",
            url="/api/bookings/{{eventBookingId}}/cancel/",
            auth=newcomer,
            body="{}",
            tests=[
                *_expect(200, "status"),
                "pm.test('cancelled', () => "
                "pm.expect(pm.response.json().status).to.eql('cancelled'));",
            ],
        ),
        item(
            name="The newcomer's booking history",
            method="get",
            url="/api/users/{{users_id}}/booking-history/",
            auth=newcomer,
            tests=[
                *_expect(200, "count", "results"),
                "pm.test('the cancelled place is in it', () => {",
                "  const ids = pm.response.json().results.map((b) => b.id);",
                "  pm.expect(ids).to.include(pm.environment.get('eventBookingId'));",
                "});",
            ],
        ),
    ]


def flow_folder() -> dict[str, Any]:
    sign_ins = [
        _sign_in("the demo customer", "customerUsername", "demoPassword", "customerToken"),
        _sign_in("the demo organizer", "organizerUsername", "demoPassword", "organizerToken"),
        _sign_in("the admin", "adminUsername", "adminPassword", "adminToken"),
        item(
            name="Refresh the customer's token",
            method="post",
            url="/api/auth/token/refresh/",
            auth=NO_AUTH,
            body='{"refresh": "{{customerRefresh}}"}',
            tests=[
                *_expect(200, "access", "refresh"),
                *_keep("customerToken", "pm.response.json().access"),
                *_keep("customerRefresh", "pm.response.json().refresh"),
            ],
        ),
    ]
    return {
        "name": "Flow",
        "description": "Sign in, book, cancel; the payloads of the earlier systems.",
        "item": [*sign_ins, *_time_booking(), *_seed_payloads()],
    }
