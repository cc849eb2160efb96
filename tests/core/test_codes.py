import pytest

from beacon.core.codes import ALPHABET, CODE_LENGTH, new_code
from tests.factories.accounts import UserFactory


def test_new_code_uses_only_the_unambiguous_alphabet():
    codes = {new_code() for _ in range(2000)}

    assert len(codes) == 2000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01ilo") & set(ALPHABET)


@pytest.mark.django_db
def test_public_code_is_not_the_primary_key():
    users = UserFactory.create_batch(3)

    assert all(u.code and u.code != str(u.pk) for u in users)
    assert len({u.code for u in users}) == 3
