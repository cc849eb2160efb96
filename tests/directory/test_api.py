"""Every HSDS API response validates against the official compiled HSDS 3.0 schemas."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from beacon.directory import models as m
from beacon.directory.taxonomy import load_beacon_taxonomy, term_id

pytestmark = pytest.mark.django_db

HSDS = Path(__file__).resolve().parents[3] / "shared" / "hsds" / "schema"


def schema(name: str) -> dict:
    return json.loads((HSDS / "compiled" / f"{name}.json").read_text())


def page_schema() -> dict:
    openapi = json.loads((HSDS / "openapi.json").read_text())
    page = openapi["components"]["schemas"]["Page"]
    return {
        **page,
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
    }


def no_nulls(value) -> bool:
    if value is None:
        return False
    if isinstance(value, dict):
        return all(no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return True


@pytest.fixture
def directory(db):
    load_beacon_taxonomy()
    org = m.Organization.objects.create(
        name="Riverside Mind", description="A local charity.", website="https://riverside.example"
    )
    service = m.Service.objects.create(
        organization=org,
        name="Riverside listening line",
        description="Talk to a trained volunteer.",
        assured_date=dt.date(2026, 11, 1),
        time_zone="Europe/London",
        country="GB",
    )
    loc = m.Location.objects.create(
        organization=org,
        location_type="physical",
        name="Riverside hub",
        latitude=51.5,
        longitude=-0.1,
    )
    m.Address.objects.create(
        location=loc,
        address_1="1 Quay Street",
        city="Riverside",
        state_province="Greater London",
        postal_code="E1 1AA",
        country="GB",
    )
    m.ServiceAtLocation.objects.create(service=service, location=loc)
    phone = m.Phone.objects.create(service=service, number="020 7946 0018", type="voice")
    m.Language.objects.create(phone=phone, code="en", name="English")
    m.Schedule.objects.create(
        service=service,
        freq="WEEKLY",
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(9),
        closes_at=dt.time(17),
        channel="call",
    )
    m.CostOption.objects.create(service=service, option="Free", amount=0, currency="GBP")
    m.Attribute.objects.create(
        link_id=service.id,
        link_entity="service",
        link_type="kind",
        taxonomy_term_id=term_id("resource-kind", "crisis-helpline"),
    )
    return service


def test_root_has_version_profile_and_openapi_url(client):
    data = client.get("/api/hsds/").json()

    assert data["version"] == "3.0" and data["openapi_url"].endswith("/api/hsds/openapi.json")
    assert client.get("/api/hsds/openapi.json").json()["paths"].keys() >= {"/services"}


def test_service_list_validates_and_is_paged(client, directory):
    data = client.get("/api/hsds/services?per_page=10").json()

    jsonschema.validate(data, page_schema())
    for item in data["contents"]:
        jsonschema.validate(item, schema("service_list"))
    assert (data["total_items"], data["empty"], data["first_page"], data["last_page"]) == (
        1,
        False,
        True,
        True,
    )
    assert no_nulls(data)


def test_full_service_validates_with_nested_objects(client, directory):
    data = client.get(f"/api/hsds/services/{directory.id}").json()

    jsonschema.validate(data, schema("service"))
    assert no_nulls(data)
    assert data["phones"][0]["number"] == "020 7946 0018"
    assert data["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Riverside"
    assert data["attributes"][0]["taxonomy_term"]["code"] == "crisis-helpline"


def test_filters_search_taxonomy_and_modified_after(client, directory):
    kind = term_id("resource-kind", "crisis-helpline")
    other = term_id("resource-kind", "support-group")

    assert client.get("/api/hsds/services?search=listening").json()["total_items"] == 1
    assert client.get("/api/hsds/services?search=nothing-like-it").json()["empty"] is True
    assert client.get(f"/api/hsds/services?taxonomy_term_id={kind}").json()["total_items"] == 1
    assert client.get(f"/api/hsds/services?taxonomy_term_id={other}").json()["total_items"] == 0
    assert (
        client.get("/api/hsds/services?modified_after=2100-01-01T00:00:00Z").json()["total_items"]
        == 0
    )


def test_bad_paging_gets_a_clear_error(client):
    response = client.get("/api/hsds/services?page=0")

    assert response.status_code == 400
    assert "page starts at 1" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "item_schema"),
    [
        ("/api/hsds/organizations", "organization_list"),
        ("/api/hsds/service_at_locations", "service_at_location_list"),
    ],
)
def test_other_lists_validate(client, directory, path, item_schema):
    data = client.get(path).json()

    jsonschema.validate(data, page_schema())
    for item in data["contents"]:
        jsonschema.validate(item, schema(item_schema))
    assert data["total_items"] == 1 and no_nulls(data)


def test_taxonomies_and_terms_validate(client, directory):
    taxonomies = client.get("/api/hsds/taxonomies").json()
    terms = client.get("/api/hsds/taxonomy_terms?per_page=100").json()

    tax_schema = json.loads((HSDS / "taxonomy.json").read_text())
    term_schema = json.loads((HSDS / "taxonomy_term.json").read_text())
    for t in taxonomies["contents"]:
        jsonschema.validate(
            t,
            {k: v for k, v in tax_schema.items() if k != "properties"}
            | {
                "properties": {
                    k: v
                    for k, v in tax_schema["properties"].items()
                    if "$ref" not in v and "items" not in v
                }
            },
        )
    for t in terms["contents"]:
        jsonschema.validate(
            t,
            {k: v for k, v in term_schema.items() if k != "properties"}
            | {
                "properties": {
                    k: v
                    for k, v in term_schema["properties"].items()
                    if "$ref" not in v and "items" not in v
                }
            },
        )
    assert taxonomies["total_items"] == 4 and terms["total_items"] == 24


def test_organization_detail_validates(client, directory):
    data = client.get(f"/api/hsds/organizations/{directory.organization_id}").json()

    jsonschema.validate(data, schema("organization"))
    assert data["services"][0]["name"] == "Riverside listening line"
