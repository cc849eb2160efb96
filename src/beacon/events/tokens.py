"""Signed links in RSVP mail: confirm a guest's place, cancel, answer "still coming?".

A token carries only the RSVP's public code and what it is for; it is signed with the
site's secret, so it cannot be forged or turned into another RSVP's link.
"""

from __future__ import annotations

from django.core import signing

SALT = "beacon.events.rsvp"
# How long each kind of link works, in seconds.
MAX_AGE = {
    "confirm": 60 * 60 * 24 * 7,
    "cancel": 60 * 60 * 24 * 400,
    "still": 60 * 60 * 24 * 3,
}


def rsvp_token(code: str, purpose: str) -> str:
    """A URL-safe signed token for RSVP `code` and `purpose` (a key of MAX_AGE)."""
    if purpose not in MAX_AGE:
        raise ValueError(f"unknown purpose {purpose!r}")
    return signing.dumps({"r": code, "p": purpose}, salt=SALT, compress=True)


def read_rsvp_token(token: str, purpose: str) -> str | None:
    """The RSVP code in `token` if it is genuine, for `purpose`, and not expired; else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE[purpose])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    code = data.get("r")
    return code if isinstance(code, str) else None
