"""Every HSDS API response validates against the official compiled HSDS 3.0 schemas."""

import datetime as dt
import hashlib

import jsonschema
import pytest
from django.db import connection

from beacon.directory import models as m
from beacon.directory.taxonomy import load_beacon_taxonomy, term_id
from tests.directory.hsds_files import SHARED, USED, hsds_json, vendored

pytestmark = pytest.mark.django_db


def schema(name: str) -> dict:
    return hsds_json(f"schema/compiled/{name}.json")


def page_schema() -> dict:
    openapi = hsds_json("schema/openapi.json")
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


@pytest.mark.parametrize("rel", USED)
def test_the_app_vendors_every_hsds_file_the_tests_use(rel):
    """A clone without shared/hsds validates against the same bytes (checked when both)."""
    ours = vendored(rel)
    assert ours.is_file()
    shared = SHARED / rel
    if shared.is_file():
        assert (
            hashlib.sha256(ours.read_bytes()).digest()
            == hashlib.sha256(shared.read_bytes()).digest()
        )


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

    tax_schema = hsds_json("schema/taxonomy.json")
    term_schema = hsds_json("schema/taxonomy_term.json")
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


# --------------------------------------------------------------------------- search & paging


def names(client, query: str) -> list[str]:
    data = client.get(f"/api/hsds/services?per_page=100&{query}").json()
    assert data["total_items"] == len(data["contents"])
    return [s["name"] for s in data["contents"]]


@pytest.fixture
def indexed(directory):
    """The fixture directory plus a second service, with the search index built."""
    from beacon.directory.indexing import reindex_services

    other = m.Organization.objects.create(name="Hillside Peers", description="Peer groups.")
    m.Service.objects.create(
        organization=other,
        name="Hillside café group",
        description="A weekly circle for carers.",
        country="GB",
    )
    assert reindex_services() >= 2
    return directory


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Riverside Mind", ["Riverside listening line"]),  # organisation name
        ("listening LINE", ["Riverside listening line"]),  # service name, any case
        ("volunteer", ["Riverside listening line"]),  # a word of the description
        ("train", ["Riverside listening line"]),  # a word's beginning
        ("cafe", ["Hillside café group"]),  # accents folded
        ("Hillside carers", ["Hillside café group"]),  # every word, anywhere
        ("Riverside carers", []),
        ("istening", []),  # words match from their start
    ],
)
@pytest.mark.parametrize("word_index", [True, False], ids=["word-index", "scan"])
def test_search_uses_the_index(
    client, indexed, search, expected, word_index, monkeypatch, django_assert_max_num_queries
):
    from beacon.directory import queries

    assert queries._word_index() == {"sqlite": "fts5", "postgresql": "tsvector"}[connection.vendor]
    if not word_index:  # as when an SQLite table rebuild dropped the triggers: still right
        monkeypatch.setattr(queries, "_word_index", lambda: "")
    assert m.ServiceIndex.objects.filter(service=indexed).exists()
    with django_assert_max_num_queries(8):
        assert names(client, f"search={search}") == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 word index")
def test_a_missing_sqlite_trigger_makes_searches_scan(client, indexed):
    from beacon.directory import queries

    with connection.cursor() as cursor:  # what a table rebuild by a migration would do
        cursor.execute("DROP TRIGGER directory_serviceindex_fts_ai")

    assert queries._word_index() == ""
    assert names(client, "search=volunteer") == ["Riverside listening line"]


def test_the_word_index_follows_reindexing(client, indexed):
    from beacon.directory.indexing import reindex_services

    indexed.name = "Riverside talking line"
    indexed.save()
    reindex_services([indexed.id])

    assert names(client, "search=talking") == ["Riverside talking line"]
    assert names(client, "search=listening") == []


def test_search_finds_services_the_index_leaves_out_or_has_not_reached(client, indexed):
    closed = m.Service.objects.create(
        organization=indexed.organization, name="Riverside drop-in", status="defunct"
    )
    fresh = m.Service.objects.create(  # added without reindexing (a bulk load)
        organization=indexed.organization, name="Riverside outreach van"
    )

    assert not m.ServiceIndex.objects.filter(service__in=[closed, fresh]).exists()
    # Indexed services first, then the others (each by name): a stable order for paging.
    assert names(client, "search=riverside") == [
        "Riverside listening line",
        "Riverside drop-in",
        "Riverside outreach van",
    ]
    data = client.get("/api/hsds/services?per_page=2&page=2&search=riverside").json()
    assert [s["name"] for s in data["contents"]] == ["Riverside outreach van"]
    assert (data["total_items"], data["total_pages"], data["last_page"]) == (3, 2, True)
    assert names(client, "search=outreach") == ["Riverside outreach van"]
    assert names(client, "search=drop") == ["Riverside drop-in"]


def test_search_in_other_scripts_matches_the_text_itself(client, indexed):
    m.Service.objects.create(organization=indexed.organization, name="心理热线 Riverside")

    assert names(client, "search=心理") == ["心理热线 Riverside"]


def test_search_combines_with_taxonomy_term(client, indexed):
    kind = term_id("resource-kind", "crisis-helpline")

    assert names(client, f"search=riverside&taxonomy_term_id={kind}") == [
        "Riverside listening line"
    ]
    assert names(client, f"search=hillside&taxonomy_term_id={kind}") == []


def test_pages_follow_name_order_without_gaps_or_repeats(client, directory):
    org = directory.organization
    m.Service.objects.bulk_create(
        [m.Service(organization=org, name=f"Line {n:02d}") for n in range(23)]
        + [m.Service(organization=org, name="Line 05")]  # same name: the id decides
    )
    expected = list(m.Service.objects.order_by("name", "id").values_list("name", flat=True))

    seen = []
    for page in (1, 2, 3):
        data = client.get(f"/api/hsds/services?per_page=10&page={page}").json()
        assert (data["page_number"], data["total_items"], data["total_pages"]) == (page, 25, 3)
        assert (data["first_page"], data["last_page"]) == (page == 1, page == 3)
        seen += [s["name"] for s in data["contents"]]
    assert seen == expected
    past = client.get("/api/hsds/services?per_page=10&page=4").json()
    assert (past["size"], past["contents"], past["empty"], past["last_page"]) == (
        0,
        [],
        False,
        True,
    )
    jsonschema.validate(past, page_schema())


def test_list_pages_take_a_fixed_number_of_queries(
    client, directory, django_assert_max_num_queries
):
    org = directory.organization
    m.Service.objects.bulk_create(
        [m.Service(organization=org, name=f"Line {n:02d}") for n in range(60)]
    )
    for path in (
        "/api/hsds/services?per_page=50&page=2",
        "/api/hsds/organizations",
        "/api/hsds/service_at_locations",
        "/api/hsds/taxonomies",
        "/api/hsds/taxonomy_terms",
    ):
        with django_assert_max_num_queries(3):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("name", ["taxonomy_term_id", "organization_id"])
def test_a_malformed_id_filter_gets_a_clear_error(client, name):
    response = client.get(f"/api/hsds/services?{name}=not-a-uuid")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"{name} must be a UUID"


def test_empty_list_is_marked_empty(client, db):
    data = client.get("/api/hsds/services").json()

    jsonschema.validate(data, page_schema())
    assert (data["empty"], data["total_items"], data["total_pages"], data["contents"]) == (
        True,
        0,
        1,
        [],
    )
