"""HSDS import/export: byte-stable round trips, schema validity, all-or-nothing imports with
every problem reported (file, row, field), idempotence, --replace, clear file errors."""

from __future__ import annotations

import copy
import csv
import io
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from beacon.directory import hsds_io
from beacon.directory import models as m
from beacon.directory.demo import demo_id
from beacon.directory.hsds_export import export_directory
from beacon.directory.hsds_import import ImportFailed, import_directory, phone_problem
from beacon.directory.synthetic import generate
from tests.directory.hsds_files import hsds_file, hsds_json

pytestmark = pytest.mark.django_db

DIRECTORY_MODELS = list(hsds_io.TABLE_MODELS.values())


def wipe() -> None:
    """Empty every directory table (an empty database, as far as the directory goes)."""
    for model in reversed(DIRECTORY_MODELS):
        model.objects.all().delete()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DIRECTORY_MODELS}


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, row_number: int, column: str, value: str) -> None:
    """Change one cell; row_number counts the header as row 1, as a spreadsheet does."""
    rows = csv_rows(path)
    rows[row_number - 1][rows[0].index(column)] = value
    write_csv(path, rows)


@pytest.fixture
def demo(db):
    from beacon.directory.demo import seed

    seed()


@pytest.fixture
def exported(demo, tmp_path) -> Path:
    out = tmp_path / "export"
    export_directory(out)
    return out


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("form", ["datapackage", "json"])
def test_demo_round_trip_is_byte_stable(exported, tmp_path, form):
    before = counts()
    wipe()
    assert sum(counts().values()) == 0

    report = import_directory(exported / form)
    again = tmp_path / "again"
    export_directory(again)

    assert counts() == before
    assert files(again) == files(exported)
    assert report.created["service"] == before["Service"] and not report.updated


@pytest.mark.parametrize("form", ["datapackage", "json"])
def test_synthetic_round_trip_is_byte_stable(db, tmp_path, form):
    generate(80, seed=3, index=False)
    first = tmp_path / "first"
    export_directory(first)
    before = counts()
    wipe()

    import_directory(first / form)
    second = tmp_path / "second"
    export_directory(second)

    assert counts() == before
    assert files(second) == files(first)


def test_export_files_end_with_a_newline_and_are_ordered_by_id(exported):
    for path in exported.rglob("*.*"):
        assert path.read_bytes().endswith(b"\n"), path
    rows = csv_rows(exported / "datapackage" / "services.csv")[1:]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    services = json.loads((exported / "json" / "services.json").read_text())
    assert [s["id"] for s in services] == sorted(s["id"] for s in services)


def test_last_modified_survives_the_round_trip(exported):
    stamps = dict(m.Service.objects.values_list("id", "last_modified"))
    wipe()
    import_directory(exported / "datapackage")

    after = dict(m.Service.objects.values_list("id", "last_modified"))
    assert {k: v.replace(microsecond=v.microsecond // 1000 * 1000) for k, v in stamps.items()} == (
        after
    )


# --------------------------------------------------------------------------- the export's shape


def _sorted(value):
    """Without x_ keys, lists of records sorted by id (the API's order of ties is free)."""
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        if items and isinstance(items[0], dict):
            items.sort(key=lambda x: x.get("id", ""))
        return items
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items() if not k.startswith("x_")}
    return value


def _api_shape(service: dict) -> dict:
    """An exported service minus what export adds to the API's shape."""
    service = _sorted(service)
    for contact in service.get("contacts", []):
        contact.pop("phones", None)
    for sal in service.get("service_at_locations", []):
        for key in ("phones", "schedules", "contacts", "attributes"):
            sal.pop(key, None)
        sal["location"].pop("contacts", None)
        sal["location"].pop("attributes", None)
    return service


def test_exported_services_are_what_the_api_serves(exported, client):
    services = json.loads((exported / "json" / "services.json").read_text())

    for item in services:
        api = client.get(f"/api/hsds/services/{item['id']}").json()
        assert _api_shape(item) == _api_shape(api)


def test_exported_json_validates_against_the_compiled_hsds_schemas(exported):
    compiled = hsds_json("schema/compiled/service.json")
    services = json.loads((exported / "json" / "services.json").read_text())
    for item in services:
        jsonschema.validate(item, compiled)
    for name, schema in (
        ("organizations.json", "organization.json"),
        ("taxonomies.json", "taxonomy.json"),
        ("taxonomy_terms.json", "taxonomy_term.json"),
    ):
        for item in json.loads((exported / "json" / name).read_text()):
            assert hsds_io.record_errors(schema, item) == []


def test_datapackage_has_every_hsds_table_with_the_specs_columns_in_order(exported):
    spec = hsds_json("datapackage.json")
    ours = json.loads((exported / "datapackage" / "datapackage.json").read_text())

    assert [r["name"] for r in ours["resources"]] == [r["name"] for r in spec["resources"]]
    for resource in spec["resources"]:
        header = csv_rows(exported / "datapackage" / resource["path"])[0]
        spec_columns = [f["name"] for f in resource["schema"]["fields"]]
        assert header[: len(spec_columns)] == spec_columns
        assert all(c.startswith("x_") for c in header[len(spec_columns) :])
        described = next(r for r in ours["resources"] if r["name"] == resource["name"])
        assert [f["name"] for f in described["schema"]["fields"]] == header


def test_every_model_field_is_exported_somewhere():
    """A field added to a directory model must be mapped to an HSDS or x_ column (or the
    export would silently drop it)."""
    for table in hsds_io.stored_tables():
        mapped = {c.attname for c in table.stored}
        fields = {f.attname for f in table.model._meta.concrete_fields}
        assert fields - mapped == set(), f"{table.name}: map these in hsds_io.EXTENSIONS"


def test_assurer_email_is_not_exported_and_a_blank_one_keeps_the_stored_value(exported):
    service = m.Service.objects.order_by("id").first()
    service.assurer_email = "curator@example.org"
    service.save()
    out = exported.parent / "again"
    export_directory(out)
    assert b"curator@example.org" not in b"".join(files(out).values())

    import_directory(out / "datapackage")

    service.refresh_from_db()
    assert service.assurer_email == "curator@example.org"


# --------------------------------------------------------------------------- idempotence, updates


def test_importing_twice_changes_nothing(exported, tmp_path):
    first = import_directory(exported / "datapackage")
    second = import_directory(exported / "json")

    for report in (first, second):
        assert not report.created and not report.updated and not report.deleted
        assert report.unchanged["service"] == m.Service.objects.count()
    again = tmp_path / "again"
    export_directory(again)
    assert files(again) == files(exported)


def test_changed_rows_are_updated_and_absent_rows_kept_unless_replace(exported):
    folder = exported / "datapackage"
    services = csv_rows(folder / "services.csv")
    target_id = services[1][0]
    set_cell(folder / "services.csv", 2, "name", "Renamed by import")
    phones = csv_rows(folder / "phones.csv")
    dropped_phone = phones[1][0]
    write_csv(folder / "phones.csv", [phones[0], *phones[2:]])

    report = import_directory(folder)

    assert report.updated == {"service": 1}
    assert m.Service.objects.get(id=target_id).name == "Renamed by import"
    assert m.Phone.objects.filter(id=dropped_phone).exists()

    report = import_directory(folder, replace=True)

    assert report.deleted["phone"] == 1 and not report.updated
    assert not m.Phone.objects.filter(id=dropped_phone).exists()


def test_replace_removes_rows_absent_from_the_input(exported):
    extra = m.Organization.objects.create(name="Not in the file", description="x")

    import_directory(exported / "json", replace=True)

    assert not m.Organization.objects.filter(id=extra.id).exists()


# --------------------------------------------------------------------------- errors


def _row_of(path: Path, row_id: str) -> int:
    return next(i for i, row in enumerate(csv_rows(path), start=1) if row[0] == row_id)


def test_bad_rows_in_several_tables_are_all_reported_and_nothing_is_written(exported, capsys):
    folder = exported / "datapackage"
    wipe()
    phone_row, service_row, schedule_row, location_row, address_row = 3, 2, 4, 2, 3
    set_cell(folder / "phones.csv", phone_row, "number", "abc")
    set_cell(folder / "services.csv", service_row, "status", "sometimes")
    set_cell(folder / "services.csv", service_row, "x_time_zone", "Mars/Olympus_Mons")
    set_cell(folder / "schedules.csv", schedule_row, "opens_at", "25:00")
    set_cell(folder / "locations.csv", location_row, "latitude", "north")
    set_cell(folder / "addresses.csv", address_row, "location_id", str(uuid.uuid4()))

    with pytest.raises(ImportFailed) as failed:
        import_directory(folder)

    errors = failed.value.errors
    expected = [
        f"datapackage/phones.csv row {phone_row}: number: 'abc' is not a phone number",
        f"datapackage/services.csv row {service_row}: status: 'sometimes' is not one of",
        f"datapackage/services.csv row {service_row}: x_time_zone: 'Mars/Olympus_Mons' is "
        "not an IANA time zone name",
        f"datapackage/schedules.csv row {schedule_row}: opens_at: '25:00' is not a time",
        f"datapackage/locations.csv row {location_row}: latitude: 'north' is not a number",
        f"datapackage/addresses.csv row {address_row}: location_id: no location with id",
    ]
    for start in expected:
        assert any(e.startswith(start) for e in errors), (start, errors)
    assert len(errors) == len(expected)
    assert sum(counts().values()) == 0

    with pytest.raises(CommandError, match="6 problem"):
        call_command("import_hsds", str(folder))
    err = capsys.readouterr().err
    assert all(start in err for start in expected)
    assert sum(counts().values()) == 0


def test_json_errors_name_the_record_path(exported):
    path = exported / "json" / "services.json"
    services = json.loads(path.read_text())
    services[0]["status"] = "DAILY"
    services[0]["phones"] = [{"id": "not-a-uuid", "number": "12", "extension": "12"}]
    services[1]["schedules"] = [{"id": str(uuid.uuid4()), "byday": "Mondays"}]
    path.write_text(json.dumps(services))
    wipe()

    with pytest.raises(ImportFailed) as failed:
        import_directory(exported / "json")

    errors = failed.value.errors
    assert any(e.startswith("json/services.json [0].status: 'DAILY' is not one of") for e in errors)
    assert "json/services.json [0].phones[0].id: 'not-a-uuid' is not a 'uuid'" in errors
    assert "json/services.json [0].phones[0].extension: '12' is not of type 'number'" in errors
    assert any(
        e.startswith("json/services.json [1].schedules[0].byday: 'Mondays' is not a list of days")
        for e in errors
    )
    assert sum(counts().values()) == 0


def test_two_copies_of_a_record_that_disagree_are_an_error(exported):
    path = exported / "json" / "organizations.json"
    orgs = json.loads(path.read_text())
    orgs[0]["name"] = "A different name"
    path.write_text(json.dumps(orgs))

    with pytest.raises(ImportFailed) as failed:
        import_directory(exported / "json")

    assert any("differs from the copy of this organization" in e for e in failed.value.errors)


def test_duplicate_ids_and_duplicate_service_location_links(exported):
    folder = exported / "datapackage"
    rows = csv_rows(folder / "service_at_location.csv")
    twin = [str(uuid.uuid4()), *rows[1][1:]]
    write_csv(folder / "service_at_location.csv", [*rows, twin])
    phones = csv_rows(folder / "phones.csv")
    write_csv(folder / "phones.csv", [*phones, phones[1]])

    with pytest.raises(ImportFailed) as failed:
        import_directory(folder)

    text = "\n".join(failed.value.errors)
    assert f"phones.csv row {len(phones) + 1}: id: {phones[1][0]} appears twice (first at" in text
    assert "this service is already linked to this location" in text


@pytest.mark.parametrize(
    ("form", "make", "message"),
    [
        (
            "json",
            lambda p: (p / "json" / "services.json").write_text("{oops"),
            "json/services.json: not valid JSON (line 1 column 2",
        ),
        (
            "json",
            lambda p: (p / "json" / "services.json").write_bytes(b"\xff\xfe[]"),
            "json/services.json: not UTF-8 text",
        ),
        (
            "datapackage",
            lambda p: (p / "datapackage" / "datapackage.json").unlink(),
            "no datapackage.json and no .json files here",
        ),
        (
            "datapackage",
            lambda p: (p / "datapackage" / "phones.csv").write_text(
                (p / "datapackage" / "phones.csv").read_text().replace("number", "numbr", 1)
            ),
            "datapackage/phones.csv header: unknown column 'numbr' (the phone columns: id, ",
        ),
        (
            "datapackage",
            lambda p: (p / "datapackage" / "services.csv").write_text("id,organization_id\n"),
            "datapackage/services.csv header: missing required column 'name'",
        ),
        (
            "datapackage",
            lambda p: (p / "datapackage" / "schedules.csv").unlink(),
            "datapackage/schedules.csv: listed in datapackage.json but missing",
        ),
        (
            "datapackage",
            lambda p: (p / "datapackage" / "phones.csv").write_text(""),
            "datapackage/phones.csv: empty: no header row",
        ),
    ],
)
def test_invalid_files_get_clear_messages(exported, form, make, message):
    make(exported)

    with pytest.raises(ImportFailed) as failed:
        import_directory(exported / form)

    assert any(message in e for e in failed.value.errors), failed.value.errors


def test_an_export_folder_or_a_missing_path_is_explained(exported, tmp_path):
    with pytest.raises(ImportFailed, match="problem") as failed:
        import_directory(exported)
    assert "this folder holds an export; import one form of it" in failed.value.errors[0]

    with pytest.raises(ImportFailed) as failed:
        import_directory(tmp_path / "nowhere")
    assert failed.value.errors[0].endswith("no such file or folder")


def test_the_official_example_passes_the_schema_but_not_beacons_rules(db):
    with pytest.raises(ImportFailed) as failed:
        import_directory(hsds_file("examples/service_full.json"))

    text = "\n".join(failed.value.errors)
    assert "location.latitude: 100 is not a latitude (-90 to 90)" in text
    assert "is a required property" not in text and "is not of type" not in text


def test_an_api_page_can_be_imported(client, exported, tmp_path):
    page = client.get("/api/hsds/services?per_page=100").content
    path = tmp_path / "page.json"
    path.write_bytes(page)
    wipe()

    report = import_directory(path)

    assert report.created["service"] == json.loads(page)["total_items"]
    assert report.created["organization"] > 0


def test_unstored_tables_are_skipped_with_a_warning(exported):
    folder = exported / "datapackage"
    org_id = csv_rows(folder / "organizations.csv")[1][0]
    write_csv(
        folder / "programs.csv",
        [
            ["id", "organization_id", "name", "alternate_name", "description"],
            [str(uuid.uuid4()), org_id, "A programme", "", "About it"],
        ],
    )

    report = import_directory(folder)

    assert any("programs.csv: 1 row(s) skipped" in w for w in report.warnings)


def test_a_missing_time_zone_is_taken_from_the_place_nearest_the_location(exported, places):
    folder = exported / "datapackage"
    services = csv_rows(folder / "services.csv")
    zone = services[0].index("x_time_zone")
    country = services[0].index("x_country")
    located = str(demo_id("service", "eastside-counselling"))  # Portland
    national = str(demo_id("service", "calm-steps"))  # no location, country US
    for row in services[1:]:
        row[zone] = ""
        if row[0] == national:
            row[country] = ""
        elif row[0] != located:
            row[country] = "US"
    write_csv(folder / "services.csv", services)
    wipe()

    report = import_directory(folder)

    assert m.Service.objects.get(id=located).time_zone == "America/Los_Angeles"
    row = _row_of(folder / "services.csv", located)
    assert (
        f"datapackage/services.csv row {row}: x_time_zone: empty; America/Los_Angeles from "
        "the place nearest its location"
    ) in report.warnings
    workplace = str(demo_id("service", "workplace-assist"))  # no location, country US
    assert m.Service.objects.get(id=workplace).time_zone == "America/New_York"
    assert m.Service.objects.get(id=national).time_zone == ""
    row = _row_of(folder / "services.csv", national)
    assert (
        f"datapackage/services.csv row {row}: x_time_zone: empty and no located place or "
        "country to take it from: its hours are read as UTC until a curator sets it"
    ) in report.warnings


# --------------------------------------------------------------------------- the validators


def _mutations(record, path=()):
    """Copies of `record` with one value replaced by values of each JSON type."""
    if isinstance(record, dict):
        for key, value in record.items():
            for bad in (None, 5, 1.5, "x", True, [], {}):
                if bad != value:
                    copied = copy.deepcopy(record)
                    copied[key] = bad
                    yield copied
            for inner in _mutations(value, (*path, key)):
                copied = copy.deepcopy(record)
                copied[key] = inner
                yield copied
    elif isinstance(record, list) and record:
        for inner in _mutations(record[0], path):
            yield [inner, *copy.deepcopy(record[1:])]


def test_the_compiled_checker_agrees_with_jsonschema():
    example = copy.deepcopy(hsds_json("examples/service_full.json"))
    samples = [
        ("service.json", {k: v for k, v in example.items() if not isinstance(v, list | dict)}),
        ("phone.json", example["phones"][0]),
        ("schedule.json", example["schedules"][0]),
        ("location.json", example["service_at_locations"][0]["location"]),
        ("organization.json", example["organization"]),
    ]
    checked = 0
    for schema, record in samples:
        assert hsds_io.record_is_valid(schema, record)
        for mutated in _mutations(record):
            expected = not hsds_io.record_errors(schema, mutated)
            assert hsds_io.record_is_valid(schema, mutated) is expected, (schema, mutated)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("(503) 555-0142", True),
        ("988", True),
        ("+44 20 7946 0018", True),
        ("abc", False),
        ("555", True),
        ("12", False),
        ("(503) 555-01", False),
    ],
)
def test_phone_numbers(number, ok):
    assert (phone_problem(number, "US") is None) is ok


def test_an_import_shows_its_terms_and_languages_in_the_search_form_at_once(exported):
    """The search form's choices are cached; bulk writes send no signals, so the importer
    forgets the cache itself."""
    from beacon.directory.queries import language_choices, terms_of
    from beacon.directory.taxonomy import taxonomy_id

    kinds, languages = terms_of(taxonomy_id("resource-kind")), language_choices()
    assert kinds and languages
    wipe()
    assert terms_of(taxonomy_id("resource-kind")) == [] == language_choices()  # now cached

    import_directory(exported / "datapackage")

    assert terms_of(taxonomy_id("resource-kind")) == kinds
    assert language_choices() == languages
