"""Counting under concurrent signing, forced with real threads on PostgreSQL: the counter
never loses or doubles a count, and one person or address signs once."""

import threading

import pytest
from django.db import connection, connections

from beacon.campaigns import services
from beacon.campaigns.models import Pledge, Signature
from beacon.campaigns.tokens import confirm_token
from tests.factories.accounts import UserFactory
from tests.factories.campaigns import PledgeFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_together(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def worker(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=a) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database; `make test` runs this on PostgreSQL")


def counted(pledge) -> tuple[int, int]:
    pledge.refresh_from_db()
    rows = Signature.objects.filter(pledge=pledge, confirmed_at__isnull=False).count()
    return pledge.signature_count, rows


def fresh(pledge):
    return Pledge.objects.select_related("campaign").get(pk=pledge.pk)


def test_many_members_signing_at_once_are_each_counted():
    pledge = PledgeFactory()
    people = UserFactory.create_batch(16)

    errors = run_together(
        lambda u: services.sign_pledge(fresh(pledge), user=u, show_name=False),
        [(p,) for p in people],
    )

    assert errors == []
    assert counted(pledge) == (16, 16)


def test_one_member_double_clicking_is_counted_once():
    pledge = PledgeFactory()
    person = UserFactory()

    errors = run_together(
        lambda: services.sign_pledge(fresh(pledge), user=person, show_name=False), [()] * 8
    )

    assert errors == []
    assert counted(pledge) == (1, 1)


def test_many_guests_confirming_at_once_are_each_counted():
    pledge = PledgeFactory()
    codes = [
        Signature.objects.create(pledge=pledge, email=f"g{i}@guests.example").code
        for i in range(16)
    ]

    errors = run_together(
        lambda c: services.confirm_signature(confirm_token(c)), [(c,) for c in codes]
    )

    assert errors == []
    assert counted(pledge) == (16, 16)


def test_one_link_opened_many_times_at_once_counts_once():
    pledge = PledgeFactory()
    code = Signature.objects.create(pledge=pledge, email="h@guests.example").code

    errors = run_together(lambda: services.confirm_signature(confirm_token(code)), [()] * 8)

    assert errors == []
    assert counted(pledge) == (1, 1)


def test_one_address_signing_at_once_makes_one_signature():
    pledge = PledgeFactory()

    errors = run_together(
        lambda: services.request_guest_signature(
            fresh(pledge), email="i@guests.example", name="", show_name=False
        ),
        [()] * 8,
    )

    assert errors == []
    assert Signature.objects.filter(pledge=pledge).count() == 1
