from typing import Any

import factory
from django.contrib.auth.models import Group

from tessera.accounts.models import User
from tessera.accounts.roles import Role

TEST_PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with one role (`UserFactory(role=Role.PROVIDER)`); staff also get `is_staff`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)
    role = Role.CUSTOMER

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        role = Role(kwargs.pop("role"))
        if role is Role.STAFF:
            kwargs["is_staff"] = True
        user = super()._create(model_class, *args, **kwargs)
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
        return user
