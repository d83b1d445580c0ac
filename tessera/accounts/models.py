from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac


class User(AbstractUser):
    """A person. Roles are groups (see `roles.py`); staff is also Django's `is_staff`.

    `external_issuer`/`external_subject` link a user to an identity of an external auth
    service whose signed tokens Tessera accepts (see `authentication.py`).

    `auth_generation` goes up on "sign out everywhere": tokens carry the generation they were
    issued in (`gen`), and sessions hash it in, so every older token and session stops working.
    """

    email = models.EmailField("email address", blank=True)
    external_issuer = models.CharField(max_length=255, blank=True, default="")
    external_subject = models.CharField(max_length=255, blank=True, default="")
    auth_generation = models.PositiveIntegerField(default=0, editable=False)
    timezone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",  # the previous release inserts users without it (docs/operations.md)
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

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's session check hashes the password only; the generation joins it so that
        # "sign out everywhere" ends sessions as well as tokens. Django calls this one private
        # hook for the current key and for SECRET_KEY_FALLBACKS alike (tested in test_tokens).
        key_salt = "tessera.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.auth_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class TokenFamily(models.Model):
    """The refresh tokens descended from one sign-in. Only the newest (`current_jti`) may be
    rotated, and only once: rotation is a conditional update of this row. Presenting any older
    token of the family is reuse (a stolen token, or a client that lost a race) and revokes the
    family."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_families")
    current_jti = models.CharField(max_length=255)
    created_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_tokfam_user_idx")]

    def __str__(self) -> str:
        return f"token family {self.pk} of user {self.user_id}"
