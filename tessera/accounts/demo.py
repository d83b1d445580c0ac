"""Demo accounts: an admin with a generated password, and one user per role."""

import secrets
from pathlib import Path
from typing import TextIO

from django.conf import settings

from .models import User
from .roles import Role
from .services import user_register, user_role_grant

DEMO_PASSWORD = "tessera-demo-2026"  # noqa: S105  (demo accounts only, printed on start)
DEMO_USERS = {
    "alice": (Role.CUSTOMER, "alice@demo.tessera.local"),
    "bruno": (Role.PROVIDER, "bruno@demo.tessera.local"),
    "olga": (Role.ORGANIZER, "olga@demo.tessera.local"),
}


def _admin(out: TextIO) -> User:
    creds = Path(settings.DATA_DIR) / "admin-credentials.txt"
    admin = User.objects.filter(username="admin").first()
    if admin is None or not creds.exists():
        password = secrets.token_urlsafe(12)
        if admin is None:
            admin = User.objects.create_superuser("admin", "admin@demo.tessera.local", password)
        else:
            admin.set_password(password)
            admin.save(update_fields=["password"])
        creds.parent.mkdir(parents=True, exist_ok=True)
        creds.write_text(f"admin {password}\n")
        creds.chmod(0o600)
    _, password = creds.read_text().split()
    out.write(f"  admin account: admin / {password}   (kept in {creds})\n")
    return admin


def load(out: TextIO) -> None:
    admin = _admin(out)
    for username, (role, email) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_register(username=username, email=email, password=DEMO_PASSWORD)
        if role is not Role.CUSTOMER:
            user_role_grant(user=user, role=role, actor=admin)
    names = ", ".join(f"{u} ({r.value})" for u, (r, _) in DEMO_USERS.items())
    out.write(f"  demo users: {names}; password {DEMO_PASSWORD}\n")
