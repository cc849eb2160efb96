"""Loading the shipped crisis-line file into the directory (`sync_crisis_lines`)."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from beacon.core.errors import DomainError
from beacon.directory import models as m
from beacon.directory.indexing import rule_from_schedule
from beacon.directory.models import Attribute, Phone, Schedule, Service, ServiceIndex
from beacon.directory.opening import is_always_open
from beacon.directory.search import always_patterns
from beacon.directory.taxonomy import term_id
from beacon.help.enums import Origin
from beacon.help.models import CrisisListing
from beacon.help.services import DATA_FILE, mark_locally_modified, sync_crisis_lines
from beacon.help.sync import NAMESPACE, main_time_zone, service_id

pytestmark = pytest.mark.django_db

SAFETY_FACTS_CONFIRMED_SLUG_PREFIXES = [
    "us-",
    "ca-",
    "gb-",
    "ie-",
    "au-",
    "nz-",
    "in-",
    "de-",
    "fr-",
    "es-",
    "nl-",
    "se-",
    "kr-",
    "jp-",
    "br-",
    "mx-",
    "ph-",
    "za-",
    "sg-",
]
KIND = term_id("resource-kind", "crisis-helpline")


def shipped() -> dict:
    return json.loads(DATA_FILE.read_text())


def write(tmp_path, data) -> object:
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(data))
    return path


def service_of(slug: str) -> Service:
    return Service.objects.get(crisis_listing__slug=slug)


def terms_of(service: Service) -> set[tuple[str, str]]:
    return {
        (a.taxonomy_term.taxonomy.uri.rsplit("/", 1)[-1], a.taxonomy_term.code)
        for a in Attribute.objects.filter(link_entity="service", link_id=service.id)
    }


def rules_of(service: Service, channel: str):
    return [
        r for r in (rule_from_schedule(s) for s in service.schedules.filter(channel=channel)) if r
    ]


def test_shipped_file_covers_every_confirmed_country_of_the_safety_facts():
    data = shipped()
    slugs = [line["slug"] for c in data["countries"] for line in c["lines"]]
    confirmed = [
        line for c in data["countries"] for line in c["lines"] if line["status"] == "confirmed"
    ]

    assert all(any(s.startswith(p) for s in slugs) for p in SAFETY_FACTS_CONFIRMED_SLUG_PREFIXES)
    assert all(line["verified_on"] and line["source"] for line in confirmed)
    assert {c["code"] for c in data["countries"]} >= {"US", "GB", "IE", "AU", "NZ", "CA"}


def test_outdated_numbers_are_not_offered_as_channels():
    data = shipped()
    values = {
        ch.get("value") for c in data["countries"] for line in c["lines"] for ch in line["channels"]
    }

    assert not values & {"18002738255", "1393", "141", "1850609090"}


def test_sync_loads_everything_and_is_idempotent():
    first = sync_crisis_lines()
    second = sync_crisis_lines()

    total = sum(len(c["lines"]) for c in shipped()["countries"])
    assert len(first.created) == total == CrisisListing.objects.count()
    assert Service.objects.filter(crisis_listing__isnull=False).count() == total
    assert (second.created, second.updated, len(second.unchanged)) == ([], [], total)
    assert not CrisisListing.objects.filter(locally_modified=True).exists()  # loader ≠ edit
    gb = service_of("gb-samaritans")
    assert gb.phones.filter(type="voice", number="116123").exists()


def test_each_line_is_a_directory_service_with_a_stable_hsds_id():
    sync_crisis_lines()

    au = service_of("au-lifeline")
    assert au.id == service_id("au-lifeline") == uuid.uuid5(NAMESPACE, "crisis-line:au-lifeline")
    assert (au.country, au.is_national, au.time_zone) == ("AU", True, "Australia/Sydney")
    assert au.assured_date == dt.date(2026, 11, 22)
    assert au.description.startswith("Australia's national crisis support service")
    assert au.organization.name == "Lifeline"
    assert [lang.code for lang in au.languages.all()] == ["en"]
    assert terms_of(au) == {
        ("resource-kind", "crisis-helpline"),
        ("audience", "everyone"),
        ("channel", "call"),
        ("channel", "text"),
    }
    assert list(au.phones.values_list("type", "number", "position")) == [
        ("voice", "131114", 0),
        ("text", "0477131114", 1),
    ]


def test_channels_become_phones_chat_email_and_website():
    sync_crisis_lines()

    pieta = service_of("ie-pieta").phones.get(type="text")
    assert (pieta.number, pieta.text_keyword) == ("51444", "HELP")
    whatsapp = service_of("sg-samaritans-of-singapore").phones.get(app="whatsapp")
    assert (whatsapp.number, whatsapp.type) == ("91511767", "text")
    assert service_of("us-988-lifeline").chat_url == "https://988lifeline.org"
    assert service_of("gb-samaritans").email == "jo@samaritans.org"
    cvv = service_of("br-cvv")
    assert (cvv.url, cvv.chat_url) == ("https://cvv.org.br", "https://cvv.org.br")
    assert ("cost", "free") in terms_of(cvv)
    assert list(cvv.cost_options.values_list("option", flat=True)) == ["Free"]
    assert ("audience", "youth") in terms_of(service_of("pl-centrum-wsparcia"))  # "children"


def test_24_7_hours_are_real_schedules_and_other_hours_stay_words():
    sync_crisis_lines()

    us = service_of("us-988-lifeline")
    for channel in ("call", "text", "chat"):
        assert is_always_open(rules_of(us, channel), channel=channel)
    italy = service_of("it-telefono-amico")
    words = italy.schedules.get(channel="call")
    assert (words.description, words.freq, rules_of(italy, "call")) == (
        "About 10:00–24:00 daily",
        "",
        [],
    )
    assert italy.schedules.get(channel="text").description == "About 10:00–24:00 daily"
    assert not service_of("nl-113-zelfmoordpreventie").schedules.exists()  # none known


def test_numbers_of_one_channel_with_different_hours_each_get_their_own_words():
    sync_crisis_lines()

    japan = service_of("jp-inochi-no-denwa")
    assert sorted(japan.schedules.values_list("description", flat=True)) == [
        "0120-783-556 (free): 16:00–21:00 daily; 24 hours on the 10th of each month",
        "0570-783-556: 10:00–22:00 daily",
    ]
    poland = service_of("pl-centrum-wsparcia")
    assert list(poland.schedules.values_list("description", flat=True)) == [
        "800 70 2222: Open 24/7"
    ]
    assert rules_of(poland, "call") == []  # never "open 24/7" for the numbers that are not


def test_time_zone_is_the_main_zone_of_the_country():
    assert main_time_zone("US") == "America/New_York"
    assert main_time_zone("gb") == "Europe/London"
    assert main_time_zone("ZZ") == "UTC"


def test_loaded_lines_are_in_the_directory_search_index():
    sync_crisis_lines()

    row = ServiceIndex.objects.get(service=service_of("gb-samaritans"), primary=True)
    assert (row.reach, row.country, row.regions, row.has_hours) == ("national", "GB", "", True)
    assert row.hours_id in always_patterns(timezone.now())
    assert " kind:crisis-helpline " in row.tags and " ch:call " in row.tags


def test_an_edit_to_the_service_its_phones_or_hours_marks_the_line_locally_modified():
    sync_crisis_lines()
    listings = CrisisListing.objects.select_related("service")
    samaritans, shout, pieta = (
        listings.get(slug="gb-samaritans"),
        listings.get(slug="gb-shout"),
        listings.get(slug="ie-pieta"),
    )

    samaritans.service.description = "Edited by our admin"
    samaritans.service.save()
    Phone.objects.filter(service=shout.service).first().save()
    Schedule.objects.filter(service=pieta.service).first().delete()

    assert set(
        CrisisListing.objects.filter(locally_modified=True).values_list("slug", flat=True)
    ) == {
        "gb-samaritans",
        "gb-shout",
        "ie-pieta",
    }


def test_local_edits_and_additions_survive_an_update_of_the_file(tmp_path):
    sync_crisis_lines()
    edited = service_of("gb-samaritans")
    edited.description = "Edited by our admin"
    edited.save()
    org = m.Organization.objects.create(name="Our local line", description="Ours.")
    local_service = Service.objects.create(organization=org, name="Our local line", country="GB")
    local = CrisisListing.objects.create(
        service=local_service,
        slug="gb-local-line",
        country=edited.crisis_listing.country,
        origin=Origin.LOCAL,
    )
    data = shipped()
    for country in data["countries"]:
        for line in country["lines"]:
            line["description"] = "New shipped wording"

    report = sync_crisis_lines(path=write(tmp_path, data))

    edited.refresh_from_db()
    assert edited.description == "Edited by our admin"
    assert CrisisListing.objects.filter(pk=local.pk).exists()
    assert set(report.kept_local) == {"gb-samaritans"}
    others = Service.objects.filter(crisis_listing__origin=Origin.SHIPPED).exclude(id=edited.id)
    assert others.exclude(description="New shipped wording").count() == 0


def test_a_curators_verification_is_not_an_edit_and_its_later_date_is_kept(tmp_path):
    sync_crisis_lines()
    service = service_of("gb-shout")
    service.assured_date = dt.date(2027, 3, 1)
    service.save(update_fields=["assured_date", "last_modified"])

    again = sync_crisis_lines()

    service.refresh_from_db()
    assert not service.crisis_listing.locally_modified
    assert "gb-shout" in again.unchanged and service.assured_date == dt.date(2027, 3, 1)
    data = shipped()
    gb = next(c for c in data["countries"] if c["code"] == "GB")
    gb["lines"][1]["channels"][0]["value"] = "85259"
    sync_crisis_lines(path=write(tmp_path, data))
    service.refresh_from_db()
    assert service.phones.get().number == "85259"
    assert service.assured_date == dt.date(2026, 11, 22)  # the file's date for the new number


def test_reverting_restores_the_shipped_version_on_the_next_sync():
    sync_crisis_lines()
    listing = CrisisListing.objects.get(slug="gb-samaritans")
    service = listing.service
    service.phones.update(number="000")
    service.name = "Changed"
    service.save()
    listing.refresh_from_db()
    assert listing.locally_modified

    listing.locally_modified = False
    listing.save()
    report = sync_crisis_lines()

    service.refresh_from_db()
    assert report.updated == ["gb-samaritans"]
    assert service.name == "Samaritans"
    assert service.phones.filter(number="116123").exists()


def test_lines_removed_from_the_file_are_retired_unless_edited(tmp_path):
    sync_crisis_lines()
    data = shipped()
    us = next(c for c in data["countries"] if c["code"] == "US")
    removed = us["lines"].pop()
    gb = next(c for c in data["countries"] if c["code"] == "GB")
    kept = gb["lines"].pop()
    mark_locally_modified(CrisisListing.objects.get(slug=kept["slug"]))
    gone = service_id(removed["slug"])

    report = sync_crisis_lines(path=write(tmp_path, data))

    assert report.retired == [removed["slug"]]
    assert not CrisisListing.objects.filter(slug=removed["slug"]).exists()
    assert not Service.objects.filter(id=gone).exists()
    assert not Attribute.objects.filter(link_id=gone).exists()
    assert not m.Organization.objects.filter(name=removed["name"]).exists()
    assert CrisisListing.objects.filter(slug=kept["slug"]).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda line: line["channels"][0].update(kind="pigeon"), "unknown channel kind"),
        (lambda line: line.update(audiences=["martians"]), "unknown audience"),
        (lambda line: line.update(status="maybe"), "unknown status"),
    ],
)
def test_a_broken_file_changes_nothing(tmp_path, change, message):
    sync_crisis_lines()
    before = (Phone.objects.count(), Schedule.objects.count(), CrisisListing.objects.count())
    data = shipped()
    for country in data["countries"]:
        for line in country["lines"]:
            line["description"] = "Should never be written"
    change(data["countries"][0]["lines"][0])

    with pytest.raises(DomainError, match=message):
        sync_crisis_lines(path=write(tmp_path, data))

    assert (
        Phone.objects.count(),
        Schedule.objects.count(),
        CrisisListing.objects.count(),
    ) == before
    assert not Service.objects.filter(description="Should never be written").exists()


def test_the_command_reports_and_refuses_a_broken_file(tmp_path):
    from django.core.management import CommandError, call_command

    call_command("load_crisis_lines", verbosity=0)
    assert CrisisListing.objects.exists()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_crisis_lines", file=tmp_path / "missing.json")
