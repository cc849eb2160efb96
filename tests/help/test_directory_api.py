"""Crisis lines are directory services: the HSDS API lists them by kind, and they validate."""

import jsonschema
import pytest

from beacon.directory.taxonomy import term_id
from beacon.help.models import CrisisListing
from tests.directory.test_api import no_nulls, page_schema, schema

pytestmark = pytest.mark.django_db

KIND = term_id("resource-kind", "crisis-helpline")


def test_the_hsds_api_lists_every_crisis_line_by_its_kind_and_they_validate(client, crisis_lines):
    data = client.get(f"/api/hsds/services?taxonomy_term_id={KIND}&per_page=100").json()

    jsonschema.validate(data, page_schema())
    for item in data["contents"]:
        jsonschema.validate(item, schema("service_list"))
    listed = {item["id"] for item in data["contents"]}
    assert listed == {str(i) for i in CrisisListing.objects.values_list("service_id", flat=True)}
    assert no_nulls(data)


def test_each_crisis_line_validates_as_a_full_hsds_service(client, crisis_lines):
    service_schema = schema("service")
    validator = jsonschema.validators.validator_for(service_schema)(service_schema)
    for listing in CrisisListing.objects.all():
        data = client.get(f"/api/hsds/services/{listing.service_id}").json()

        validator.validate(data)
        assert no_nulls(data)
        assert any(a["taxonomy_term"]["code"] == "crisis-helpline" for a in data["attributes"])


def test_a_24_7_line_exports_its_weekly_schedule(client, crisis_lines):
    listing = CrisisListing.objects.get(slug="gb-samaritans")

    data = client.get(f"/api/hsds/services/{listing.service_id}").json()

    assert data["phones"][0]["number"] == "116123"
    assert data["schedules"] == [
        {
            "id": data["schedules"][0]["id"],
            "service_id": str(listing.service_id),
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": "00:00",
            "closes_at": "00:00",
        }
    ]
