"""Upgrading a running site: lines kept in the old help tables move into the directory."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beacon.help.sync import service_id

BEFORE = [("help", "0001_initial"), ("directory", "0003_search_index")]
AFTER = [("help", "0002_crisis_lines_in_directory")]


@pytest.fixture
def old_state(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_local_edited_and_shipped_lines_move_into_directory_services(old_state):
    HelpCountry = old_state.get_model("help", "HelpCountry")
    CrisisLine = old_state.get_model("help", "CrisisLine")
    gb = HelpCountry.objects.create(code="GB", name="United Kingdom", origin="shipped")
    local = CrisisLine.objects.create(
        slug="gb-our-line",
        country=gb,
        name="Our line",
        description="Added by our admin.",
        status="confirmed",
        verified_on=dt.date(2026, 10, 1),
        source="We called it",
        languages=["en", "cy"],
        audiences=["everyone", "students", "night-owls"],
        free=True,
        position=3,
        origin="local",
    )
    local.channels.create(
        kind="call",
        value="08001234567",
        display="0800 123 4567",
        open_24_7=True,
        verified=True,
        position=0,
    )
    local.channels.create(
        kind="text", value="60000", keyword="TALK", hours="Evenings", verified=False, position=1
    )
    edited = CrisisLine.objects.create(
        slug="gb-samaritans",
        country=gb,
        name="Samaritans (edited)",
        status="confirmed",
        origin="shipped",
        locally_modified=True,
        is_hidden=True,
    )
    edited.channels.create(kind="email", url="mailto:jo@samaritans.org", verified=True)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps

    Service = apps.get_model("directory", "Service")
    Listing = apps.get_model("help", "CrisisListing")
    Attribute = apps.get_model("directory", "Attribute")
    ours = Service.objects.get(id=service_id("gb-our-line"))
    assert (ours.name, ours.country, ours.assured_date) == ("Our line", "GB", dt.date(2026, 10, 1))
    assert ours.eligibility_description == "For: night-owls"
    phones = list(ours.phones.order_by("position").values_list("type", "number", "text_keyword"))
    assert phones == [("voice", "08001234567", ""), ("text", "60000", "TALK")]
    assert sorted(ours.schedules.values_list("channel", "description", "freq")) == [
        ("call", "", "WEEKLY"),
        ("text", "Evenings", ""),
    ]
    codes = set(
        Attribute.objects.filter(link_id=ours.id).values_list("taxonomy_term__code", flat=True)
    )
    assert codes == {"crisis-helpline", "everyone", "students", "call", "text", "free"}
    listing = Listing.objects.get(slug="gb-our-line")
    assert (listing.origin, listing.position, listing.source) == ("local", 3, "We called it")
    assert listing.unverified_contacts == ["text:60000"]
    samaritans = Listing.objects.get(slug="gb-samaritans")
    assert (samaritans.locally_modified, samaritans.is_hidden) == (True, True)
    assert Service.objects.get(id=samaritans.service_id).email == "jo@samaritans.org"
