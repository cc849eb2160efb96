"""Demo initiatives: one urban, one rural, one online, listed, with organisers, a
facilitator, volunteer roles, training records and volunteer hours.

The events app's seeder (order 50) finds these initiatives by their exact names, so keep
the names in INITIATIVES as they are.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.accounts.models import User
from beacon.core.demo import register_demo
from beacon.initiatives.enums import (
    ApplicationState,
    InitiativeStatus,
    MemberRole,
    MembershipState,
    Setting,
    TrainingKind,
)
from beacon.initiatives.impact import add_months, first_of_month
from beacon.initiatives.models import (
    Initiative,
    InitiativeActivity,
    InitiativeAudience,
    Membership,
    TrainingRecord,
    VolunteerApplication,
    VolunteerRole,
    VolunteerShift,
)

DEMO_PASSWORD = "beacon-demo-2026"  # noqa: S105 - the published demo password (accounts/demo.py)
# Extra demo people, beside the four demo accounts: (email, display name).
EXTRA_PEOPLE = [
    ("sam@demo.beacon.example", "Sam"),
    ("lee@demo.beacon.example", "Lee"),
]

RIVERSIDE = "Riverside Peer Support Collective"
HIGH_DESERT = "High Desert Mental Health Circle"
OPEN_DOOR = "Open Door Online Peer Space"

INITIATIVES = [
    {
        "name": RIVERSIDE,
        "mission": "Free, weekly peer-support circles in inner Portland, run by people with "
        "lived experience, so nobody has to get through a hard stretch alone.",
        "description": (
            "We meet on **Tuesday evenings** at the community room of a neighbourhood "
            "library, and run a creative-writing workshop once a month.\n\n"
            "- No referral, no fee, no need to talk if you'd rather listen.\n"
            "- The room is step-free, with an accessible restroom.\n"
            "- Tea, coffee and something to eat are always there."
        ),
        "setting": Setting.URBAN,
        "place_name": "Portland, OR, US",
        "latitude": 45.52345,
        "longitude": -122.67621,
        "country": "US",
        "areas_served": "Inner Northeast and Southeast Portland",
        "partners": "Neighbourhood library branch; a local peer-run warmline",
        "contact_url": "https://riverside-peer-support.example/",
        "contact_phone": "503-555-0142",
        "audiences": ["adults", "lgbtq", "young_people"],
        "activities": ["support_groups", "workshops", "creative_therapies", "social_events"],
        "organiser": "member@demo.beacon.example",
    },
    {
        "name": HIGH_DESERT,
        "mission": "A circle for farmers, ranchers and their families in Harney County, "
        "meeting in person in Burns and by phone for people far out on the range.",
        "description": (
            "Distances are long out here, and so are winters. We meet twice a month at the "
            "grange hall in Burns, and keep a phone-in line open for those who can't make "
            "the drive. Mental-health first aiders are at every meeting."
        ),
        "setting": Setting.RURAL,
        "place_name": "Burns, OR, US",
        "latitude": 43.58626,
        "longitude": -119.0541,
        "country": "US",
        "areas_served": "Burns, Hines and the rest of Harney County",
        "partners": "County extension office",
        "contact_phone": "541-555-0177",
        "contact_email": "circle@high-desert-circle.example",
        "audiences": ["farmers", "adults", "parents_carers"],
        "activities": ["support_groups", "awareness", "social_events"],
        "organiser": "sam@demo.beacon.example",
    },
    {
        "name": OPEN_DOOR,
        "mission": "An online peer space open every evening, for anyone who wants company "
        "and understanding from people who have been there.",
        "description": (
            "We host moderated video circles on weekday evenings and a text-based forum "
            "that is read by trained volunteers. Cameras are optional."
        ),
        "setting": Setting.ONLINE,
        "place_name": "",
        "latitude": None,
        "longitude": None,
        "country": "US",
        "areas_served": "Anywhere: sessions are in English, on US Pacific time",
        "partners": "",
        "contact_url": "https://open-door-peer-space.example/",
        "audiences": ["adults", "students", "bereaved"],
        "activities": ["support_groups", "online_forums"],
        "organiser": "member2@demo.beacon.example",
    },
]

# (initiative name, email, role) beyond each initiative's organiser.
MEMBERS = [
    (RIVERSIDE, "member2@demo.beacon.example", MemberRole.FACILITATOR),
    (RIVERSIDE, "lee@demo.beacon.example", MemberRole.VOLUNTEER),
    (HIGH_DESERT, "lee@demo.beacon.example", MemberRole.FACILITATOR),
    (OPEN_DOOR, "member@demo.beacon.example", MemberRole.MEMBER),
    (OPEN_DOOR, "sam@demo.beacon.example", MemberRole.VOLUNTEER),
]

# (initiative, title, description, requirements, time commitment)
ROLES = [
    (
        RIVERSIDE,
        "Welcome volunteer",
        "Greet people at the door, make the tea, and help newcomers feel at home.",
        [],
        "Tuesday evenings, about 2 hours",
    ),
    (
        RIVERSIDE,
        "Co-facilitator",
        "Help a trained facilitator hold the circle and keep it a safe space.",
        ["facilitator", "safeguarding"],
        "Two Tuesdays a month",
    ),
    (
        HIGH_DESERT,
        "Phone-in line host",
        "Keep the phone-in line company during meetings.",
        ["first_aid"],
        "Twice a month, 3 hours",
    ),
    (
        OPEN_DOOR,
        "Forum reader",
        "Read new forum posts during your shift and welcome new members.",
        ["safeguarding"],
        "One evening a week",
    ),
]


def _person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            role=Role.MEMBER,
            email_verified_at=timezone.now(),
        )
    return user


@register_demo("initiatives", order=40)
@transaction.atomic
def seed() -> str:
    for email, name in EXTRA_PEOPLE:
        _person(email, name)
    people = {u.email: u for u in User.objects.filter(email__endswith="@demo.beacon.example")}
    created = 0
    for spec in INITIATIVES:
        if Initiative.objects.filter(name=spec["name"]).exists():
            continue
        created += 1
        organiser = people[spec["organiser"]]
        fields = {
            k: v for k, v in spec.items() if k not in ("audiences", "activities", "organiser")
        }
        initiative = Initiative.objects.create(
            **fields,
            status=InitiativeStatus.LISTED,
            created_by=organiser,
            submitted_at=timezone.now(),
            listed_at=timezone.now(),
        )
        InitiativeAudience.objects.bulk_create(
            InitiativeAudience(initiative=initiative, audience=a) for a in spec["audiences"]
        )
        InitiativeActivity.objects.bulk_create(
            InitiativeActivity(initiative=initiative, activity=a) for a in spec["activities"]
        )
        Membership.objects.create(
            initiative=initiative,
            user=organiser,
            role=MemberRole.ORGANISER,
            state=MembershipState.ACTIVE,
        )
        _seed_people_and_work(initiative, people)
    return (
        f"{Initiative.objects.filter(name__in=[s['name'] for s in INITIATIVES]).count()} demo "
        f"initiatives ({created} new), {VolunteerShift.objects.count()} volunteer shifts"
    )


def _seed_people_and_work(initiative: Initiative, people: dict[str, User]) -> None:
    today = timezone.localdate()
    organiser = initiative.memberships.get(role=MemberRole.ORGANISER).user
    members = [(email, role) for name, email, role in MEMBERS if name == initiative.name]
    for email, role in members:
        person = people[email]
        if role == MemberRole.FACILITATOR:
            # Facilitators hold a current facilitator record (the services require it).
            TrainingRecord.objects.create(
                user=person,
                initiative=initiative,
                kind=TrainingKind.FACILITATOR,
                title="Peer-support facilitation, 3 days",
                completed_on=today - datetime.timedelta(days=200),
                expires_on=today + datetime.timedelta(days=530),
                recorded_by=organiser,
            )
            TrainingRecord.objects.create(
                user=person,
                initiative=initiative,
                kind=TrainingKind.SAFEGUARDING,
                completed_on=today - datetime.timedelta(days=150),
                expires_on=today + datetime.timedelta(days=215),
                recorded_by=organiser,
            )
        Membership.objects.create(
            initiative=initiative, user=person, role=role, state=MembershipState.ACTIVE
        )
    if initiative.name == HIGH_DESERT:
        TrainingRecord.objects.create(
            user=organiser,
            initiative=initiative,
            kind=TrainingKind.FIRST_AID,
            title="Mental-health first aid",
            completed_on=today - datetime.timedelta(days=400),
            expires_on=today - datetime.timedelta(days=35),  # expired: shows on the page
            recorded_by=organiser,
        )
    for name, title, description, requirements, commitment in ROLES:
        if name != initiative.name:
            continue
        role = VolunteerRole.objects.create(
            initiative=initiative,
            title=title,
            description=description,
            requirements=requirements,
            time_commitment=commitment,
        )
        if not requirements and members:
            VolunteerApplication.objects.create(
                role=role,
                user=people[members[-1][0]],
                state=ApplicationState.APPROVED,
                decided_by=organiser,
                decided_at=timezone.now(),
            )
    # Hours over the last six months: a steady pattern, different for each person.
    helpers = [organiser] + [people[email] for email, _ in members]
    for months_ago in range(6):
        day = min(today, add_months(first_of_month(today), -months_ago).replace(day=14))
        for index, person in enumerate(helpers):
            VolunteerShift.objects.create(
                initiative=initiative,
                user=person,
                date=day,
                hours=Decimal(2 + (index + months_ago) % 4),
                recorded_by=organiser,
            )
