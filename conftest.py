"""Fixtures shared by every test suite: API clients per role, users, and the PostgreSQL gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need PostgreSQL: skip them, visibly, on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: ids come back after a rolled-back test (SQLite),
    so an availability or a rate-limit count kept by an earlier test must not leak into it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api() -> APIClient:
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    def make(role: Role = Role.CUSTOMER, **kwargs: Any) -> Any:
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """`client_for(user)`: a client that sends that user's JWT access token."""
    from rest_framework_simplejwt.tokens import AccessToken

    def make(user: Any) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        return client

    return make


@pytest.fixture
def customer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.CUSTOMER)


@pytest.fixture
def staff(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.STAFF)


@pytest.fixture
def customer_api(client_for: Callable[[Any], APIClient], customer: Any) -> APIClient:
    return client_for(customer)


@pytest.fixture
def staff_api(client_for: Callable[[Any], APIClient], staff: Any) -> APIClient:
    return client_for(staff)
