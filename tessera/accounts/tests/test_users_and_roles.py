import pytest

from tessera.accounts.access import user_can
from tessera.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_staff_lists_users_customers_may_not(staff_api, customer_api, customer):
    listed = staff_api.get("/api/users/")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    assert {"count", "next", "previous", "results"} <= set(listed.json())

    refused = customer_api.get("/api/users/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def test_users_see_themselves_but_not_others(customer_api, customer, make_user):
    other = make_user()
    assert customer_api.get(f"/api/users/{customer.pk}/").status_code == 200
    assert customer_api.get(f"/api/users/{other.pk}/").status_code == 403


@pytest.mark.parametrize("pk", ["999999", "abc", "1e3"])
def test_unknown_or_malformed_user_ids_are_404(staff_api, pk):
    response = staff_api.get(f"/api/users/{pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_staff_grants_and_revokes_roles(staff_api, customer):
    granted = staff_api.post(f"/api/users/{customer.pk}/roles/", {"role": "provider"})
    assert granted.status_code == 200
    assert granted.json()["roles"] == ["customer", "provider"]

    revoked = staff_api.delete(f"/api/users/{customer.pk}/roles/provider/")
    assert revoked.status_code == 200
    assert revoked.json()["roles"] == ["customer"]


def test_granting_staff_opens_the_admin(staff_api, customer):
    staff_api.post(f"/api/users/{customer.pk}/roles/", {"role": "staff"})
    customer.refresh_from_db()
    assert customer.is_staff

    staff_api.delete(f"/api/users/{customer.pk}/roles/staff/")
    customer.refresh_from_db()
    assert not customer.is_staff


def test_staff_cannot_revoke_their_own_staff_role(staff_api, staff):
    response = staff_api.delete(f"/api/users/{staff.pk}/roles/staff/")
    assert response.status_code == 403
    assert response.json()["code"] == "self_revoke"


def test_role_errors(staff_api, customer_api, customer):
    unknown = staff_api.post(f"/api/users/{customer.pk}/roles/", {"role": "wizard"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0] == {
        "field": "role",
        "code": "invalid_choice",
        "message": '"wizard" is not a valid choice.',
    }
    assert staff_api.delete(f"/api/users/{customer.pk}/roles/wizard/").status_code == 404
    assert (
        customer_api.post(f"/api/users/{customer.pk}/roles/", {"role": "staff"}).status_code == 403
    )


def test_the_access_policy(make_user, customer, staff):
    other = make_user()
    assert user_can(customer, "view", customer)
    assert not user_can(customer, "change", other)
    assert user_can(staff, "change", other)
    other.is_active = False
    assert not user_can(other, "view", other)


def test_role_groups_carry_their_permissions(db):
    from django.contrib.auth.models import Group

    staff_group = Group.objects.get(name=Role.STAFF.value)
    codenames = set(staff_group.permissions.values_list("codename", flat=True))
    assert {"view_user", "change_user"} <= codenames
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
