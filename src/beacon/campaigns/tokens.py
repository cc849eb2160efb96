"""Signed links mailed to pledge signers: confirm a guest signature, unsubscribe.

The tokens carry only a signature's public code; Django's signing keys them to SECRET_KEY.
"""

from __future__ import annotations

from django.core import signing

CONFIRM_SALT = "beacon.campaigns.signature-confirm"
UNSUBSCRIBE_SALT = "beacon.campaigns.signature-unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a week to open the confirmation link


def confirm_token(signature_code: str) -> str:
    """A link token that confirms the guest signature with `signature_code`."""
    return signing.dumps({"s": signature_code}, salt=CONFIRM_SALT)


def unsubscribe_token(signature_code: str) -> str:
    """A link token that stops follow-up mail for a signature (it never expires)."""
    return signing.dumps({"s": signature_code}, salt=UNSUBSCRIBE_SALT)


def code_from_confirm_token(token: str) -> str | None:
    """The signature code in a confirmation token, or None when bad or older than a week."""
    try:
        return str(signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)["s"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


def code_from_unsubscribe_token(token: str) -> str | None:
    """The signature code in an unsubscribe token, or None when it is not valid."""
    try:
        return str(signing.loads(token, salt=UNSUBSCRIBE_SALT)["s"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
