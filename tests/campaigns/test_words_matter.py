"""The "words matter" page lists every entry of beacon_safety's language data (so it never
drifts from the writing assistant) and checks pasted text without keeping it."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import get_language_info

from beacon.core.models import AuditEntry
from beacon_safety import available_languages, language_terms

pytestmark = pytest.mark.django_db

SECRET_TEXT = "My neighbour committed suicide and my brother is a junkie."


def test_the_page_lists_every_term_with_its_alternatives_and_why(client):
    body = client.get("/words-matter/").content.decode()

    terms = language_terms()
    assert len(terms) >= 60
    for term in terms:
        assert f'id="term-{term.id}"' in body
        assert term.alternatives[0].replace("'", "&#x27;") in body
    assert body.count('class="term"') == len(terms)
    for heading in ("Suicide and self-harm", "Substance use and addiction"):
        assert heading in body


def test_the_checker_answers_without_javascript_with_suggestions(client):
    response = client.post("/words-matter/", {"text": SECRET_TEXT})

    body = response.content.decode()
    assert response.status_code == 200
    assert "2 suggestions" in body
    assert "“committed suicide”" in body and 'href="#term-committed-suicide"' in body
    assert "died by suicide" in body
    assert "“junkie”" in body


def test_the_live_checker_answers_with_the_fragment_only(client):
    response = client.post("/words-matter/check/", {"text": "a failed suicide attempt"})

    body = response.content.decode()
    assert "1 suggestion" in body and "<html" not in body


def test_clean_text_gets_a_kind_answer(client):
    body = client.post("/words-matter/", {"text": "She died by suicide."}).content.decode()

    assert "No stigmatising phrases found" in body


def test_nothing_pasted_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    before = AuditEntry.objects.count()

    with CaptureQueriesContext(connection) as queries:
        client.post("/words-matter/", {"text": SECRET_TEXT})

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE")]
    assert writes == []
    assert AuditEntry.objects.count() == before
    assert "neighbour" not in caplog.text


def test_each_language_of_the_data_is_offered_or_named_as_having_no_guide(client):
    """Spanish has a data folder but no language entries today: the page says so plainly
    instead of showing nothing (or English dressed up as Spanish)."""
    languages = available_languages()
    with_entries = [code for code in languages if language_terms(code)]
    without = [code for code in languages if not language_terms(code)]

    body = client.get("/words-matter/").content.decode()

    for code in without:
        name = get_language_info(code)["name"]
        assert f"There is no {name} guide yet: our language data has no {name} entries" in body
    if len(with_entries) > 1:
        for code in with_entries:
            assert f'href="?lang={code}"' in body or f'aria-current="page" lang="{code}"' in body
    else:
        assert "?lang=" not in body  # nothing to choose between


def test_spanish_is_named_as_having_no_guide_while_its_data_has_no_entries(client):
    if language_terms("es"):
        pytest.skip("Spanish has language entries now: the choice test covers it")

    body = client.get("/words-matter/?lang=es").content.decode()

    assert "There is no Spanish guide yet" in body
    assert body.count('class="term"') == len(language_terms("en"))  # English, said plainly


@pytest.mark.parametrize("code", available_languages())
def test_a_chosen_language_shows_exactly_its_own_entries(client, code):
    terms = language_terms(code)
    if not terms:
        pytest.skip(f"{code} has no language entries")

    body = client.get(f"/words-matter/?lang={code}").content.decode()

    assert body.count('class="term"') == len(terms)
    assert f'<input type="hidden" name="lang" value="{code}">' in body
