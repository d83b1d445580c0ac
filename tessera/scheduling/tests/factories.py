"""Factories for resources and their hours. Every id comes from the database, never a literal."""

from __future__ import annotations

from datetime import time
from typing import Any, cast

import factory

from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.scheduling.models import Closure, ExtraOpening, Resource, WeeklyHours

WEEKDAYS = range(7)


class ResourceFactory(factory.django.DjangoModelFactory):
    """A resource open every day 9:00-17:00 local unless `hours=[(weekday, start, end), ...]`."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Resource {n}")
    kind = "room"
    capacity = 1
    timezone = "Europe/Lisbon"
    owner = factory.SubFactory(UserFactory, role=Role.PROVIDER)

    @factory.post_generation
    def hours(obj: Resource, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        every_day = [(d, time(9), time(17)) for d in WEEKDAYS]
        ranges = every_day if extracted is None else extracted
        WeeklyHours.objects.bulk_create(
            WeeklyHours(resource=obj, weekday=d, start_time=s, end_time=e) for d, s, e in ranges
        )


def make_resource(**kwargs: Any) -> Resource:
    """`ResourceFactory(**kwargs)`, typed as what it makes."""
    return cast(Resource, ResourceFactory(**kwargs))


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    resource = factory.SubFactory(ResourceFactory)


class ExtraOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtraOpening

    resource = factory.SubFactory(ResourceFactory)
