import re

import pytest
from django.core import mail
from django.test import Client

from beacon.accounts.models import User
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup(client, email="new.person@people.example", name="Rain", password="quiet harbour lights"):
    return client.post(
        "/accounts/signup/", {"display_name": name, "email": email, "password": password}
    )


def link_in(message) -> str:
    return re.search(r"http://[^\s]+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_signup_creates_unverified_account_and_mails_a_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email="New.Person@People.example ")

    user = User.objects.get()
    assert response.status_code == 200 and b"Check your email" in response.content
    assert (user.email, user.display_name, user.role, user.is_email_verified) == (
        "new.person@people.example",
        "Rain",
        "member",
        False,
    )
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert [m.to for m in mail.outbox] == [["new.person@people.example"]]
    assert "/accounts/verify/" in mail.outbox[0].body


def test_unverified_account_cannot_sign_in_until_the_link_is_used(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    login = {"username": "new.person@people.example", "password": "quiet harbour lights"}

    refused = client.post("/accounts/login/", login)
    assert (
        refused.status_code == 200 and b"Please confirm your email address first" in refused.content
    )

    link = link_in(mail.outbox[0])
    assert client.get(link).status_code == 200  # a page with a button: scanners change nothing
    assert not User.objects.get().is_email_verified
    assert client.post(link).status_code == 302
    assert User.objects.get().is_email_verified

    assert client.post("/accounts/login/", login).status_code == 302


def test_verification_link_with_a_bad_token_is_refused_clearly(client):
    user = UserFactory(email_verified_at=None)

    response = client.post(f"/accounts/verify/{user.code}/bad-token/")

    assert response.status_code == 400 and b"expired or was already used" in response.content
    user.refresh_from_db()
    assert not user.is_email_verified


def test_signup_with_an_existing_address_reveals_nothing_and_warns_the_owner(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@people.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email="TAKEN@people.example")

    assert b"Check your email" in response.content
    assert User.objects.count() == 1
    assert mail.outbox[0].subject.endswith("Someone tried to sign up with your address")


def test_signup_with_a_weak_password_keeps_what_was_typed(client):
    response = signup(client, name="Rain", email="rain@people.example", password="123")

    html = response.content.decode()
    assert response.status_code == 200 and User.objects.count() == 0
    assert 'value="Rain"' in html and 'value="rain@people.example"' in html
    assert "too short" in html


def test_login_by_email_is_case_insensitive(client):
    UserFactory(email="case@people.example")

    response = client.post(
        "/accounts/login/", {"username": "CASE@People.example", "password": PASSWORD}
    )

    assert response.status_code == 302


def test_repeated_wrong_passwords_lock_the_account_for_that_address(client):
    UserFactory(email="target@people.example")

    for _ in range(5):
        client.post("/accounts/login/", {"username": "target@people.example", "password": "nope"})
    locked = client.post(
        "/accounts/login/", {"username": "target@people.example", "password": PASSWORD}
    )

    assert locked.status_code == 429
    assert b"Too many sign-in attempts" in locked.content
    other = Client().post(
        "/accounts/login/", {"username": "other@people.example", "password": "nope"}
    )
    assert other.status_code == 200  # other addresses are not locked


def test_logout_requires_post_and_signs_out(member_client):
    assert member_client.get("/accounts/logout/").status_code == 405

    member_client.post("/accounts/logout/")

    assert member_client.get("/accounts/").status_code == 302


def test_password_reset_sends_a_working_link(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": member.email})
    link = link_in(mail.outbox[0])

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a brand new passphrase")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@people.example"}, follow=True
    )

    assert b"If that address has an account" in response.content
    assert mail.outbox == []


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from beacon.config import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
