"""The walk-in board (queue with waits, call next / serve / finish / add by name, QR code, TV
view) and the public join page the QR code leads to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.walkins.models import WalkIn

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def barber(chair: Any) -> Client:
    client = Client()
    client.force_login(chair.owner)
    return client


def board(chair: Any) -> str:
    return f"/dashboard/walk-ins/{chair.pk}/"


def join_page(chair: Any) -> str:
    return f"/walk-in/{chair.pk}/"


def _join(make_user: Any, chair: Any, username: str) -> Client:
    client = Client()
    client.force_login(make_user(Role.CUSTOMER, username=username, first_name=username.title()))
    assert client.post(f"{join_page(chair)}join/").status_code == 302
    return client


class TestJoinPage:
    def test_anyone_sees_the_wait_and_is_asked_to_sign_in(self, client: Client, chair) -> None:
        html = client.get(join_page(chair)).content.decode()
        assert "0 people waiting" in html and "Estimated wait: no wait" in html
        assert f"/account/sign-in/?next=/walk-in/{chair.pk}/" in html

    def test_joining_shows_the_place_and_the_wait(self, make_user, chair) -> None:
        _join(make_user, chair, "ana")
        second = _join(make_user, chair, "ben")
        html = second.get(join_page(chair)).content.decode()
        assert "You are number 2." in html and "1 person ahead of you." in html
        assert "Estimated wait: about 20 minutes." in html  # the default service time

    def test_joining_twice_is_told(self, make_user, chair) -> None:
        client = _join(make_user, chair, "ana")
        response = client.post(f"{join_page(chair)}join/")
        assert response.status_code == 409
        assert "You are already in this line." in response.content.decode()
        assert WalkIn.objects.filter(resource=chair).count() == 1

    def test_leaving(self, make_user, chair) -> None:
        client = _join(make_user, chair, "ana")
        assert client.post(f"{join_page(chair)}leave/").status_code == 302
        assert WalkIn.objects.get(resource=chair).status == "left"
        assert client.post(f"{join_page(chair)}leave/").status_code == 409

    def test_an_unknown_resource_is_404(self, client: Client, db: None) -> None:
        assert client.get("/walk-in/999999/").status_code == 404

    def test_anonymous_cannot_join(self, client: Client, chair) -> None:
        response = client.post(f"{join_page(chair)}join/")
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
        assert not WalkIn.objects.exists()


class TestBoard:
    def test_the_queue_with_waits_and_the_qr_code(self, barber, make_user, chair) -> None:
        _join(make_user, chair, "ana")
        _join(make_user, chair, "ben")
        html = barber.get(board(chair)).content.decode()
        assert "Waiting: 2 people" in html
        assert html.index("Ana") < html.index("Ben")
        assert "no wait" in html and "about 20 minutes" in html
        assert "<svg" in html and f"http://testserver/walk-in/{chair.pk}/" in html

    def test_call_next_then_finish_records_a_completed_booking(
        self, barber, make_user, chair, frozen
    ) -> None:
        _join(make_user, chair, "ana")
        assert barber.post(f"{board(chair)}call/").status_code == 302
        served = WalkIn.objects.get(resource=chair)
        assert served.status == "served"
        assert "Being served" in barber.get(board(chair)).content.decode()
        frozen.shift(timedelta(minutes=25))
        assert barber.post(f"{board(chair)}finish/", {"walkin": served.pk}).status_code == 302
        served.refresh_from_db()
        assert served.finished_at is not None
        assert served.booking is not None and served.booking.status == "completed"

    def test_serve_a_given_one_out_of_order(self, barber, make_user, chair) -> None:
        _join(make_user, chair, "ana")
        _join(make_user, chair, "ben")
        ben = WalkIn.objects.get(user__username="ben")
        barber.post(f"{board(chair)}call/", {"walkin": ben.pk})
        ben.refresh_from_db()
        assert ben.status == "served"
        assert WalkIn.objects.get(user__username="ana").status == "waiting"

    def test_refusals_are_sentences_with_their_status(self, barber, chair) -> None:
        response = barber.post(f"{board(chair)}call/")
        assert response.status_code == 409 and "Nobody is waiting." in response.content.decode()
        response = barber.post(f"{board(chair)}finish/", {"walkin": "nope"})
        assert response.status_code == 404
        response = barber.post(f"{board(chair)}add/", {"name": "  "})
        assert response.status_code == 400
        assert not WalkIn.objects.exists()

    def test_add_someone_without_an_account(self, barber, chair) -> None:
        barber.post(f"{board(chair)}add/", {"name": "Walk-in Wanda", "phone": ""})
        assert "Walk-in Wanda" in barber.get(board(chair)).content.decode()

    def test_another_provider_gets_404(self, make_user, chair) -> None:
        other = Client()
        other.force_login(make_user(Role.PROVIDER))
        assert other.get(board(chair)).status_code == 404
        assert other.post(f"{board(chair)}add/", {"name": "X"}).status_code == 404
        assert not WalkIn.objects.exists()

    def test_the_tv_view_refreshes_itself(self, barber, make_user, chair) -> None:
        _join(make_user, chair, "ana")
        html = barber.get(f"{board(chair)}tv/").content.decode()
        assert 'hx-trigger="every 15s"' in html and "#1" in html and "<svg" in html
        part = barber.get(f"{board(chair)}tv/", headers={"HX-Request": "true"}).content.decode()
        assert part.lstrip().startswith('<div id="tv"') and "<html" not in part
