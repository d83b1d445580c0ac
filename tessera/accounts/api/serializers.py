from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.api.serializers import ModelOutput

from ..models import User
from ..roles import ROLE_CHOICES
from ..selectors import user_roles


class UserRegisterInput(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class ErasedEmailField(serializers.EmailField):
    """An email address, or null when the account has none (erased, or an external identity
    that gave none): an empty string would not be the `format: email` the schema promises."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "help_text",
            "Null when the account has none (erased, or an external identity without one).",
        )
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:  # an address, or None
        return str(value) if value else None


class UserRegisterOutput(ModelOutput):
    class Meta:
        model = User
        fields = ["id", "username", "email"]
        read_only_fields = fields


class UserOutput(ModelOutput):
    email = ErasedEmailField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "roles", "date_joined"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ROLE_CHOICES)))
    def get_roles(self, user: User) -> list[str]:
        return user_roles(user)


class RoleGrantInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class PasswordChangeInput(serializers.Serializer):
    old_password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    new_password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
