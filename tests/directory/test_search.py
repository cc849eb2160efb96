"""Directory search: place and radius, filters, open now, 24/7, ranking, stale entries sink."""

import pytest

from beacon.directory.demo import demo_id
from beacon.directory.indexing import reindex_services
from beacon.directory.models import Service, ServiceIndex
from beacon.directory.search import Filters, query_words, search
from beacon.places.queries import resolve_place
from tests.directory.conftest import pt

pytestmark = pytest.mark.django_db

WEDNESDAY_MORNING = pt(2026, 11, 18, 10, 30)


def names(results):
    by_id = {
        s.id: s.name for s in Service.objects.filter(id__in=[h.service_id for h in results.hits])
    }
    return [by_id[h.service_id] for h in results.hits]


def near(place: str, **kwargs) -> Filters:
    p = resolve_place(place, country="US")
    return Filters(latitude=p.latitude, longitude=p.longitude, country=p.country, **kwargs)


def test_place_search_sorts_local_by_distance_then_national_and_online(demo_directory):
    results = search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=50)
    local = [h for h in results.hits if h.reach == "local"]
    wide = [h for h in results.hits if h.reach != "local"]
    assert local and wide
    # Local first; national/online after them (stale ones sink to the very end).
    fresh = [h for h in results.hits if not h.stale]
    assert [h.reach == "local" for h in fresh] == sorted(
        [h.reach == "local" for h in fresh], reverse=True
    )
    distances = [h.distance_km for h in local if not h.stale]
    assert distances == sorted(distances)
    assert all(d <= 40 for d in distances)
    found = names(results)
    assert "Rural telehealth counselling" not in found  # Burns is 300 km away
    assert "Peer recovery drop-in" in found  # Vancouver, WA, across the river
    assert "Calm Steps self-help app" in found  # national
    assert "Employee assistance line" in found  # online-only


def test_radius_narrows(demo_directory):
    wide = search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=50)
    narrow = search(near("97214", radius_km=5), now=WEDNESDAY_MORNING, per_page=50)
    assert narrow.total < wide.total
    assert all(h.distance_km <= 5 for h in narrow.hits if h.reach == "local")


def test_rural_place_finds_the_rural_service(demo_directory):
    results = search(near("Burns, OR", radius_km=40), now=WEDNESDAY_MORNING)
    assert names(results)[0] == "Rural telehealth counselling"


def test_stale_entries_sink_below_checked_ones(demo_directory):
    results = search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=50)
    stale_flags = [h.stale for h in results.hits]
    assert stale_flags == sorted(stale_flags)  # all fresh first
    stale_names = [n for n, h in zip(names(results), results.hits, strict=True) if h.stale]
    assert "BIPOC counselling and healing circles" in stale_names  # checked 300 days ago
    assert "Bereaved by suicide support circle" in stale_names  # never checked


def test_open_now_uses_each_services_hours_in_its_zone(demo_directory):
    results = search(near("97214", radius_km=40, open_now=True), now=WEDNESDAY_MORNING)
    found = names(results)
    assert "Low-cost counselling" in found  # Wed 09:00–12:00
    assert "Employee assistance line" in found  # 24/7
    assert "Riverside Peer Warmline" not in found  # 17:00–01:00
    assert "Family and carer support group" not in found  # 2nd/4th Thursday evenings
    assert all(h.open_now for h in results.hits)
    # Lunch break of a split day: closed between 12:00 and 13:00.
    lunch = search(near("97214", radius_km=40, open_now=True), now=pt(2026, 11, 18, 12, 30))
    assert "Low-cost counselling" not in names(lunch)


def test_open_now_overnight_holiday_and_term_dates(demo_directory):
    # The warmline opens at 17:00 and runs past midnight.
    after_midnight = search(Filters(open_now=True), now=pt(2026, 11, 19, 0, 30), per_page=50)
    assert "Riverside Peer Warmline" in names(after_midnight)
    # Closed on Christmas Day even though it is a Friday evening.
    christmas = search(Filters(open_now=True), now=pt(2026, 12, 25, 18, 0), per_page=50)
    assert "Riverside Peer Warmline" not in names(christmas)
    thanksgiving = search(Filters(open_now=True), now=pt(2026, 11, 26, 10, 0), per_page=50)
    assert "Low-cost counselling" not in names(thanksgiving)
    # The student line only runs in term time (until 11 December).
    in_term = search(Filters(open_now=True), now=pt(2026, 12, 10, 20, 0), per_page=50)
    after_term = search(Filters(open_now=True), now=pt(2026, 12, 15, 20, 0), per_page=50)
    assert "Student listening line" in names(in_term)
    assert "Student listening line" not in names(after_term)


def test_open_now_across_the_dst_change(demo_directory):
    # 1 November 2026: clocks go back at 02:00 in Oregon. 00:30 is still warmline time.
    results = search(Filters(open_now=True), now=pt(2026, 11, 1, 0, 30), per_page=50)
    assert "Riverside Peer Warmline" in names(results)
    # At 01:30 PDT (the first one) the warmline (closes 01:00) is closed.
    results = search(Filters(open_now=True), now=pt(2026, 11, 1, 1, 30), per_page=50)
    assert "Riverside Peer Warmline" not in names(results)


def test_always_open_filter(demo_directory):
    results = search(Filters(always_open=True), now=WEDNESDAY_MORNING, per_page=50)
    assert names(results) == ["Employee assistance line"]
    assert results.hits[0].always_open


def test_filters_or_within_a_group_and_across_groups(demo_directory):
    groups = search(Filters(kinds=("support-group",)), now=WEDNESDAY_MORNING, per_page=50)
    carers = search(
        Filters(kinds=("support-group",), audiences=("families-carers",)),
        now=WEDNESDAY_MORNING,
        per_page=50,
    )
    assert set(names(carers)) == {
        "Family and carer support group",
        "Veterans peer circle",
        "Grupo de apoyo familiar (Spanish-language family group)",
    }
    assert set(names(carers)) < set(names(groups))
    either = search(
        Filters(audiences=("veterans", "older-adults")), now=WEDNESDAY_MORNING, per_page=50
    )
    assert {"Veterans peer circle", "Friendly check-in line for older adults"} <= set(names(either))


def test_language_channel_and_cost_filters(demo_directory):
    spanish = names(search(Filters(languages=("es",)), now=WEDNESDAY_MORNING, per_page=50))
    assert "Grupo de apoyo familiar (Spanish-language family group)" in spanish
    assert "Veterans peer circle" not in spanish
    text = names(search(Filters(channels=("text",)), now=WEDNESDAY_MORNING, per_page=50))
    assert set(text) >= {"Riverside Peer Warmline", "Student listening line"}
    assert "Veterans peer circle" not in text
    chat = names(search(Filters(channels=("chat",)), now=WEDNESDAY_MORNING, per_page=50))
    assert chat == ["Student listening line"]
    free = names(search(Filters(costs=("free",)), now=WEDNESDAY_MORNING, per_page=50))
    assert "Online therapy by video" not in free and "Veterans peer circle" in free


def test_text_search_ranks_name_matches_first(demo_directory):
    results = search(Filters(text="counselling"), now=WEDNESDAY_MORNING, per_page=50)
    found = names(results)
    # Name matches first ("Low-cost counselling", "Rural telehealth counselling", ...),
    # then organisation matches, then description matches; stale last.
    fresh = [n for n, h in zip(found, results.hits, strict=True) if not h.stale]
    assert fresh[:2] == ["Low-cost counselling", "Rural telehealth counselling"]
    assert "Employee assistance line" in found  # description mentions counselling
    assert fresh.index("Employee assistance line") > fresh.index("Low-cost counselling")


def test_words_match_word_starts_accents_and_plurals(demo_directory):
    assert query_words("Groups, Counselling!") == ["group", "counselling"]
    assert "Veterans peer circle" in names(search(Filters(text="veteran"), now=WEDNESDAY_MORNING))
    assert names(search(Filters(text="apoyo familiar"), now=WEDNESDAY_MORNING))
    assert not search(Filters(text="eran"), now=WEDNESDAY_MORNING).total  # not mid-word


def test_a_service_with_several_locations_appears_once_at_its_nearest(demo_directory):
    from beacon.directory import models as m

    service = Service.objects.get(id=demo_id("service", "rose-youth-dropin"))
    far = m.Location.objects.create(
        organization=service.organization,
        location_type="physical",
        latitude=45.70,
        longitude=-122.50,
    )
    m.ServiceAtLocation.objects.create(service=service, location=far)
    reindex_services([service.id])
    assert ServiceIndex.objects.filter(service=service).count() == 2
    results = search(near("97214", radius_km=80), now=WEDNESDAY_MORNING, per_page=50)
    hits = [h for h in results.hits if h.service_id == service.id]
    assert len(hits) == 1 and hits[0].distance_km < 10


def test_inactive_services_are_not_found_and_reindex_follows_edits(demo_directory):
    service = Service.objects.get(id=demo_id("service", "bridgeway-veterans"))
    service.name = "Veterans and families evening circle"
    service.save()
    reindex_services([service.id])
    assert names(search(Filters(text="evening circle"), now=WEDNESDAY_MORNING)) == [service.name]
    service.status = "inactive"
    service.save()
    reindex_services([service.id])
    assert not search(Filters(text="evening circle"), now=WEDNESDAY_MORNING).total


def test_pagination_is_stable_and_complete(demo_directory):
    seen = []
    page = 1
    while True:
        results = search(Filters(), now=WEDNESDAY_MORNING, page=page, per_page=4)
        seen += [h.service_id for h in results.hits]
        if page >= results.pages:
            break
        page += 1
    assert (
        len(seen)
        == len(set(seen))
        == results.total
        == Service.objects.exclude(status="inactive").count()
    )


def test_services_with_the_same_hours_share_a_pattern_and_edits_show_within_the_minute(
    demo_directory,
):
    from beacon.directory.models import HoursPattern, Schedule

    rows = ServiceIndex.objects.filter(has_hours=True)
    assert rows.exists() and not rows.filter(hours=None).exists()
    assert HoursPattern.objects.count() < rows.values("service").distinct().count()

    opened = search(Filters(text="warmline", open_now=True), now=WEDNESDAY_MORNING)
    assert "Riverside Peer Warmline" not in names(opened)  # 17:00–01:00
    # A curator corrects its hours to open in the morning too; the same minute's
    # searches see it (a new pattern changes the cache key).
    service = Service.objects.get(name="Riverside Peer Warmline")
    Schedule.objects.filter(service=service).exclude(opens_at=None).update(opens_at="09:00")
    reindex_services([service.id])
    opened = search(Filters(text="warmline", open_now=True), now=WEDNESDAY_MORNING)
    assert "Riverside Peer Warmline" in names(opened)
