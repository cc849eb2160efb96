import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/help/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/verify/again/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_help_link_quick_exit_and_landmarks(client, crisis_lines, path):
    html = client.get(path).content.decode()

    assert 'href="/help/">Get help now</a>' in html
    assert "data-quick-exit" in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert "not a crisis service" in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_no_inline_script_or_style_and_no_third_party_urls(client, crisis_lines, path):
    html = client.get(path).content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert " style=" not in html and "<style" not in html
    assert re.findall(r"\bon[a-z]+=", html) == []
    # Every script and stylesheet is served by us.
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith("/static/"), url


def test_security_headers_are_strict(client):
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_for_signed_in_people_are_not_cached(member_client):
    response = member_client.get("/accounts/")

    assert response.headers["Cache-Control"] == "private, no-store"


def test_404_page_keeps_the_help_link(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'href="/help/">Get help now</a>' in response.content.decode()


@override_settings(DEBUG=False)
def test_500_page_keeps_the_help_link_without_context_processors():
    from django.test import RequestFactory

    from beacon.core.views import server_error

    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert 'href="/help/">Get help now</a>' in response.content.decode()


def test_expired_form_token_gets_a_calm_page_with_help(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a@b.example", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "This form timed out" in html and 'href="/help/">Get help now</a>' in html
