"""The help page and the crisis panel, read from directory services."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from beacon.accounts.enums import Role
from beacon.directory.models import Attribute, Service
from beacon.directory.taxonomy import term_id
from beacon.help.enums import Origin
from beacon.help.models import CrisisListing, HelpCountry
from beacon.help.services import sync_crisis_lines
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

KIND = term_id("resource-kind", "crisis-helpline")


def service_ids_on(html: str) -> set[str]:
    return set(re.findall(r'href="/directory/services/([0-9a-f-]{36})/"', html))


def test_help_page_shows_the_site_default_country(client, crisis_lines, settings):
    settings.BEACON_DEFAULT_COUNTRY = "US"

    html = client.get("/help/").content.decode()

    assert "Crisis lines in United States" in html
    assert 'href="tel:988"' in html
    assert 'href="tel:911"' in html  # the emergency number
    assert "not a crisis service" in html


def test_choosing_a_country_shows_its_lines_and_is_remembered_in_a_cookie(client, crisis_lines):
    response = client.get("/help/?country=gb")

    html = response.content.decode()
    assert "Crisis lines in United Kingdom" in html and 'href="tel:116123"' in html
    assert response.cookies["beacon_country"].value == "GB"
    assert response.cookies["beacon_country"]["samesite"] == "Lax"
    again = client.get("/help/").content.decode()
    assert "Crisis lines in United Kingdom" in again


def test_each_line_shows_channels_hours_and_verification(client, crisis_lines):
    html = client.get("/help/?country=GB").content.decode()

    assert 'href="sms:85258"' in html
    assert 'href="mailto:jo@samaritans.org"' in html
    assert "Open 24/7" in html
    assert "Verified 22 Nov 2026" in html
    assert "Source: samaritans.org" in html


def test_every_kind_of_contact_gets_its_link(client, crisis_lines):
    ireland = client.get("/help/?country=IE").content.decode()
    singapore = client.get("/help/?country=SG").content.decode()
    us = client.get("/help/?country=US").content.decode()
    brazil = client.get("/help/?country=BR").content.decode()

    assert 'href="sms:51444?body=HELP">Text HELP to 51444</a>' in ireland
    assert 'href="https://wa.me/6591511767"' in singapore
    assert 'href="https://988lifeline.org" rel="noreferrer noopener">Chat online</a>' in us
    assert 'href="sms:741741?body=HOME"' in us
    assert "Free · " in brazil and "Languages: Portuguese" in brazil


def test_contacts_not_yet_verified_on_a_verified_line_say_so(client, crisis_lines):
    html = client.get("/help/?country=US").content.decode()

    text_item = html[html.index('href="sms:988"') :]
    assert re.match(
        r'href="sms:988"[^<]*>Text 988</a>\s*<span class="hours">Open 24/7 · not yet verified',
        text_item,
    )


def test_numbers_with_their_own_hours_show_them(client, crisis_lines):
    japan = client.get("/help/?country=JP").content.decode()
    poland = client.get("/help/?country=PL").content.decode()

    assert "10:00–22:00 daily" in japan
    assert "16:00–21:00 daily; 24 hours on the 10th of each month" in japan
    assert re.search(r"Call 800 70 2222</a>\s*<span class=\"hours\">Open 24/7", poland)
    assert re.search(r"Call 116 123</a>\s*<span class=\"hours\">Hours not confirmed", poland)


def test_unverified_lines_are_labelled_as_not_verified(client, crisis_lines):
    html = client.get("/help/?country=IT").content.decode()

    assert "Lines we have not verified yet" in html
    assert "Not yet verified" in html
    assert "About 10:00–24:00 daily" in html


def test_an_unknown_country_falls_back_to_the_default_with_a_message(client, crisis_lines):
    response = client.get("/help/?country=ZZ")

    assert b"We don't have crisis lines for <strong>ZZ</strong>" in response.content
    assert "beacon_country" not in response.cookies


def test_the_account_country_is_used_when_there_is_no_cookie(member_client, member, crisis_lines):
    member.country = "AU"
    member.save()

    html = member_client.get("/help/").content.decode()

    assert "Crisis lines in Australia" in html


def test_hidden_and_inactive_lines_are_not_shown(client, crisis_lines):
    CrisisListing.objects.filter(slug="gb-shout").update(is_hidden=True)
    Service.objects.filter(crisis_listing__slug="gb-samaritans").update(status="inactive")

    html = client.get("/help/?country=GB").content.decode()

    assert "sms:85258" not in html and "tel:116123" not in html
    assert "GB" not in dict(client.get("/help/").context["countries"])


def test_outdated_numbers_are_listed(client, crisis_lines):
    html = client.get("/help/?country=US").content.decode()

    assert "Old numbers you may still see online" in html and "1-800-273-8255" in html


def test_each_line_links_to_its_directory_page(client, crisis_lines):
    html = client.get("/help/?country=GB").content.decode()

    ids = service_ids_on(html)
    assert ids == {str(s.id) for s in Service.objects.filter(crisis_listing__country__code="GB")}
    for service_id in ids:
        assert client.get(f"/directory/services/{service_id}/").status_code == 200


def test_the_help_page_and_a_directory_query_by_kind_show_the_same_lines(client, crisis_lines):
    for code in HelpCountry.objects.values_list("code", flat=True):
        html = client.get(f"/help/?country={code}").content.decode()
        tagged = Attribute.objects.filter(taxonomy_term_id=KIND, link_entity="service")
        directory = Service.objects.filter(
            id__in=tagged.values("link_id"), country=code, status="active"
        )
        assert service_ids_on(html) == {str(s.id) for s in directory}, code


def test_a_line_added_in_the_admin_is_tagged_and_shown(crisis_lines):
    admin = logged_in_client(UserFactory(role=Role.ADMIN))
    org = Service.objects.get(crisis_listing__slug="gb-shout").organization
    service = Service.objects.create(
        organization=org, name="Riverside night line", country="GB", is_national=True
    )
    service.phones.create(number="08000000001", type="voice")
    response = admin.post(
        "/admin/help/crisislisting/add/",
        {
            "service": str(service.id),
            "slug": "gb-riverside-night-line",
            "country": HelpCountry.objects.get(code="GB").pk,
            "status": "confirmed",
            "source": "Checked by phone",
            "unverified_contacts": "[]",
            "position": "5",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    listing = CrisisListing.objects.get(slug="gb-riverside-night-line")
    assert listing.origin == Origin.LOCAL
    assert Attribute.objects.filter(link_id=service.id, taxonomy_term_id=KIND).exists()
    html = admin.get("/help/?country=GB").content.decode()
    assert "Riverside night line" in html and 'href="tel:08000000001"' in html
    sync_crisis_lines()
    assert CrisisListing.objects.filter(slug="gb-riverside-night-line").exists()


class _FormFields(HTMLParser):
    """The values a browser would submit for the first form with method post."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            else:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select is not None and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._textarea:
            self._text += data


def test_an_admin_edit_to_the_service_shows_on_the_help_page_and_survives_a_reload(
    crisis_lines,
):
    admin = logged_in_client(UserFactory(role=Role.ADMIN))
    service = Service.objects.get(crisis_listing__slug="gb-samaritans")
    url = f"/admin/directory/service/{service.id}/change/"
    parser = _FormFields()
    parser.feed(admin.get(url).content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    data["description"] = ["Our own wording for Samaritans."]
    number_field = next(k for k, v in data.items() if k.endswith("-number") and v == ["116123"])
    data[number_field] = ["116 123"]

    response = admin.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    listing = CrisisListing.objects.get(slug="gb-samaritans")
    assert listing.locally_modified
    report = sync_crisis_lines()
    assert "gb-samaritans" in report.kept_local
    html = admin.get("/help/?country=GB").content.decode()
    assert "Our own wording for Samaritans." in html and 'href="tel:116 123"' in html


def test_help_page_query_count_is_constant(client, crisis_lines, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/help/?country=US")
    with django_assert_max_num_queries(8):
        client.get("/help/?country=NZ")


def test_crisis_panel_shows_calls_and_texts_in_few_queries(crisis_lines, django_assert_num_queries):
    request = RequestFactory().get("/", {"country": "NZ"})
    request.user = AnonymousUser()
    template = Template("{% load help_tags %}{% crisis_panel %}")

    with django_assert_num_queries(4):  # country, listings, phones, schedules
        html = template.render(Context({"request": request}))

    assert 'href="tel:1737">Call 1737</a><span class="hours">1737 Need to Talk? · 24/7' in html
    assert 'href="sms:4357?body=HELP">Text HELP to 4357</a>' in html
    assert 'href="tel:111"' in html  # the emergency number
