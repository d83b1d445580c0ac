"""What the fuzz suites share: JSON bodies and query strings built from an endpoint family's
field names and tricky strings, and the one property every answer must have."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz_settings(max_examples: int) -> Any:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def json_bodies(keys: list[str], tricky: list[str], text_size: int = 20) -> Any:
    """Objects whose keys are mostly real field names and whose values are anything JSON holds."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=text_size),
        st.sampled_from(tricky),
    )
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(keys), inner, max_size=4)
        ),
        max_leaves=8,
    )
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), values, max_size=6)


def query_strings(names: list[str]) -> Any:
    return st.dictionaries(
        st.sampled_from(names),
        st.text(max_size=25) | st.integers(min_value=-(2**70), max_value=2**70).map(str),
        max_size=5,
    )


def assert_sane(response: Any) -> None:
    """Never a 500; every error a problem document with a code."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert isinstance(response.json()["code"], str)
