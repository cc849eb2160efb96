"""Personal data: phones (phonenumbers), emails, URLs, handles, addresses, full names."""

from __future__ import annotations

import pytest

from beacon_safety import assess

pytestmark = pytest.mark.safety


def kinds(text: str, lang: str = "en") -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for flag in assess(text, lang=lang).personal_data:
        found.setdefault(flag.kind, []).append(text[flag.start : flag.end])
    return found


@pytest.mark.parametrize(
    "text",
    ["Call me on (415) 555-0132 tonight.", "my number is 07700 900123", "text +44 7700 900123"],
)
def test_phone_numbers(text: str) -> None:
    assert "phone" in kinds(text)


def test_crisis_lines_are_not_personal_data() -> None:
    assert kinds("Call 988 or 1-800-273-8255, or Samaritans on 116 123.") == {}


def test_email_url_handle() -> None:
    found = kinds("Mail jo.bloggs+x@example.co.uk, see https://example.org/me or @jo_bloggs.")
    assert found["email"] == ["jo.bloggs+x@example.co.uk"]
    assert found["url"] == ["https://example.org/me"]
    assert found["handle"] == ["@jo_bloggs"]


def test_bare_domain_is_a_url() -> None:
    assert kinds("my blog is at janesmith.com now")["url"] == ["janesmith.com"]


def test_street_address_and_postcode() -> None:
    found = kinds("I live at 42 Elm Street, Leeds LS1 4AB.")
    assert "42 Elm Street" in found["address"]
    assert "LS1 4AB" in found["address"]


def test_third_party_full_name() -> None:
    found = kinds("My boss John Carter told me I was useless.")
    assert found["name"] == ["John Carter"]
    assert kinds("Dr. Amelia Jones was kind to me.")["name"] == ["Dr. Amelia Jones"]


def test_spanish_address() -> None:
    assert "address" in kinds("Vivo en Calle Mayor 12, Madrid.", lang="es")


def test_ordinary_numbers_and_words_are_not_flagged() -> None:
    assert kinds("I walked 12000 steps on 3 May and slept 8 hours.") == {}


def test_span_and_reason() -> None:
    text = "email me: a@b.io"
    (flag,) = assess(text).personal_data
    assert text[flag.start : flag.end] == "a@b.io"
    assert flag.reason
