"""The synthetic directory generator (`manage.py seed_directory`)."""

from __future__ import annotations

import io
from datetime import time
from zoneinfo import available_timezones

import pytest
from django.core.management import CommandError, call_command

from beacon.directory import models as m
from beacon.directory.hsds_import import phone_problem
from beacon.directory.synthetic import generate

pytestmark = pytest.mark.django_db

ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"


@pytest.fixture
def synthetic(db):
    return generate(300, seed=7)


def test_counts_and_clearly_synthetic_names(synthetic):
    assert m.Service.objects.count() == 300
    assert 0 < m.Organization.objects.count() <= 75
    assert not m.Service.objects.exclude(name__startswith="Synthetic ").exists()
    assert not m.Organization.objects.exclude(name__startswith="Synthetic ").exists()
    assert not m.Address.objects.exclude(address_1__contains="Synthetic").exists()
    assert not m.Phone.objects.exclude(number__contains="555-01").exists()
    assert synthetic["search index rows"] >= m.Service.objects.filter(status="active").count()


def test_rows_follow_beacons_rules(synthetic):
    zones = available_timezones()
    assert set(m.Service.objects.values_list("time_zone", flat=True)) <= zones
    for number, country in m.Phone.objects.values_list("number", "service__country"):
        assert phone_problem(number, country) is None
    for lat, lon in m.Location.objects.filter(location_type="physical").values_list(
        "latitude", "longitude"
    ):
        assert 18 < lat < 72 and -170 < lon < -65  # the US, Alaska and Hawaii included
    terms = set(m.TaxonomyTerm.objects.values_list("id", flat=True))
    assert set(m.Attribute.objects.values_list("taxonomy_term_id", flat=True)) <= terms


def test_a_realistic_mix_of_hours_and_reach(synthetic):
    schedules = m.Schedule.objects.filter(closed=False)
    always = schedules.filter(byday=ALL_DAYS, opens_at=time(0), closes_at=time(23, 59))
    overnight = [s for s in schedules if s.closes_at < s.opens_at]
    split = (
        schedules.filter(opens_at=time(9), closes_at=time(12), byday="MO,TU,WE,TH")
        .values_list("service_id", flat=True)
        .intersection(
            schedules.filter(opens_at=time(13), byday="MO,TU,WE,TH").values_list(
                "service_id", flat=True
            )
        )
    )
    assert always.exists() and overnight and split.exists()
    assert schedules.filter(freq="MONTHLY").exists()
    assert m.Schedule.objects.filter(closed=True).exists()
    national = m.Service.objects.filter(is_national=True)
    assert national.exists() and not national.filter(service_at_locations__isnull=False).exists()
    assert m.Location.objects.filter(location_type="virtual").exclude(url="").exists()
    assert m.Language.objects.filter(code="es").exists()
    assert m.CostOption.objects.filter(currency="USD", amount__gt=0).exists()
    assert m.Location.objects.values("addresses__state_province").distinct().count() > 5


def test_the_same_seed_gives_the_same_rows(db):
    generate(40, seed=11, index=False)
    first = sorted(m.Service.objects.values_list("id", "name"))
    m.Organization.objects.all().delete()
    m.Attribute.objects.all().delete()

    generate(40, seed=11, index=False)

    assert sorted(m.Service.objects.values_list("id", "name")) == first


def test_command_with_locations_and_bad_arguments(db):
    out = io.StringIO()
    call_command("seed_directory", services=120, locations=30, seed=2, no_index=True, stdout=out)

    assert m.Service.objects.count() == 120
    assert 0 < m.Location.objects.filter(location_type="physical").count() <= 30
    assert "Seeded in" in out.getvalue()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_directory", services=0)
    with pytest.raises(CommandError, match="seed 2 were already added"):
        call_command("seed_directory", services=5, seed=2, no_index=True, stdout=out)
