import json
import time

import pytest
from django.core import mail

from beacon.accounts.models import User
from beacon.core.models import AuditEntry
from beacon.core.reauth import SESSION_KEY
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def expire_reauth(client):
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 3600
    session.save()


def test_account_page_never_shows_the_email_address(member_client, member):
    html = member_client.get("/accounts/").content.decode()

    assert member.email not in html
    assert member.display_name in html


def test_profile_change_saves_display_name_and_country(member_client, member, crisis_lines):
    response = member_client.post("/accounts/", {"display_name": "Mo B", "country": "GB"})

    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.display_name, member.country) == ("Mo B", "GB")


@pytest.mark.parametrize("path", ["/accounts/my-data/", "/accounts/close/", "/accounts/email/"])
def test_sensitive_pages_ask_for_the_password_again_after_a_while(member_client, path):
    expire_reauth(member_client)

    response = member_client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm-password/?next=")


def test_reauthentication_with_the_right_password_returns_to_the_page(member_client):
    expire_reauth(member_client)

    wrong = member_client.post(
        "/accounts/confirm-password/", {"password": "wrong", "next": "/accounts/my-data/"}
    )
    right = member_client.post(
        "/accounts/confirm-password/", {"password": PASSWORD, "next": "/accounts/my-data/"}
    )

    assert wrong.status_code == 200 and b"not right" in wrong.content
    assert right.status_code == 302 and right["Location"] == "/accounts/my-data/"
    assert member_client.get("/accounts/my-data/").status_code == 200


def test_reauthentication_refuses_to_redirect_off_site(member_client):
    response = member_client.post(
        "/accounts/confirm-password/", {"password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/accounts/"


@pytest.mark.parametrize("path", ["/accounts/", "/accounts/my-data/", "/accounts/close/"])
def test_account_pages_need_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_my_data_returns_json_with_the_account_and_activity(member_client, member):
    member_client.post("/accounts/", {"display_name": "Mo B", "country": ""})

    response = member_client.post("/accounts/my-data/")

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith('attachment; filename="beacon-my-data-')
    assert data["format"] == "beacon-personal-data"
    assert data["data"]["account"]["email"] == member.email
    assert data["data"]["account"]["display_name"] == "Mo B"
    assert [e["action"] for e in data["data"]["activity_log"]] == ["accounts.user.profile_changed"]


@pytest.mark.parametrize("mode", ["delete", "anonymise"])
def test_closing_the_account_removes_it_and_detaches_the_audit_trail(member_client, member, mode):
    member_id = member.pk
    entries_before = AuditEntry.objects.filter(actor_id=member_id).count()

    response = member_client.post("/accounts/close/", {"mode": mode, "confirm": "on"})

    assert response.status_code == 200 and b"Your account is closed" in response.content
    assert not User.objects.filter(pk=member_id).exists()
    assert AuditEntry.objects.filter(actor_id=member_id).count() == 0
    assert entries_before == 0 or AuditEntry.objects.count() >= entries_before
    assert member_client.get("/accounts/").status_code == 302  # signed out


def test_closing_the_account_needs_the_confirmation_box(member_client, member):
    response = member_client.post("/accounts/close/", {"mode": "delete"})

    assert response.status_code == 200
    assert User.objects.filter(pk=member.pk).exists()


def test_email_change_applies_only_after_the_new_address_confirms(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/accounts/email/", {"new_email": "fresh@people.example"})
    member.refresh_from_db()
    assert member.email != "fresh@people.example"
    assert mail.outbox[0].to == ["fresh@people.example"]
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]

    member_client.post(link)

    member.refresh_from_db()
    assert member.email == "fresh@people.example"


def test_email_change_to_a_taken_address_is_refused_with_a_message(member_client):
    UserFactory(email="taken@people.example")

    response = member_client.post("/accounts/email/", {"new_email": "taken@people.example"})

    assert b"belongs to another account" in response.content
