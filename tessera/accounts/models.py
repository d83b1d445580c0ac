from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person. Roles are groups (see `roles.py`); staff is also Django's `is_staff`.

    `external_issuer`/`external_subject` link a user to an identity of an external auth
    service whose signed tokens Tessera accepts (see `authentication.py`).
    """

    email = models.EmailField("email address", blank=True)
    external_issuer = models.CharField(max_length=255, blank=True, default="")
    external_subject = models.CharField(max_length=255, blank=True, default="")
    timezone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="IANA zone the pages show times in (empty: the resource's or venue's zone).",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with this email address already exists.",
            ),
            models.UniqueConstraint(
                fields=["external_issuer", "external_subject"],
                condition=~models.Q(external_subject=""),
                name="accounts_user_external_identity_unique",
            ),
        ]
