"""The bookings list in the admin: every filter has its own title (issue 10, defect 13)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_filters_of_the_bookings_list_have_distinct_titles(staff):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)

    response = client.get("/admin/bookings/booking/")

    assert response.status_code == 200
    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert len(titles) == len(set(titles)), titles
    assert "resource kind" in titles
    html = response.content.decode()
    assert html.count("By kind") == 1
    assert "By resource kind" in html

    filtered = client.get("/admin/bookings/booking/?allocations__resource__kind__exact=room")
    assert filtered.status_code == 200
