"""Who may erase or demote whom (guards.py): through the API and in the admin."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tessera.accounts.errors import LastSuperuser
from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.services import user_role_revoke
from tessera.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(make_user):
    return make_user(Role.STAFF, is_superuser=True, username="admin")


def _signs_in(user) -> bool:
    response = APIClient().post(
        "/api/auth/token/", {"username": user.username, "password": TEST_PASSWORD}, format="json"
    )
    return response.status_code == 200


def _refused(response, code):
    assert response.status_code == 403, response.content
    assert response.json()["code"] == code


def test_staff_made_through_the_api_cannot_erase_a_superuser(
    superuser, customer, client_for, staff_api
):
    assert staff_api.post(f"/api/users/{customer.pk}/roles/", {"role": "staff"}).status_code == 200
    promoted = client_for(User.objects.get(pk=customer.pk))

    _refused(promoted.post(f"/api/users/{superuser.pk}/erasure/", {}), "cannot_erase_superuser")
    assert _signs_in(superuser)


def test_a_superuser_cannot_erase_another_superuser_either(superuser, make_user, client_for):
    other = make_user(Role.STAFF, is_superuser=True)
    _refused(
        client_for(superuser).post(f"/api/users/{other.pk}/erasure/"), "cannot_erase_superuser"
    )
    assert _signs_in(other)


@pytest.mark.parametrize("as_superuser", [False, True])
def test_nobody_erases_themselves(make_user, client_for, as_superuser):
    me = make_user(Role.STAFF, is_superuser=as_superuser)
    code = "cannot_erase_self"
    _refused(client_for(me).post(f"/api/users/{me.pk}/erasure/"), code)
    assert _signs_in(me)


def test_only_a_superuser_erases_a_staff_member(staff_api, superuser, make_user, client_for):
    colleague = make_user(Role.STAFF)
    _refused(staff_api.post(f"/api/users/{colleague.pk}/erasure/"), "cannot_erase_staff")
    assert _signs_in(colleague)

    done = client_for(superuser).post(f"/api/users/{colleague.pk}/erasure/")
    assert done.status_code == 200, done.content
    assert not User.objects.get(pk=colleague.pk).is_active


def test_staff_cannot_demote_a_superuser(superuser, staff_api, client_for):
    _refused(staff_api.delete(f"/api/users/{superuser.pk}/roles/staff/"), "cannot_demote_superuser")
    superuser.refresh_from_db()
    assert superuser.is_staff and superuser.is_superuser
    assert client_for(superuser).get("/api/users/").status_code == 200


def test_a_superuser_demoted_by_another_loses_every_staff_right(superuser, make_user, client_for):
    other = make_user(Role.STAFF, is_superuser=True)

    response = client_for(superuser).delete(f"/api/users/{other.pk}/roles/staff/")

    assert response.status_code == 200, response.content
    assert "staff" not in response.json()["roles"]
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser
    assert client_for(other).get("/api/users/").status_code == 403
    assert client_for(other).post(f"/api/users/{superuser.pk}/erasure/").status_code == 403


def test_the_last_superuser_is_never_demoted(superuser, make_user):
    """Two superusers demoting each other: the second demotion finds its actor already demoted
    and itself the last; the check reads the rows under lock, not the actor it was given."""
    other = make_user(Role.STAFF, is_superuser=True)
    stale_other = User.objects.get(pk=other.pk)
    user_role_revoke(user=other, role=Role.STAFF, actor=superuser)

    with pytest.raises(LastSuperuser):
        user_role_revoke(user=superuser, role=Role.STAFF, actor=stale_other)
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.is_staff


# --- the admin ------------------------------------------------------------------------------


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_staff_cannot_change_a_superuser_or_its_password_in_the_admin(superuser, staff):
    browser = _browser(staff)
    page = f"/admin/accounts/user/{superuser.pk}/"
    changed = browser.post(f"{page}password/", {"password1": "x-9" * 6, "password2": "x-9" * 6})
    assert changed.status_code == 403
    assert browser.get(f"{page}delete/").status_code == 403
    assert _signs_in(superuser)


def test_staff_cannot_make_themselves_superuser_in_the_admin(staff):
    browser = _browser(staff)
    form = browser.get(f"/admin/accounts/user/{staff.pk}/change/")
    assert form.status_code == 200
    assert b'name="is_superuser"' not in form.content
    assert b'name="user_permissions"' not in form.content


def test_the_last_superuser_keeps_its_status_in_the_admin(superuser):
    browser = _browser(superuser)
    page = f"/admin/accounts/user/{superuser.pk}/change/"
    response = browser.post(
        page,
        {
            "username": superuser.username,
            "email": superuser.email,
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert b"last active superuser" in response.content
    superuser.refresh_from_db()
    assert superuser.is_superuser
    assert browser.get(f"/admin/accounts/user/{superuser.pk}/delete/").status_code == 403
