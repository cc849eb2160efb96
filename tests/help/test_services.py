import json

import pytest

from beacon.core.errors import DomainError
from beacon.help.enums import Origin
from beacon.help.models import CrisisChannel, CrisisLine, HelpCountry
from beacon.help.services import DATA_FILE, mark_locally_modified, sync_crisis_lines

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


def shipped() -> dict:
    return json.loads(DATA_FILE.read_text())


def write(tmp_path, data) -> object:
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(data))
    return path


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
    assert len(first.created) == total == CrisisLine.objects.count()
    assert (second.created, second.updated, len(second.unchanged)) == ([], [], total)
    gb = CrisisLine.objects.get(slug__startswith="gb-samaritans")
    assert gb.channels.filter(kind="call", value="116123").exists()


def test_local_edits_and_additions_survive_an_update_of_the_file(tmp_path):
    sync_crisis_lines()
    edited = CrisisLine.objects.get(slug__startswith="gb-samaritans")
    edited.description = "Edited by our admin"
    edited.save()
    mark_locally_modified(edited)
    local = CrisisLine.objects.create(
        slug="gb-local-line", country=edited.country, name="Our local line", origin=Origin.LOCAL
    )
    data = shipped()
    for country in data["countries"]:
        for line in country["lines"]:
            line["description"] = "New shipped wording"

    report = sync_crisis_lines(path=write(tmp_path, data))

    edited.refresh_from_db()
    assert edited.description == "Edited by our admin"
    assert CrisisLine.objects.filter(pk=local.pk).exists()
    assert set(report.kept_local) == {edited.slug}
    assert (
        CrisisLine.objects.exclude(pk__in=[edited.pk, local.pk])
        .exclude(description="New shipped wording")
        .count()
        == 0
    )


def test_lines_removed_from_the_file_are_retired_unless_edited(tmp_path):
    sync_crisis_lines()
    data = shipped()
    us = next(c for c in data["countries"] if c["code"] == "US")
    removed = us["lines"].pop()

    report = sync_crisis_lines(path=write(tmp_path, data))

    assert report.retired == [removed["slug"]]
    assert not CrisisLine.objects.filter(slug=removed["slug"]).exists()


def test_a_broken_file_changes_nothing(tmp_path):
    sync_crisis_lines()
    before = CrisisChannel.objects.count()
    data = shipped()
    data["countries"][0]["lines"][0]["channels"][0]["kind"] = "pigeon"

    with pytest.raises(DomainError, match="unknown channel kind"):
        sync_crisis_lines(path=write(tmp_path, data))

    assert CrisisChannel.objects.count() == before


def test_channel_links_are_dialable():
    sync_crisis_lines()

    samaritans = CrisisLine.objects.get(slug__startswith="gb-samaritans")
    call = samaritans.channels.get(kind="call")
    assert call.href == "tel:116123"
    shout = CrisisLine.objects.get(slug__startswith="gb-shout").channels.get(kind="text")
    assert shout.href == "sms:85258"
    za = HelpCountry.objects.get(code="ZA")
    whatsapp = CrisisChannel.objects.filter(line__country=za, kind="whatsapp").first()
    if whatsapp is not None and whatsapp.value:
        assert whatsapp.href.startswith("https://wa.me/27")
