"""Every HSDS API response validates against the official compiled HSDS 3.0 schemas."""

import datetime as dt
import hashlib

import jsonschema
import pytest
from django.db import connection

from beacon.directory import models as m
from beacon.directory.taxonomy import load_beacon_taxonomy, taxonomy_id, term_id
from tests.directory.hsds_files import SHARED, USED, hsds_json, vendored

pytestmark = pytest.mark.django_db


FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def validate(instance, schema_doc: dict) -> None:
    """Validate with the formats checked too (uuid, date, email...), as HSDS means them."""
    jsonschema.validate(instance, schema_doc, format_checker=FORMATS)


def schema(name: str) -> dict:
    return hsds_json(f"schema/compiled/{name}.json")


def object_schema(name: str) -> jsonschema.Draft202012Validator:
    """A validator for one HSDS object with its `$ref`s (to the other per-object schemas)
    resolved offline, for the objects that have no compiled schema (taxonomy, term)."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    upstream = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
    registry = Registry().with_resources(
        (
            upstream + f"{n}.json",
            Resource.from_contents(
                hsds_json(f"schema/{n}.json"), default_specification=DRAFT202012
            ),
        )
        for n in ("taxonomy", "taxonomy_term", "metadata")
    )
    return jsonschema.Draft202012Validator(
        {"$ref": upstream + f"{name}.json"}, registry=registry, format_checker=FORMATS
    )


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

    validate(data, page_schema())
    for item in data["contents"]:
        validate(item, schema("service_list"))
    assert (data["total_items"], data["empty"], data["first_page"], data["last_page"]) == (
        1,
        False,
        True,
        True,
    )
    assert no_nulls(data)


def test_full_service_validates_with_nested_objects(client, directory):
    data = client.get(f"/api/hsds/services/{directory.id}").json()

    validate(data, schema("service"))
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

    validate(data, page_schema())
    for item in data["contents"]:
        validate(item, schema(item_schema))
    assert data["total_items"] == 1 and no_nulls(data)


def test_taxonomies_and_terms_validate(client, directory):
    taxonomies = client.get("/api/hsds/taxonomies").json()
    terms = client.get("/api/hsds/taxonomy_terms?per_page=100").json()

    for t in taxonomies["contents"]:
        object_schema("taxonomy").validate(t)
    for t in terms["contents"]:
        object_schema("taxonomy_term").validate(t)
    assert taxonomies["total_items"] == 4 and terms["total_items"] == 24


def test_taxonomy_id_filters_the_terms(client, directory):
    kinds = taxonomy_id("resource-kind")

    data = client.get(f"/api/hsds/taxonomy_terms?per_page=100&taxonomy_id={kinds}").json()

    assert data["total_items"] == 6 == len(data["contents"])
    assert {t["taxonomy_id"] for t in data["contents"]} == {str(kinds)}
    assert {t["code"] for t in data["contents"]} >= {"crisis-helpline", "support-group"}
    bad = client.get("/api/hsds/taxonomy_terms?taxonomy_id=kinds")
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "taxonomy_id must be a UUID"


def test_every_detail_endpoint_the_openapi_document_advertises_answers_and_validates(
    client, directory
):
    sal = directory.service_at_locations.get()
    m.Phone.objects.create(service_at_location=sal, number="020 7946 0019", type="voice")
    m.Schedule.objects.create(
        service_at_location=sal, freq="WEEKLY", byday="SA", opens_at="10:00", closes_at="12:00"
    )
    m.Contact.objects.create(service_at_location=sal, name="Duty desk")
    kind = term_id("resource-kind", "crisis-helpline")
    ids = {
        "/services/{id}": directory.id,
        "/organizations/{id}": directory.organization_id,
        "/taxonomies/{id}": taxonomy_id("resource-kind"),
        "/taxonomy_terms/{id}": kind,
        "/service_at_locations/{id}": sal.id,
    }
    check = {
        "/services/{id}": lambda d: validate(d, schema("service")),
        "/organizations/{id}": lambda d: validate(d, schema("organization")),
        "/taxonomies/{id}": object_schema("taxonomy").validate,
        "/taxonomy_terms/{id}": object_schema("taxonomy_term").validate,
        "/service_at_locations/{id}": lambda d: validate(d, schema("service_at_location")),
    }
    advertised = {p for p in client.get("/api/hsds/openapi.json").json()["paths"] if "{" in p}

    assert advertised == set(ids)
    for path, pk in ids.items():
        response = client.get("/api/hsds" + path.replace("{id}", str(pk)))
        assert response.status_code == 200, path
        data = response.json()
        check[path](data)
        assert data["id"] == str(pk) and no_nulls(data)
    term = client.get(f"/api/hsds/taxonomy_terms/{kind}").json()
    assert term["taxonomy_detail"]["name"] == "Beacon resource kinds"
    place = client.get(f"/api/hsds/service_at_locations/{sal.id}").json()
    assert place["location"]["addresses"][0]["city"] == "Riverside"
    assert place["service"]["name"] == "Riverside listening line"
    assert [p["number"] for p in place["phones"]] == ["020 7946 0019"]
    assert [x["byday"] for x in place["schedules"]] == ["SA"]
    assert [c["name"] for c in place["contacts"]] == ["Duty desk"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/hsds/services/00000000-0000-0000-0000-000000000000",
        "/api/hsds/services/not-a-uuid",
        "/api/hsds/organizations/not-a-uuid",
        "/api/hsds/taxonomies/00000000-0000-0000-0000-000000000000",
        "/api/hsds/taxonomy_terms/42",
        "/api/hsds/service_at_locations/00000000-0000-0000-0000-000000000000",
        "/api/hsds/no-such-endpoint",
        "/api/hsds/services/",
    ],
)
def test_not_found_is_json(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 404


@pytest.mark.parametrize(
    "query",
    ["page=abc", "per_page=1000", "modified_after=yesterday", "organization_id=x"],
)
def test_bad_requests_are_json(client, db, query):
    response = client.get(f"/api/hsds/services?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["message"]


def test_modified_after_without_an_offset_is_utc(client, directory, settings):
    settings.TIME_ZONE = "America/Los_Angeles"  # the server's zone must not matter
    m.Service.objects.filter(pk=directory.pk).update(
        last_modified=dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC)
    )

    def total(value: str) -> int:
        return client.get(f"/api/hsds/services?modified_after={value}").json()["total_items"]

    assert total("2026-11-01T14:00:00") == 1  # 14:00 UTC, before 15:00 UTC
    assert total("2026-11-01T16:00:00") == 0
    assert total("2026-11-01T14:00:00-02:00") == 0  # 16:00 UTC
    assert total("2026-11-01") == 1  # a date: from its midnight, UTC


def test_organization_detail_validates(client, directory):
    data = client.get(f"/api/hsds/organizations/{directory.organization_id}").json()

    validate(data, schema("organization"))
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


def test_a_service_added_after_a_search_is_found_before_reindexing(client, indexed):
    """Whether the index is complete is remembered between searches, but not past a new
    or changed service: the next search reads the unindexed ones again."""
    assert names(client, "search=riverside") == ["Riverside listening line"]
    m.Service.objects.create(organization=indexed.organization, name="Riverside outreach van")

    assert names(client, "search=riverside") == [
        "Riverside listening line",
        "Riverside outreach van",
    ]


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
    validate(past, page_schema())


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

    validate(data, page_schema())
    assert (data["empty"], data["total_items"], data["total_pages"], data["contents"]) == (
        True,
        0,
        1,
        [],
    )


@pytest.fixture
def many_indexed(directory):
    """25 more services whose words include "circle" (some on two sites, so they have index
    rows that are not primary), a few without it, and a defunct one; the index built."""
    from beacon.directory.indexing import reindex_services

    org = directory.organization
    sites = [
        m.Location.objects.create(
            organization=org, location_type="physical", latitude=51.5 + i / 10, longitude=-0.1
        )
        for i in range(2)
    ]
    for n in range(25):
        service = m.Service.objects.create(
            organization=org,
            name=f"{'Circle' if n % 2 else 'circle'} {24 - n:02d}",  # names vs folded keys
            description="A peer circle." if n % 3 else "Peer support.",
            country="GB",
        )
        if n % 4 == 0:
            for site in sites:
                m.ServiceAtLocation.objects.create(service=service, location=site)
    m.Service.objects.create(organization=org, name="Circle (closed)", status="defunct")
    reindex_services()
    assert m.ServiceIndex.objects.filter(primary=False).exists()
    return directory


@pytest.mark.parametrize("few", [0, 10_000], ids=["walk", "sorted"])
def test_search_pages_are_the_same_with_or_without_the_word_index(
    client, many_indexed, monkeypatch, few
):
    """However the index page is read (walking the name index against the word index's
    matches, or sorting the matches), the pages, counts and order are the same."""
    from beacon.directory import queries

    monkeypatch.setattr(queries, "FEW_MATCHES", few)  # SQLite: walk or sort
    monkeypatch.setattr(queries, "PG_WALK_ROWS", 5000 if few == 0 else 3)  # PostgreSQL

    def pages(query: str) -> list:
        out = []
        for page in (1, 2, 3, 4):
            data = client.get(f"/api/hsds/services?per_page=7&page={page}&{query}").json()
            validate(data, page_schema())
            out.append((data["total_items"], [s["id"] for s in data["contents"]]))
        return out

    kind = term_id("resource-kind", "crisis-helpline")
    queries_to_check = ["search=circle", "search=peer+circle", "search=peer"]
    queries_to_check.append(f"search=riverside&taxonomy_term_id={kind}")
    queries_to_check.append("search=circle&modified_after=2000-01-01")
    indexed = {q: pages(q) for q in queries_to_check}
    monkeypatch.setattr(queries, "_word_index", lambda: "")
    for query, found in indexed.items():
        assert found == pages(query), query
    circle = indexed["search=circle"]
    assert circle[0][0] == 26  # 25 indexed + the defunct one, counted once each
    assert sum(len(ids) for _, ids in circle) == 26
    assert len({i for _, ids in circle for i in ids}) == 26


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 term index")
def test_the_term_index_counts_primary_rows_only(many_indexed):
    from beacon.directory import terms

    for words in (["circle"], ["peer"], ["peer", "circle"], ["nothing"]):
        match = terms.fts_match(words, [])
        expected = m.ServiceIndex.objects.filter(primary=True).filter(terms.fts_rows(match)).count()
        assert terms.fts_primary_count(match) == expected


@pytest.mark.parametrize("since", ["2000-01-01", "later"])
def test_modified_after_pages_follow_name_order(client, many_indexed, since):
    """`modified_after` keeping every service, or only some: pages in (name, id) order."""
    if since == "later":
        cutoff = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        picked = list(m.Service.objects.order_by("id").values_list("id", flat=True)[::3])
        m.Service.objects.filter(id__in=picked).update(last_modified=cutoff)
        since = "2030-01-01T00:00:00Z"
        expected_qs = m.Service.objects.filter(id__in=picked)
    else:
        expected_qs = m.Service.objects.all()
    expected = [str(i) for i in expected_qs.order_by("name", "id").values_list("id", flat=True)]
    seen = []
    for page in range(1, 7):
        data = client.get(f"/api/hsds/services?per_page=5&page={page}&modified_after={since}")
        data = data.json()
        assert data["total_items"] == len(expected)
        seen += [s["id"] for s in data["contents"]]
    assert seen == expected
