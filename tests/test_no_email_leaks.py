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


@pytest.mark.parametrize(
    "viewer", ["visitor", "member", "attendee", "organiser", "facilitator", "moderator", "admin"]
)
def test_initiative_and_event_pages_show_no_email_address(viewer, crisis_lines, settings):
    """Initiatives and events hold the most personal data in one place: members with roles,
    join requests, volunteer offers, training records, hours, and RSVPs of members and of
    guests (who exist only as an address). Their pages — the attendee list, the organisers'
    members / volunteers / training / hours pages, the impact page and CSV, the calendars,
    "my events" — are crawled as every kind of viewer."""
    from beacon.events import services as events
    from beacon.initiatives.enums import MemberRole, MembershipState
    from tests.factories.events import EventSeriesFactory
    from tests.factories.initiatives import (
        InitiativeFactory,
        MembershipFactory,
        TrainingRecordFactory,
        VolunteerApplicationFactory,
        VolunteerRoleFactory,
        VolunteerShiftFactory,
    )

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people = {
        name: UserFactory(display_name=name.title())
        for name in ("organiser", "facilitator", "volunteer", "applicant", "asker", "attendee")
    }
    people["moderator"] = UserFactory(role=Role.MODERATOR)
    people["admin"] = UserFactory(role=Role.ADMIN)
    people["member"] = UserFactory()
    initiative = InitiativeFactory(created_by=people["organiser"], name="Leak test circle")
    for name, role in (
        ("organiser", MemberRole.ORGANISER),
        ("facilitator", MemberRole.FACILITATOR),
        ("volunteer", MemberRole.VOLUNTEER),
        ("attendee", MemberRole.MEMBER),
    ):
        MembershipFactory(initiative=initiative, user=people[name], role=role)
    MembershipFactory(initiative=initiative, user=people["asker"], state=MembershipState.REQUESTED)
    TrainingRecordFactory(user=people["facilitator"], initiative=initiative)
    role = VolunteerRoleFactory(initiative=initiative)
    VolunteerApplicationFactory(role=role, user=people["applicant"])
    VolunteerShiftFactory(initiative=initiative, user=people["volunteer"])
    series = EventSeriesFactory(
        initiative=initiative,
        created_by=people["organiser"],
        facilitator=people["facilitator"],
        format="hybrid",
        online_url="https://meet.example/leak-test",
        capacity=2,
    )
    occurrence = series.occurrences.order_by("starts_at").first()
    events.rsvp_member(occurrence, actor=people["attendee"])
    guest = events.rsvp_guest(occurrence, email="guest.person@leak.example", name="Gwen")
    events.confirm_guest(guest)
    waiting = events.rsvp_guest(occurrence, email="waiting.guest@leak.example")
    events.confirm_guest(waiting)  # full: on the waiting list
    events.rsvp_guest(occurrence, email="unconfirmed@leak.example", name="Una")
    events.regenerate_calendar_token(actor=people["attendee"])

    user = people.get(viewer)
    client = logged_in_client(user) if user else Client()
    code, occ = initiative.code, occurrence.code
    starts = [
        "/initiatives/",
        f"/initiatives/{code}/",
        f"/initiatives/{code}/members/",
        f"/initiatives/{code}/volunteers/",
        f"/initiatives/{code}/training/",
        f"/initiatives/{code}/hours/",
        f"/initiatives/{code}/impact/",
        f"/initiatives/{code}/impact.csv",
        "/initiatives/mine/",
        "/events/",
        "/events/near/?place=97214&radius=25",
        f"/events/{occ}/",
        f"/events/{occ}/attendees/",
        f"/events/{occ}/calendar.ics",
        f"/events/series/{series.code}/",
        f"/events/series/{series.code}/calendar.ics",
        f"/events/feeds/initiative/{code}.ics",
        f"/events/manage/{code}/",
        "/events/mine/",
    ]

    pages = crawl(client, starts)

    addresses = [p.email for p in people.values()] + [
        "guest.person@leak.example",
        "waiting.guest@leak.example",
        "unconfirmed@leak.example",
    ]
    leaks = [
        (path, a) for path, body in pages.items() for a in addresses if a.lower() in body.lower()
    ]
    assert leaks == []
    if viewer in ("organiser", "facilitator"):  # the names they may read are there
        attendees = pages[f"/events/{occ}/attendees/"]
        assert "Attendee" in attendees and "Gwen" in attendees and "Una" in attendees
    if viewer == "organiser":
        assert "Applicant" in pages[f"/initiatives/{code}/volunteers/"]
        assert "Asker" in pages[f"/initiatives/{code}/members/"]
    if viewer == "attendee":
        assert any(path.startswith("/events/feeds/me/") for path in pages)


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR])
def test_conversation_and_campaign_pages_show_no_email_address(role, crisis_lines):
    """Conversations (answers, replies, pen names, a published transcript) and campaigns
    (pledges signed by members and guests, the words-matter checker) crawled by role."""
    from datetime import timedelta

    from django.utils import timezone

    from beacon.conversations import services as conversations
    from tests.factories.campaigns import PledgeFactory, SignatureFactory
    from tests.factories.conversations import AnswerFactory, ConversationFactory

    host, writer = UserFactory(role=Role.MODERATOR), UserFactory()
    live = ConversationFactory(host=host)
    answer = AnswerFactory(conversation=live, author=writer)
    AnswerFactory(conversation=live, parent=answer, question=answer.question)
    past = ConversationFactory(
        host=host,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    conversations.set_participation(
        past, user=writer, byline="pen_name", pen_name="Kestrel", include_in_transcript=True
    )
    AnswerFactory(conversation=past, author=writer)
    conversations.publish_transcript(past, actor=host)
    pledge = PledgeFactory()
    member_signature = SignatureFactory(pledge=pledge, user=writer, email="", show_name=True)
    guest = SignatureFactory(pledge=pledge, email="guest.signer@example.org", show_name=True)
    viewer = UserFactory(role=role) if role else None
    client = logged_in_client(viewer) if viewer else Client()

    pages = crawl(
        client,
        [
            "/conversations/",
            f"/conversations/{live.code}/",
            f"/conversations/{past.code}/",
            f"/conversations/{past.code}/transcript.md",
            "/campaigns/",
            f"/campaigns/{pledge.campaign.code}/",
            f"/campaigns/pledges/{pledge.code}/",
            "/words-matter/",
        ],
    )

    addresses = [host.email, writer.email, guest.email] + ([viewer.email] if viewer else [])
    leaks = [(p, a) for p, body in pages.items() for a in addresses if a.lower() in body.lower()]
    assert leaks == [] and member_signature.pk
    assert any("/transcript" in p for p in pages) and any("/pledges/" in p for p in pages)
