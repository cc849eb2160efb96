"""No page or API response contains any person's email address, whoever is looking.

The crawl follows every internal link from the home page (and the admin index for admins)
as a visitor, a member, a moderator and an admin, after creating data that *could* leak:
failed sign-ins (which store the typed address), audit entries, and accounts of each role.
"""

import re
from collections import deque

import pytest
from django.test import Client

from beacon.accounts.enums import Role
from beacon.core.audit import log_action
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"^/(static|media)/|/logout/|^/admin/logout/")
EXTRA_PATHS = [
    "/admin/axes/accessattempt/",
    "/admin/django_tasks_db/dbtaskresult/",
    "/admin/accounts/user/",
    "/admin/core/auditentry/",
]
MAX_PAGES = 400


def crawl(client: Client, starts: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        response = client.get(path)
        body = response.content.decode("utf-8", "replace")
        seen[path] = body
        for href in re.findall(r'href="(/[^"#]*)', body):
            href = href.replace("&amp;", "&")
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_no_page_shows_any_email_address(role, crisis_lines):
    people = [UserFactory(role=r) for r in (Role.MEMBER, Role.MODERATOR, Role.ADMIN)]
    Client().post("/accounts/login/", {"username": people[0].email, "password": "wrong"})
    log_action("accounts.user.profile_changed", actor=people[0], target=people[0])
    viewer = UserFactory(role=role) if role else None
    client = logged_in_client(viewer) if viewer else Client()
    starts = [
        "/",
        "/help/",
        "/accounts/",
        *(["/admin/", *EXTRA_PATHS] if role == Role.ADMIN else []),
    ]

    pages = crawl(client, starts)

    addresses = [p.email for p in people] + ([viewer.email] if viewer else [])
    leaks = [
        (path, a) for path, body in pages.items() for a in addresses if a.lower() in body.lower()
    ]
    assert leaks == []
    assert len(pages) >= (20 if role == Role.ADMIN else 8)
