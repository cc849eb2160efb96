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
    return Filters(
        latitude=p.latitude, longitude=p.longitude, country=p.country, region=p.admin1, **kwargs
    )


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
    rural = Service.objects.get(name="Rural telehealth counselling")  # MO–FR 09:00–17:00
    twin = Service.objects.create(
        organization=rural.organization, name="Twin", time_zone=rural.time_zone, country="US"
    )
    for schedule in rural.schedules.all():
        schedule.pk, schedule.service = None, twin
        schedule.save()
    patterns = HoursPattern.objects.count()
    reindex_services([twin.id])
    assert HoursPattern.objects.count() == patterns
    assert ServiceIndex.objects.get(service=twin).hours_id == (
        ServiceIndex.objects.get(service=rural).hours_id
    )

    opened = search(Filters(text="warmline", open_now=True), now=WEDNESDAY_MORNING)
    assert "Riverside Peer Warmline" not in names(opened)  # 17:00–01:00
    # A curator corrects its hours to open in the morning too; the same minute's
    # searches see it (a new pattern changes the cache key).
    service = Service.objects.get(name="Riverside Peer Warmline")
    Schedule.objects.filter(service=service).exclude(opens_at=None).update(opens_at="09:00")
    reindex_services([service.id])
    opened = search(Filters(text="warmline", open_now=True), now=WEDNESDAY_MORNING)
    assert "Riverside Peer Warmline" in names(opened)


# --------------------------------------------------------------------------- audit fixes


def _service(name: str, **fields) -> Service:
    from beacon.directory import models as m

    org = m.Organization.objects.create(name=f"{name} org", description="Test organisation.")
    fields.setdefault("time_zone", "America/Los_Angeles")
    fields.setdefault("country", "US")
    fields.setdefault("assured_date", WEDNESDAY_MORNING.date())
    return Service.objects.create(organization=org, name=name, **fields)


def _weekly(service, days: str, opens: str, closes: str, channel: str = "", **where):
    from beacon.directory.models import Schedule

    target = where or {"service": service}
    return Schedule.objects.create(
        freq="WEEKLY", byday=days, opens_at=opens, closes_at=closes, channel=channel, **target
    )


EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def test_a_temporarily_closed_service_is_never_open_now(demo_directory):
    # Peer recovery drop-in: MO–FR 09:00–17:00, but closed for repairs.
    opened = search(near("97214", radius_km=40, open_now=True), now=WEDNESDAY_MORNING, per_page=50)
    listed = search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=50)

    assert "Peer recovery drop-in" not in names(opened)
    hit = next(
        h for n, h in zip(names(listed), listed.hits, strict=True) if n == "Peer recovery drop-in"
    )
    assert (hit.open_now, hit.always_open) == (None, False)


def test_open_now_with_a_channel_asks_that_channel(demo_directory):
    from beacon.directory.models import Phone

    line = _service("Zephyr text line")
    Phone.objects.create(service=line, number="(503) 555-0190", type="voice")
    Phone.objects.create(service=line, number="(503) 555-0191", type="text")
    _weekly(line, EVERY_DAY, "09:00", "17:00", channel="call")
    _weekly(line, EVERY_DAY, "18:00", "22:00", channel="text")
    reindex_services([line.id])
    ten = pt(2026, 11, 18, 10, 0)

    def found(now, **kwargs):
        results = search(Filters(text="zephyr", **kwargs), now=now)
        return [(h.open_now, h.always_open) for h in results.hits]

    assert found(ten, channels=("text",), open_now=True) == []
    assert found(ten, channels=("call",), open_now=True) == [(True, False)]
    assert found(ten, channels=("text", "call"), open_now=True) == [(True, False)]
    assert found(ten, open_now=True) == [(True, False)]
    assert found(ten, channels=("text",)) == [(False, False)]  # the badge says so too
    assert found(pt(2026, 11, 18, 19, 0), channels=("text",), open_now=True) == [(True, False)]
    # A channel the line does not offer is not open, whatever the other hours say.
    assert found(ten, channels=("chat",), open_now=True) == []


def test_online_services_appear_only_where_their_area_covers_the_place(demo_directory):
    oregon = names(search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=50))
    washington = names(search(near("Spokane, WA"), now=WEDNESDAY_MORNING, per_page=50))
    texas = names(search(near("Austin, TX"), now=WEDNESDAY_MORNING, per_page=50))
    london = names(search(near("London, UK"), now=WEDNESDAY_MORNING, per_page=50))

    # "Anywhere in Oregon", and "Multnomah, Washington and Clackamas counties" (Oregon).
    for name in ("Online therapy by video", "Friendly check-in line for older adults"):
        assert name in oregon
        assert name not in washington and name not in texas
    # National, and online with no area: the whole of their country, and only it.
    for name in ("Calm Steps self-help app", "Employee assistance line"):
        assert name in oregon and name in washington and name in texas
        assert name not in london


def test_a_service_without_country_or_area_is_in_no_place_search(demo_directory):
    app = _service("Worldless breathing app", country="")
    reindex_services([app.id])

    assert "Worldless breathing app" not in names(
        search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=50)
    )
    assert names(search(Filters(text="worldless"), now=WEDNESDAY_MORNING)) == [app.name]


def test_service_areas_in_several_regions_and_countries(demo_directory):
    from beacon.directory.models import ServiceArea

    both = _service("Two-state peer line")
    ServiceArea.objects.create(service=both, name="Oregon and Washington")
    abroad = _service("Transatlantic line")
    ServiceArea.objects.create(service=abroad, name="Texas")
    ServiceArea.objects.create(service=abroad, name="United Kingdom")
    reindex_services([both.id, abroad.id])

    spokane = names(search(near("Spokane, WA"), now=WEDNESDAY_MORNING, per_page=50))
    austin = names(search(near("Austin, TX"), now=WEDNESDAY_MORNING, per_page=50))
    london = names(search(near("London, UK"), now=WEDNESDAY_MORNING, per_page=50))
    assert "Two-state peer line" in spokane and "Two-state peer line" not in austin
    assert "Transatlantic line" in austin and "Transatlantic line" in london
    assert "Transatlantic line" not in spokane
    assert ServiceIndex.objects.filter(service=abroad, primary=True).count() == 1


def test_hours_on_the_service_at_location_or_the_location_count(demo_directory):
    from beacon.directory import models as m

    def clinic(name: str, lat: float) -> tuple[Service, m.ServiceAtLocation]:
        service = _service(name)
        location = m.Location.objects.create(
            location_type="physical", name=name, latitude=lat, longitude=-122.65
        )
        return service, m.ServiceAtLocation.objects.create(service=service, location=location)

    at_site, sal = clinic("Site hours clinic", 45.52)
    _weekly(None, "WE", "09:00", "12:00", service_at_location=sal)
    building, sal2 = clinic("Building hours clinic", 45.53)
    _weekly(None, "WE", "09:00", "12:00", location=sal2.location)
    reindex_services([at_site.id, building.id])

    morning = names(search(near("97214", open_now=True), now=WEDNESDAY_MORNING, per_page=50))
    evening = names(search(near("97214", open_now=True), now=pt(2026, 11, 18, 13), per_page=50))
    assert {"Site hours clinic", "Building hours clinic"} <= set(morning)
    assert not {"Site hours clinic", "Building hours clinic"} & set(evening)


def test_24_7_is_decided_at_search_time_with_near_closures_only(demo_directory):
    from beacon.directory.models import Schedule

    line = _service("Night and day line")
    _weekly(line, EVERY_DAY, "00:00", "00:00")
    Schedule.objects.create(service=line, valid_from="2027-09-14", closed=True)  # 300 days on
    Schedule.objects.create(service=line, valid_from="2026-11-20", closed=True)  # this Friday
    split = _service("Split channels line")
    _weekly(split, EVERY_DAY, "09:00", "17:00", channel="call")
    _weekly(split, EVERY_DAY, "17:00", "09:00", channel="chat")
    reindex_services([line.id, split.id])

    def always(now):
        return names(search(Filters(always_open=True), now=now, per_page=50))

    # The closure on Friday is near: not 24/7 this week; from Saturday it is again, with
    # the same index rows (nothing frozen at index time); the one next September never
    # counts until it is near.
    assert "Night and day line" not in always(WEDNESDAY_MORNING)
    assert "Night and day line" in always(pt(2026, 11, 21, 10))
    assert "Night and day line" in always(pt(2027, 5, 1, 10))
    assert "Night and day line" not in always(pt(2027, 9, 10, 10))
    # Call 09–17 and chat 17–09 together cover the clock, but neither is 24/7.
    assert "Split channels line" not in always(pt(2026, 11, 21, 10))
    assert "Split channels line" in names(
        search(Filters(open_now=True, text="split"), now=pt(2026, 11, 21, 20))
    )


def test_the_stale_days_setting_decides_what_is_stale(demo_directory, settings):
    from django.utils import timezone

    def stale(now):
        results = search(Filters(text="low cost counselling"), now=now)
        return [h.stale for h in results.hits]

    now = timezone.now()  # the demo was verified relative to today
    assert stale(now) == [False]  # verified 40 days ago, with 180 days allowed
    settings.BEACON_DIRECTORY_STALE_DAYS = 30
    assert stale(now) == [True]


def test_the_language_filter_names_languages_stored_as_bare_codes(demo_directory):
    from beacon.directory.models import Language, Service
    from beacon.directory.queries import language_choices

    service = Service.objects.first()
    Language.objects.create(service=service, code="tl", name="TL")

    choices = dict(language_choices())

    assert choices["tl"] == "Tagalog"
    assert "TL" not in choices.values()
