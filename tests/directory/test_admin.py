"""The directory's admin: saving an organisation or a location re-indexes its services."""

import re

import pytest

from beacon.directory.demo import demo_id
from beacon.directory.models import Location, Organization, ServiceIndex
from beacon.directory.search import Filters, search
from tests.conftest import logged_in_client
from tests.directory.conftest import pt

pytestmark = pytest.mark.django_db

EASTSIDE = demo_id("service", "eastside-counselling")


def change_form(client, url: str) -> dict[str, str]:
    """The admin change form's fields as they stand (text inputs, selects, textareas)."""
    page = client.get(url).content.decode()
    data = {}
    for name, value in re.findall(r'<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"', page):
        data[name] = value
    for name, body in re.findall(
        r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S
    ):
        data[name] = body.strip()
    for name, body in re.findall(r'<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]* selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_renaming_an_organisation_reindexes_its_services(demo_directory, admin_user):
    c = logged_in_client(admin_user)
    org = Organization.objects.get(services__id=EASTSIDE)
    url = f"/admin/directory/organization/{org.id}/change/"
    data = change_form(c, url) | {"name": "Hawthorne Counselling Cooperative"}

    assert c.post(url, data).status_code == 302

    row = ServiceIndex.objects.get(service_id=EASTSIDE, primary=True)
    assert row.org_key == "hawthorne counselling cooperative"
    found = search(Filters(text="hawthorne"), now=pt(2026, 11, 18, 10, 30))
    assert [h.service_id for h in found.hits] == [EASTSIDE]


def test_moving_a_location_reindexes_the_services_there(demo_directory, admin_user):
    c = logged_in_client(admin_user)
    location = Location.objects.get(service_at_locations__service_id=EASTSIDE)
    url = f"/admin/directory/location/{location.id}/change/"
    data = change_form(c, url) | {"latitude": "45.6318", "longitude": "-122.6717"}

    assert c.post(url, data).status_code == 302

    row = ServiceIndex.objects.get(service_id=EASTSIDE, location=location)
    assert (row.latitude, row.longitude) == (45.6318, -122.6717)


def test_deleting_a_location_leaves_its_services_indexed(demo_directory, admin_user):
    c = logged_in_client(admin_user)
    location = Location.objects.get(service_at_locations__service_id=EASTSIDE)

    response = c.post(f"/admin/directory/location/{location.id}/delete/", {"post": "yes"})

    assert response.status_code == 302
    rows = ServiceIndex.objects.filter(service_id=EASTSIDE)
    assert [(r.reach, r.primary) for r in rows] == [("online", True)]
