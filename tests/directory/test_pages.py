"""Directory pages: search without JavaScript, the service page, reports and curation."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from beacon.core.models import AuditEntry
from beacon.directory.demo import demo_id
from beacon.directory.models import DirectoryReport, Metadata, Schedule, Service
from beacon.help.queries import COUNTRY_COOKIE
from tests.conftest import logged_in_client
from tests.directory.conftest import pt

pytestmark = pytest.mark.django_db

EASTSIDE = demo_id("service", "eastside-counselling")
CLARK = demo_id("service", "clark-peer-center")


def checked_boxes(page: str) -> set[tuple[str, str]]:
    """(name, value) of every ticked check box on the page."""
    found = set()
    for tag in re.findall(r"<input [^>]*>", page):
        if 'type="checkbox"' in tag and re.search(r"\schecked\b", tag):
            name = re.search(r'name="([^"]+)"', tag).group(1)
            value = re.search(r'value="([^"]*)"', tag)
            found.add((name, value.group(1) if value else "on"))
    return found


def test_search_page_without_a_query_offers_a_start(client, demo_directory):
    page = client.get("/directory/").content.decode()
    assert "Start a search" in page
    assert 'role="search"' in page
    assert "Use my location" in page  # offered by JS only: the box is hidden without it
    assert re.search(r"<p class=\"locate\" data-locate hidden>", page)


def test_search_by_place_with_filters_is_a_shareable_get(client, demo_directory, frozen_now):
    frozen_now(pt(2026, 11, 18, 10, 30))
    url = (
        "/directory/?place=97214&radius=25&open_now=1"
        "&kind=local-organisation&kind=online-counselling"
    )
    page = client.get(url).content.decode()
    assert "near 97214 (Portland, OR), US" in page
    assert "Low-cost counselling" in page
    assert "Riverside Peer Warmline" not in page  # closed in the morning
    assert 'value="97214"' in page  # what was typed stays in the box
    assert checked_boxes(page) == {
        ("open_now", "on"),
        ("kind", "local-organisation"),
        ("kind", "online-counselling"),
    }
    assert 'name="radius"' in page and re.search(r'<option value="25" selected>', page)
    assert "tel:+15035550110" in page  # the call button right in the results


def test_unknown_place_says_so_and_keeps_the_search(client, demo_directory):
    response = client.get("/directory/?place=Atlantis&q=counselling")
    page = response.content.decode()
    assert response.status_code == 200
    assert "couldn&#x27;t find “Atlantis”" in page
    assert 'value="Atlantis"' in page and 'value="counselling"' in page


def test_use_my_location_coordinates(client, demo_directory):
    page = client.get("/directory/?lat=45.5048&lon=-122.6369&radius=5").content.decode()
    assert "near your location" in page
    assert "Low-cost counselling" in page


def test_use_my_location_serves_the_locations_country_and_state_not_the_readers(
    client, demo_directory
):
    client.cookies[COUNTRY_COOKIE] = "GB"  # a reader from the UK, travelling
    portland = client.get("/directory/?lat=45.5048&lon=-122.6369&radius=5").content.decode()
    spokane = client.get("/directory/?lat=47.6588&lon=-117.4260&radius=5").content.decode()
    london = client.get("/directory/?lat=51.5072&lon=-0.1276&radius=5").content.decode()

    assert "Calm Steps self-help app" in portland and "Calm Steps self-help app" in spokane
    assert "Online therapy by video" in portland  # anywhere in Oregon
    assert "Online therapy by video" not in spokane  # Washington
    assert "Calm Steps self-help app" not in london


def test_bad_values_are_dropped_not_errors(client, demo_directory):
    response = client.get("/directory/?radius=9999&kind=nonsense&lat=abc&page=-3&language=xx")
    page = response.content.decode()

    assert response.status_code == 200
    assert checked_boxes(page) == set()  # "nonsense" and "xx" are not choices: dropped
    assert re.search(r'<option value="25" selected>', page)  # the default radius
    assert "near your location" not in page  # lat without a number (and no lon)
    # Every service the index has, first page: as if none of it had been asked.
    everything = client.get("/directory/?q=").content.decode()
    heading = re.search(r'<h2 id="results-heading">([^<]*)</h2>', page).group(1)
    assert heading == re.search(r'<h2 id="results-heading">([^<]*)</h2>', everything).group(1)
    assert heading == f"{Service.objects.exclude(status='inactive').count()} results"


def test_pagination_links_keep_repeated_filters(client, demo_directory, monkeypatch):
    monkeypatch.setattr("beacon.directory.views.public.PER_PAGE", 3)
    page = client.get("/directory/?kind=local-organisation&kind=support-group").content.decode()
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', page)
    assert links
    assert "kind=local-organisation" in links[0] and "kind=support-group" in links[0]


def test_service_page_has_everything_to_act(client, demo_directory, frozen_now):
    frozen_now(pt(2026, 11, 18, 10, 30))  # a Wednesday morning
    page = client.get(f"/directory/services/{EASTSIDE}/").content.decode()
    assert "Low-cost counselling" in page
    assert 'href="tel:+15035550110"' in page
    assert "Open now" in page and "until 12:00" in page
    assert re.search(r'<tr class="today" aria-current="date"><th scope="row">Wednesday', page)
    assert "09:00–12:00, 13:00–19:00" in page
    assert 'href="geo:45.504800,-122.636900?q=2840%20SE%20Division%20St%2C%20Portland"' in page
    assert "Step-free entrance" in page
    assert "Adults 18 and over" in page
    assert "Spanish" in page and "Vietnamese" in page
    assert "$10 to $80" in page
    assert "Last checked" in page
    assert "Something wrong?" in page
    assert "Closed on 26 November 2026 (holiday)." in page


def test_text_and_chat_buttons(client, demo_directory):
    page = client.get(f"/directory/services/{demo_id('service', 'campus-listening')}/").content
    page = page.decode()
    assert 'href="sms:+15035550134?body=LISTEN"' in page
    assert "Text LISTEN to (503) 555-0134" in page
    assert 'href="https://listening-line.example/chat"' in page


def test_a_temporarily_closed_service_never_shows_open(client, demo_directory, frozen_now):
    frozen_now(pt(2026, 11, 18, 10, 30))  # within its usual hours (MO–FR 09:00–17:00)
    page = client.get(f"/directory/services/{CLARK}/").content.decode()
    opened = client.get("/directory/?place=97214&radius=25&open_now=1").content.decode()
    listed = client.get("/directory/?place=97214&radius=25&q=peer+recovery").content.decode()

    state = re.search(r'<p class="open-state">(.*?)</p>', page, re.S).group(1)
    assert "Temporarily closed" in state and "Open" not in state
    assert "Peer recovery drop-in" not in opened
    card = listed.split("Peer recovery drop-in", 1)[1].split("</li>", 1)[0]
    assert "Temporarily closed" in card and "Open now" not in card


def test_the_address_opens_in_maps_on_any_device(client, demo_directory):
    page = client.get(f"/directory/services/{EASTSIDE}/").content.decode()

    assert 'href="geo:45.504800,-122.636900?' in page  # Android and desktop map apps
    assert (  # iOS and every browser
        'href="https://www.openstreetmap.org/?mlat=45.504800&amp;mlon=-122.636900'
        '#map=17/45.504800/-122.636900"'
    ) in page


def test_stale_and_closed_services_say_so(client, demo_directory):
    stale = client.get(f"/directory/services/{demo_id('service', 'northside-bipoc')}/")
    assert "Not checked in the last 180 days" in stale.content.decode()
    closed = client.get(f"/directory/services/{demo_id('service', 'clark-peer-center')}/")
    assert "temporarily closed" in closed.content.decode()
    assert "Closed for repairs" in closed.content.decode()


def test_unknown_service_is_404(client, demo_directory):
    assert (
        client.get("/directory/services/00000000-0000-0000-0000-000000000000/").status_code == 404
    )
    assert client.get("/directory/services/not-a-uuid/").status_code == 404


def test_report_reaches_the_curator_queue_and_is_resolved(client, demo_directory, curator):
    response = client.post(
        f"/directory/services/{EASTSIDE}/report/",
        {"reason": "number_failed", "note": "It rang and rang."},
    )
    assert response.status_code == 302
    report = DirectoryReport.objects.get()
    assert report.reporter is None and report.reason == "number_failed"
    curator_client = logged_in_client(curator)
    queue = curator_client.get("/directory/curate/").content.decode()
    assert "Low-cost counselling" in queue and "The number didn&#x27;t work" in queue
    assert "It rang and rang." in queue
    curator_client.post(f"/directory/curate/reports/{report.id}/resolve/", {"note": "fixed"})
    report.refresh_from_db()
    assert report.state == "resolved" and report.resolved_by == curator
    assert "It rang and rang." not in curator_client.get("/directory/curate/").content.decode()


def test_report_form_errors_keep_the_note(client, demo_directory):
    response = client.post(f"/directory/services/{EASTSIDE}/report/", {"note": "my words"})
    assert response.status_code == 400
    assert "my words" in response.content.decode()
    assert not DirectoryReport.objects.exists()


def test_reports_are_rate_limited_per_browser(client, demo_directory):
    for _ in range(10):
        client.post(f"/directory/services/{EASTSIDE}/report/", {"reason": "other"})
    response = client.post(
        f"/directory/services/{EASTSIDE}/report/", {"reason": "other", "note": "kept"}
    )
    assert response.status_code == 429
    assert "kept" in response.content.decode()
    assert DirectoryReport.objects.count() == 10


def test_curator_queue_lists_stale_entries_never_checked_first(demo_directory, curator):
    page = logged_in_client(curator).get("/directory/curate/").content.decode()
    never = page.index("Bereaved by suicide support circle")
    old = page.index("BIPOC counselling and healing circles")
    assert never < old
    assert "Low-cost counselling" not in page.split("Not checked recently")[1]


def test_verify_marks_checked_and_leaves_metadata(demo_directory, curator, frozen_now):
    frozen_now(pt(2026, 11, 18, 10, 30))
    service_id = demo_id("service", "northside-bipoc")
    logged_in_client(curator).post(
        f"/directory/curate/services/{service_id}/verify/", {"note": "called"}
    )
    service = Service.objects.get(id=service_id)
    assert str(service.assured_date) == "2026-11-18"
    meta = Metadata.objects.get(resource_id=service_id)
    assert meta.field_name == "assured_date" and meta.updated_by == f"curator:{curator.code}"
    assert AuditEntry.objects.filter(action="directory.service.verified").exists()


class _Forms(HTMLParser):
    """The forms of a page as a browser would submit them: name -> list of values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select].append(a.get("value", ""))
        elif not self.forms or "name" not in a:
            return
        elif tag == "input":
            if a.get("type") in ("checkbox", "radio"):
                values = self.forms[-1].setdefault(a["name"], [])
                if "checked" in a:
                    values.append(a.get("value") or "on")
            elif a.get("type") not in ("submit", "button"):
                self.forms[-1].setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a["name"]
            self.forms[-1].setdefault(a["name"], [])
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][a["name"]] = [""]

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._textarea:  # a browser drops the newline right after <textarea>
            text = self.forms[-1][self._textarea][0] + data
            self.forms[-1][self._textarea][0] = text.removeprefix("\n")


def edit_form(page: str) -> dict[str, list[str]]:
    """What the curator's "correct the entry" form submits as it stands."""
    parser = _Forms()
    parser.feed(page)
    (form,) = [f for f in parser.forms if "phones-TOTAL_FORMS" in f]
    return {name: values for name, values in form.items() if values and values != [""]}


def test_curator_edit_changes_search_at_once(demo_directory, curator):
    c = logged_in_client(curator)
    url = f"/directory/curate/services/{EASTSIDE}/"
    data = edit_form(c.get(url).content.decode())
    data |= {"name": ["Sliding-scale counselling"], "also_verify": ["1"]}
    data["phones-0-number"] = ["(503) 555-0111"]

    response = c.post(url, data)

    assert response.status_code == 302, response.content.decode()
    page = Client().get("/directory/?q=sliding-scale").content.decode()
    assert "Sliding-scale counselling" in page and "tel:+15035550111" in page
    assert Metadata.objects.filter(resource_id=EASTSIDE, field_name="name").exists()


def test_curator_edit_with_errors_keeps_input(demo_directory, curator):
    c = logged_in_client(curator)
    url = f"/directory/curate/services/{EASTSIDE}/"
    data = edit_form(c.get(url).content.decode())
    data |= {"name": [""], "description": ["typed text"]}

    response = c.post(url, data)

    assert response.status_code == 400
    assert "typed text" in response.content.decode()
    assert Service.objects.get(id=EASTSIDE).name == "Low-cost counselling"


def test_curator_edits_weekly_hours_per_channel_and_closed_days(demo_directory, curator):
    from beacon.directory.search import Filters, search

    c = logged_in_client(curator)
    url = f"/directory/curate/services/{EASTSIDE}/"
    data = edit_form(c.get(url).content.decode())
    shown = sorted(
        (data[f"hours-{i}-days"], data[f"hours-{i}-opens_at"], data[f"hours-{i}-closes_at"])
        for i in range(3)
    )
    assert shown == [  # what the page shows now
        (["FR"], ["09:00"], ["15:00"]),
        (["MO", "TU", "WE", "TH"], ["09:00"], ["12:00"]),
        (["MO", "TU", "WE", "TH"], ["13:00"], ["19:00"]),
    ]
    assert "hours-3-days" not in data  # the empty row for a new set of hours
    friday = next(i for i in range(3) if data[f"hours-{i}-days"] == ["FR"])
    data[f"hours-{friday}-closes_at"] = ["17:00"]
    data |= {  # a Saturday phone hour, and a training day this Wednesday
        "hours-3-days": ["SA"],
        "hours-3-opens_at": ["10:00"],
        "hours-3-closes_at": ["12:00"],
        "hours-3-channel": ["call"],
        "closed-3-valid_from": ["2026-11-18"],
        "closed-3-description": ["Closed on 18 November (staff training)."],
    }

    assert c.post(url, data).status_code == 302

    def open_at(now, **kwargs):
        results = search(Filters(text="low cost counselling", open_now=True, **kwargs), now=now)
        return bool(results.hits)

    assert not open_at(pt(2026, 11, 18, 10, 30))  # the training day
    assert open_at(pt(2026, 11, 25, 10, 30))  # the Wednesday after
    assert open_at(pt(2026, 11, 20, 16, 0))  # Friday, now until 17:00
    assert open_at(pt(2026, 11, 21, 11, 0), channels=("call",))  # Saturday's phone hour
    assert not open_at(pt(2026, 11, 21, 11, 0), channels=("in_person",))
    page = Client().get(f"/directory/services/{EASTSIDE}/").content.decode()
    assert "Closed on 18 November (staff training)." in page
    changed = set(
        Metadata.objects.filter(resource_id=EASTSIDE).values_list("field_name", flat=True)
    )
    assert changed == {"hours", "closed_days"}


def test_curator_hours_errors_keep_what_was_typed(demo_directory, curator):
    c = logged_in_client(curator)
    url = f"/directory/curate/services/{EASTSIDE}/"
    data = edit_form(c.get(url).content.decode())
    data |= {"hours-3-opens_at": ["07:45"], "hours-3-closes_at": ["08:15"]}  # no day
    data |= {"closed-3-valid_from": ["2026-12-31"], "closed-3-valid_to": ["2026-12-30"]}
    before = list(Schedule.objects.filter(service_id=EASTSIDE).values_list("id", flat=True))

    response = c.post(url, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one day." in page and 'value="07:45"' in page
    assert "The last day can&#x27;t be before the first." in page
    after = list(Schedule.objects.filter(service_id=EASTSIDE).values_list("id", flat=True))
    assert after == before


@pytest.mark.parametrize(
    ("who", "expected"),
    [("visitor", 302), ("member", 403), ("curator", 200), ("moderator", 200), ("admin", 200)],
)
def test_permission_matrix(who, expected, demo_directory, member, curator, moderator, admin_user):
    users = {"member": member, "curator": curator, "moderator": moderator, "admin": admin_user}
    c = Client() if who == "visitor" else logged_in_client(users[who])
    edit_url = f"/directory/curate/services/{EASTSIDE}/"
    edit = edit_form(logged_in_client(curator).get(edit_url).content.decode())
    edit["name"] = [f"Renamed by {who}"]
    edit["hours-0-closes_at"] = ["23:00"]
    report = DirectoryReport.objects.create(service_id=EASTSIDE, reason="other")
    allowed = expected == 200

    assert c.get("/directory/").status_code == 200
    assert c.get(f"/directory/services/{EASTSIDE}/").status_code == 200
    assert c.get("/api/hsds/services").status_code == 200
    assert c.get("/directory/curate/").status_code == expected
    assert c.get(edit_url).status_code == expected
    before = Service.objects.get(id=EASTSIDE).assured_date
    response = c.post(f"/directory/curate/services/{EASTSIDE}/verify/", {})
    after = Service.objects.get(id=EASTSIDE).assured_date
    if allowed:
        assert response.status_code == 302 and after != before
    else:
        assert response.status_code == expected and after == before
    hours = Schedule.objects.filter(service_id=EASTSIDE, closed=False)
    hours_before = sorted(hours.values_list("closes_at", flat=True))
    response = c.post(edit_url, edit)
    service = Service.objects.get(id=EASTSIDE)
    hours_after = sorted(hours.values_list("closes_at", flat=True))
    assert response.status_code == (302 if allowed else expected)
    assert (service.name == f"Renamed by {who}") == allowed
    assert (hours_after != hours_before) == allowed
    response = c.post(f"/directory/curate/reports/{report.id}/resolve/", {"note": "done"})
    report.refresh_from_db()
    assert response.status_code == (302 if allowed else expected)
    assert (report.state == "resolved") == allowed
    nav = c.get("/directory/").content.decode()
    assert ("/directory/curate/" in nav) == allowed


def test_reports_are_in_the_reporters_data_download(demo_directory, member):
    from beacon.core.personal_data import registry

    logged_in_client(member).post(f"/directory/services/{EASTSIDE}/report/", {"reason": "closed"})
    report = DirectoryReport.objects.get()
    assert report.reporter == member
    exported = registry.export_for(member)
    assert exported["directory_reports"][0]["reason"] == "closed"


def test_results_page_queries_do_not_grow_with_results(
    client, demo_directory, frozen_now, django_assert_max_num_queries
):
    """Results load their services, phones and listed locations in a fixed number of
    queries (one page of few results costs what a page of many does)."""
    frozen_now(pt(2026, 11, 18, 10, 30))
    client.get("/directory/?place=97214&radius=25")  # cached choices and hours patterns
    with django_assert_max_num_queries(12):
        many = client.get("/directory/?place=97214&radius=25").content.decode()
    with django_assert_max_num_queries(14):
        few = client.get("/directory/?q=eastside&place=97214&radius=25").content.decode()
    assert many.count('class="result card"') > 5
    assert few.count('class="result card"') >= 1
    # The address shown is the listed location's.
    assert "2840 SE Division St, Portland" in few


def test_filter_choices_are_cached_and_follow_a_curators_change_at_once(
    client, demo_directory, django_assert_max_num_queries
):
    from beacon.directory.models import TaxonomyTerm
    from beacon.directory.taxonomy import taxonomy_id

    client.get("/directory/?q=support")  # reads and caches the choices
    with django_assert_max_num_queries(6):  # no choices read again: place-less search
        client.get("/directory/")
    term = TaxonomyTerm.objects.create(
        taxonomy_id=taxonomy_id("audience"),
        code="night-workers",
        name="Night workers",
        description="People who work at night.",
    )
    assert 'value="night-workers"' in client.get("/directory/").content.decode()
    term.name = "Night-shift workers"
    term.save()
    assert "Night-shift workers" in client.get("/directory/").content.decode()
    term.delete()
    assert 'value="night-workers"' not in client.get("/directory/").content.decode()
