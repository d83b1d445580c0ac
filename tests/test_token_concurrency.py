"""Refresh tokens and superusers under real parallel clients (PostgreSQL, one connection each).

One refresh token sent by 8 clients at once is rotated exactly once: the family row's
conditional update lets one through; every other client's use is reuse and revokes the family.
Two superusers demoting each other at once leave one superuser.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rest_framework.test import APIClient

from tessera.accounts.errors import LastSuperuser
from tessera.accounts.models import TokenFamily, User
from tessera.accounts.roles import Role
from tessera.accounts.services import user_role_revoke
from tessera.accounts.tests.factories import TEST_PASSWORD

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 8


def _refresh(raw: str) -> tuple[int, str]:
    response = APIClient().post("/api/auth/token/refresh/", {"refresh": raw}, format="json")
    body = response.json()
    return response.status_code, body.get("code") or body["refresh"]


@pytest.mark.parametrize("trial", range(3))
def test_one_refresh_token_sent_by_parallel_clients_rotates_once(make_user, trial):
    user = make_user()
    tokens = (
        APIClient()
        .post(
            "/api/auth/token/",
            {"username": user.username, "password": TEST_PASSWORD},
            format="json",
        )
        .json()
    )

    answers = race(CLIENTS, lambda i: _refresh(tokens["refresh"]))

    statuses = Counter(status for status, _ in answers)
    assert statuses == {200: 1, 401: CLIENTS - 1}
    assert {code for status, code in answers if status == 401} == {"token_reused"}
    # The losers' reuse revoked the family: the winner's new token is refused too.
    winner = next(value for status, value in answers if status == 200)
    assert _refresh(winner) == (401, "token_reused")
    family = TokenFamily.objects.get(user=user)
    assert family.revoked_reason == "reused"


def test_two_superusers_demoting_each_other_leave_one(make_user):
    first = make_user(Role.STAFF, is_superuser=True)
    second = make_user(Role.STAFF, is_superuser=True)
    pairs = [(second, first), (first, second)]  # (target, actor)

    def demote(i: int) -> str:
        target, actor = pairs[i]
        try:
            user_role_revoke(user=User.objects.get(pk=target.pk), role=Role.STAFF, actor=actor)
        except LastSuperuser:
            return "last_superuser"
        return "demoted"

    results = race(2, demote)

    assert sorted(results) == ["demoted", "last_superuser"]
    assert User.objects.filter(is_superuser=True, is_active=True).count() == 1
