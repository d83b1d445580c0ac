"""`Output` / `ModelOutput` render exactly what stock DRF renders, from fields built once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from tessera.accounts.models import User
from tessera.api.serializers import ModelOutput, Output


def shapes(base: type) -> Any:
    """The same declared fields on `base` (Output or stock Serializer)."""

    class Inner(base):
        name = serializers.CharField()
        doubled = serializers.SerializerMethodField()

        def get_doubled(self, obj):
            return obj.n * 2

    class Outer(base):
        id = serializers.IntegerField()
        when = serializers.DateTimeField()
        price = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
        owner_name = serializers.CharField(source="owner.name")
        maybe = serializers.CharField(required=False)  # missing attribute: skipped
        secret = serializers.CharField(write_only=True)
        inner = Inner()
        items = Inner(many=True)
        label = serializers.SerializerMethodField()

        def get_label(self, obj):
            return f"{self.context.get('prefix', '')}{obj.id}"

    return Outer


def thing(i: int, **extra):
    return SimpleNamespace(
        id=i,
        when=datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
        price=None if i % 2 else "12.5",
        owner=SimpleNamespace(name=f"owner {i}"),
        secret="never shown",
        inner=SimpleNamespace(name="a", n=i),
        items=[SimpleNamespace(name=f"x{k}", n=k) for k in range(3)],
        **extra,
    )


def test_renders_what_drf_renders():
    fast, stock = shapes(Output), shapes(serializers.Serializer)
    for obj in (thing(1), thing(2, maybe="here")):
        assert fast(obj).data == stock(obj).data
    many = [thing(i) for i in range(5)]
    assert fast(many, many=True).data == stock(many, many=True).data
    assert "secret" not in fast(thing(1)).data
    assert "maybe" not in fast(thing(1)).data


def test_method_fields_see_the_rendering_instance_and_its_context():
    fast = shapes(Output)
    assert fast(thing(7), context={"prefix": "#"}).data["label"] == "#7"
    assert fast(thing(7)).data["label"] == "7"


def test_times_follow_the_active_zone_at_render_time():
    fast, stock = shapes(Output), shapes(serializers.Serializer)
    with timezone.override(ZoneInfo("America/New_York")):
        assert fast(thing(1)).data["when"] == stock(thing(1)).data["when"]
        assert fast(thing(1)).data["when"].endswith("-05:00")
    assert fast(thing(1)).data["when"].endswith("Z")


def test_threads_render_their_own_objects():
    fast = shapes(Output)
    errors: list[str] = []

    def render(i: int) -> None:
        for _ in range(200):
            data = fast(thing(i)).data
            if data["id"] != i or data["inner"]["doubled"] != 2 * i:
                errors.append(f"thread {i} got {data['id']}")

    threads = [threading.Thread(target=render, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.django_db
def test_model_output_renders_what_a_model_serializer_renders():
    class Fast(ModelOutput):
        class Meta:
            model = User
            fields = ["id", "username", "email", "date_joined", "is_active"]

    class Stock(serializers.ModelSerializer):
        class Meta:
            model = User
            fields = ["id", "username", "email", "date_joined", "is_active"]

    user = User.objects.create_user("ana", "ana@example.com", "x" * 20)
    assert Fast(user).data == Stock(user).data
