"""`/analytics/`: the SVG page, and the pure chart functions."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.analytics.charts import Bar, ratio_bars_svg, stacked_bars_svg
from tessera.events.tests.factories import ShowFactory
from tessera.scheduling.tests.factories import make_resource

from .conftest import at

PAGE = "/analytics/"
MARCH = {"start": "2027-03-01", "end": "2027-03-07"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_provider_sees_the_trend_and_utilisation_as_svg(make_user: Any, book_time: Any) -> None:
    provider = make_user(Role.PROVIDER)
    room = make_resource(name="Room <A>", owner=provider, timezone="UTC")
    book_time(room, at(3, 10), created=at(1, 9))
    book_time(room, at(3, 12), status="cancelled", created=at(2, 9))

    response = _client(provider).get(PAGE, MARCH)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2  # trend + resources (a provider has no shows)
    assert "Room &lt;A&gt;" in html and "Room <A>" not in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "1 confirmed" in html and "1 cancelled" in html
    if os.environ.get("ANALYTICS_PAGE_OUT"):  # for a look in a browser (see docs/analytics.md)
        with open(os.environ["ANALYTICS_PAGE_OUT"], "w") as out:
            out.write(html)


@pytest.mark.django_db
def test_staff_see_resources_and_shows(make_user: Any, book_show: Any) -> None:
    book_show(ShowFactory(starts_at=at(5, 20), capacity=4), 3)
    html = _client(make_user(Role.STAFF)).get(PAGE, MARCH).content.decode()
    assert html.count("<svg") == 3
    assert "75%" in html


@pytest.mark.django_db
def test_a_customer_gets_403(customer: Any) -> None:
    response = _client(customer).get(PAGE)
    assert response.status_code == 403
    assert "<svg" not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"tz": "Nowhere/Land"}, {"start": "2027-03-09", "end": "2027-03-01"}, {"period": "year"}],
)
def test_bad_parameters_are_a_400_page(make_user: Any, params: dict[str, str]) -> None:
    response = _client(make_user(Role.PROVIDER)).get(PAGE, params)
    assert response.status_code == 400
    assert "<svg" not in response.content.decode()


def test_stacked_bars_scale_to_the_tallest_column() -> None:
    svg = stacked_bars_svg(
        [Bar("a", {"confirmed": 2, "cancelled": 2}), Bar("b", {"confirmed": 1})], title="t"
    )
    heights = [
        float(h)
        for h in re.findall(
            r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill', svg
        )
    ]
    # The tallest column fills the plot (176 px); the 1-booking bar is a quarter of it.
    assert heights[:3] == [88.0, 88.0, 44.0]


def test_empty_charts_say_so() -> None:
    assert "No bookings" in stacked_bars_svg([Bar("a", {"confirmed": 0})], title="t")
    assert "Nothing to show" in ratio_bars_svg([], title="t")


def test_ratio_bars_cap_overflow_and_mark_it() -> None:
    svg = ratio_bars_svg([("over", 1.5), ("half", 0.5), ("closed", None)], title="t")
    assert "150%" in svg and "50%" in svg and "never open" in svg
    assert 'fill="#D55E00"' in svg  # over capacity is drawn in the warning colour
