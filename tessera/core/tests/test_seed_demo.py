from io import StringIO

import pytest
from django.core.management import call_command

from tessera.accounts.models import User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_admin_password(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first, second = StringIO(), StringIO()

    call_command("seed_demo", stdout=first)
    counts = {User: User.objects.count()}
    call_command("seed_demo", stdout=second)

    assert counts == {User: User.objects.count()}
    password = (tmp_path / "admin-credentials.txt").read_text().split()[1]
    assert f"admin / {password}" in first.getvalue()
    assert f"admin / {password}" in second.getvalue()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    assert (tmp_path / "admin-credentials.txt").stat().st_mode & 0o077 == 0
