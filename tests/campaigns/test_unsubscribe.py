"""One-click unsubscribe (RFC 8058): a signed link; GET shows a button, POST (from the page
or straight from a mail client, without a session or CSRF token) unsubscribes; repeatable."""

import pytest
from django.core import mail
from django.test import Client

from beacon.campaigns.models import Signature
from beacon.campaigns.tasks import unsubscribe_headers, unsubscribe_path
from beacon.core.mail import queue_templated_email
from tests.factories.campaigns import SignatureFactory

pytestmark = pytest.mark.django_db


def test_the_link_shows_a_button_and_changes_nothing_on_get(client):
    signature = SignatureFactory()

    response = client.get(unsubscribe_path(signature))

    assert response.status_code == 200
    assert "Unsubscribe</button>" in response.content.decode()
    signature.refresh_from_db()
    assert signature.unsubscribed_at is None


def test_one_click_post_from_a_mail_client_unsubscribes_and_is_idempotent():
    signature = SignatureFactory()
    mail_client = Client(enforce_csrf_checks=True)
    path = unsubscribe_path(signature)

    first = mail_client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    signature.refresh_from_db()
    when = signature.unsubscribed_at
    second = mail_client.post(path, {"List-Unsubscribe": "One-Click"})

    assert first.status_code == second.status_code == 200
    signature.refresh_from_db()
    assert when is not None and signature.unsubscribed_at == when
    assert signature.confirmed_at is not None  # the signature still counts
    assert signature.pledge.signature_count == 1


def test_a_tampered_link_is_refused(client):
    signature = SignatureFactory()

    response = client.post(unsubscribe_path(signature)[:-4] + "abc/")

    assert response.status_code == 400
    assert Signature.objects.get().unsubscribed_at is None


def test_the_shared_mail_helper_adds_extra_headers(django_capture_on_commit_callbacks):
    signature = SignatureFactory()

    with django_capture_on_commit_callbacks(execute=True):
        queue_templated_email(
            to="x@guests.example",
            subject="Hi",
            template="campaigns/email/already_signed.txt",
            context={"pledge": signature.pledge, "pledge_path": "/"},
            headers=unsubscribe_headers(signature),
        )
        queue_templated_email(
            to="y@guests.example",
            subject="Hi",
            template="campaigns/email/already_signed.txt",
            context={"pledge": signature.pledge, "pledge_path": "/"},
        )

    with_headers, without = mail.outbox
    assert with_headers.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert with_headers.extra_headers["List-Unsubscribe"].startswith("<http://")
    assert "List-Unsubscribe" not in without.extra_headers
