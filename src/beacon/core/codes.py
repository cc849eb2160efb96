"""Random public codes for URLs, so no sequential id ever reaches a page or the API."""

import secrets

# Lower-case letters and digits without look-alikes (0/o, 1/l/i), easy to read aloud.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 12


def new_code(length: int = CODE_LENGTH) -> str:
    """Return a random code of `length` characters from ALPHABET (about 5 bits each)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
