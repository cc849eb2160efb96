import pytest

from beacon.help.models import CrisisLine

pytestmark = pytest.mark.django_db


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
    assert "Open 24/7" in html
    assert "Verified 22 Nov 2026" in html
    assert "Source: samaritans.org" in html


def test_unverified_lines_are_labelled_as_not_verified(client, crisis_lines):
    html = client.get("/help/?country=IT").content.decode()

    assert "Lines we have not verified yet" in html
    assert "Not yet verified" in html


def test_an_unknown_country_falls_back_to_the_default_with_a_message(client, crisis_lines):
    response = client.get("/help/?country=ZZ")

    assert b"We don't have crisis lines for <strong>ZZ</strong>" in response.content
    assert "beacon_country" not in response.cookies


def test_the_account_country_is_used_when_there_is_no_cookie(member_client, member, crisis_lines):
    member.country = "AU"
    member.save()

    html = member_client.get("/help/").content.decode()

    assert "Crisis lines in Australia" in html


def test_hidden_lines_are_not_shown(client, crisis_lines):
    CrisisLine.objects.filter(slug__startswith="gb-shout").update(is_hidden=True)

    html = client.get("/help/?country=GB").content.decode()

    assert "sms:85258" not in html


def test_help_page_query_count_is_constant(client, crisis_lines, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/help/?country=US")
