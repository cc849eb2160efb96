"""Demo events for the three demo initiatives: a weekly support group each (running for
four months, with an attendance history), a workshop and an awareness event, and a few
answers from demo people on coming meetings. Idempotent: matched by initiative and title.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from beacon.accounts.models import User
from beacon.core.demo import register_demo
from beacon.events.enums import EventFormat, EventKind, OccurrenceStatus, Recurrence
from beacon.events.models import EventSeries, Occurrence
from beacon.events.services import rsvp_member, sync_occurrences
from beacon.initiatives.enums import MemberRole, MembershipState
from beacon.initiatives.models import Initiative
from beacon.initiatives.queries import can_facilitate

HISTORY_WEEKS = 16

# initiative name -> its place and the events it runs.
PLANS = {
    "Riverside Peer Support Collective": {
        "zone": "America/Los_Angeles",
        "place": ("Belmont Library community room", "1038 SE César E. Chávez Blvd, Portland, OR"),
        "point": (45.5163, -122.6224),
        "weekly": {
            "title": "Tuesday evening peer-support circle",
            "weekday": 1,
            "at": datetime.time(18, 30),
            "minutes": 90,
            "capacity": 14,
            "format": EventFormat.IN_PERSON,
            "audience": "",
            "description": (
                "A calm, confidential circle for adults going through a hard stretch. "
                "We go round once, and you can always pass.\n\n"
                "- Step-free room, accessible restroom.\n"
                "- Tea, coffee and something to eat.\n\n"
                "*This is peer support, not therapy or a crisis service.*"
            ),
            "confirm": True,
        },
        "workshop": {
            "title": "Writing through it: a creative-writing workshop",
            "in_days": 18,
            "at": datetime.time(13, 0),
            "minutes": 120,
            "capacity": 10,
            "format": EventFormat.IN_PERSON,
            "description": "Gentle prompts, no sharing required. Paper and pens provided.",
        },
        "awareness": {
            "title": "Talking about mental health at work: an evening talk",
            "in_days": 33,
            "at": datetime.time(18, 0),
            "minutes": 75,
            "capacity": 60,
            "format": EventFormat.HYBRID,
            "description": "Two peer workers and an employer talk about what helped, with Q&A.",
        },
        "history": (7, 12),
    },
    "High Desert Mental Health Circle": {
        "zone": "America/Los_Angeles",
        "place": ("Harney County Grange Hall", "Burns, OR"),
        "point": (43.5863, -119.0541),
        "weekly": {
            "title": "Farm and ranch families support circle",
            "weekday": 3,
            "at": datetime.time(19, 0),
            "minutes": 90,
            "capacity": 20,
            "format": EventFormat.HYBRID,
            "audience": "farmers",
            "description": (
                "For farmers, ranchers and their families. Come in person to the grange "
                "hall, or join by video if the drive is too long. Mental-health first "
                "aiders are at every meeting."
            ),
            "confirm": False,
        },
        "workshop": {
            "title": "Mental-health first aid basics",
            "in_days": 24,
            "at": datetime.time(10, 0),
            "minutes": 180,
            "capacity": 16,
            "format": EventFormat.IN_PERSON,
            "description": "Learn to notice when someone is struggling and how to help.",
        },
        "awareness": {
            "title": "County fair awareness stand",
            "in_days": 40,
            "at": datetime.time(11, 0),
            "minutes": 300,
            "capacity": None,
            "format": EventFormat.IN_PERSON,
            "description": "Come and say hello, pick up a leaflet, or just have a chat.",
        },
        "history": (4, 9),
    },
    "Open Door Online Peer Space": {
        "zone": "America/Los_Angeles",
        "place": None,
        "point": None,
        "weekly": {
            "title": "Monday evening online circle",
            "weekday": 0,
            "at": datetime.time(19, 0),
            "minutes": 60,
            "capacity": 12,
            "format": EventFormat.ONLINE,
            "audience": "",
            "description": "A moderated video circle. Cameras optional; you can type instead.",
            "confirm": True,
        },
        "workshop": {
            "title": "Grief and the holidays: an online workshop",
            "in_days": 12,
            "at": datetime.time(17, 0),
            "minutes": 90,
            "capacity": 25,
            "format": EventFormat.ONLINE,
            "description": "For anyone missing someone. Led by two bereaved peer supporters.",
        },
        "awareness": {
            "title": "Student mental-health awareness evening",
            "in_days": 27,
            "at": datetime.time(18, 0),
            "minutes": 60,
            "capacity": 100,
            "format": EventFormat.ONLINE,
            "description": "Students share what helped them through exams and loneliness.",
        },
        "history": (5, 11),
    },
}
ONLINE_URL = "https://meet.demo.beacon.example/{code}"


def _first_weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _base(initiative: Initiative, plan: dict, spec: dict, organiser: User | None) -> dict:
    place = plan["place"] if spec["format"] != EventFormat.ONLINE else None
    point = plan["point"] if place else None
    return {
        "initiative": initiative,
        "description": spec["description"],
        "format": spec["format"],
        "place_name": place[0] if place else "",
        "address": place[1] if place else "",
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "online_url": ONLINE_URL.format(code=initiative.code)
        if spec["format"] != EventFormat.IN_PERSON
        else "",
        "time_zone": plan["zone"],
        "start_time": spec["at"],
        "duration_minutes": spec["minutes"],
        "capacity": spec["capacity"],
        "created_by": organiser,
    }


def _history(series: EventSeries, low: int, high: int) -> None:
    """Counts for the past meetings, as if attendance was taken and RSVPs later pruned."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.BEACON_RSVP_RETENTION_DAYS)
    past = series.occurrences.filter(ends_at__lte=now).order_by("starts_at")
    for index, occurrence in enumerate(past):
        attended = low + (index * 5 + len(series.title)) % (high - low + 1)
        returning = 0 if index == 0 else max(0, attended - 1 - index % 3)
        Occurrence.objects.filter(pk=occurrence.pk).update(
            attended_count=attended,
            returning_count=returning,
            attendance_recorded=True,
            counted_at=occurrence.ends_at,
            rsvps_pruned_at=now if occurrence.ends_at <= cutoff else None,
        )
    # One meeting was cancelled for the weather.
    snow = past[len(past) // 2] if len(past) > 2 else None
    if snow is not None:
        Occurrence.objects.filter(pk=snow.pk).update(
            status=OccurrenceStatus.CANCELLED,
            cancel_reason="Cancelled for snow and ice on the roads.",
            attended_count=0,
            returning_count=0,
        )


def _organiser(initiative: Initiative) -> User | None:
    membership = initiative.memberships.filter(
        role=MemberRole.ORGANISER, state=MembershipState.ACTIVE
    ).first()
    return membership.user if membership else None


def _facilitator(initiative: Initiative, on: datetime.date) -> User | None:
    for membership in initiative.memberships.filter(
        role=MemberRole.FACILITATOR, state=MembershipState.ACTIVE
    ).select_related("user"):
        if can_facilitate(membership.user, initiative, on):
            return membership.user
    return None


@register_demo("events", order=50)
def seed() -> str:
    created = 0
    today = timezone.localdate()
    now = timezone.now()
    for name, plan in PLANS.items():
        initiative = Initiative.objects.filter(name=name).first()
        if initiative is None:
            continue
        organiser = _organiser(initiative)
        with transaction.atomic():
            weekly = plan["weekly"]
            if not EventSeries.objects.filter(
                initiative=initiative, title=weekly["title"]
            ).exists():
                start = _first_weekday_on_or_after(
                    today - timedelta(weeks=HISTORY_WEEKS), weekly["weekday"]
                )
                series = EventSeries.objects.create(
                    **_base(initiative, plan, weekly, organiser),
                    title=weekly["title"],
                    kind=EventKind.SUPPORT_GROUP,
                    start_date=start,
                    recurrence=Recurrence.WEEKLY,
                    audience=weekly["audience"],
                    confirm_day_before=weekly["confirm"],
                    facilitator=_facilitator(initiative, today),
                )
                # Materialise from the first meeting, so the past has its rows too.
                sync_occurrences(series, now=now - timedelta(weeks=HISTORY_WEEKS + 1))
                sync_occurrences(series, now=now)
                _history(series, *plan["history"])
                created += 1
            for kind, key in ((EventKind.WORKSHOP, "workshop"), (EventKind.AWARENESS, "awareness")):
                spec = plan[key]
                if EventSeries.objects.filter(initiative=initiative, title=spec["title"]).exists():
                    continue
                series = EventSeries.objects.create(
                    **_base(initiative, plan, spec, organiser),
                    title=spec["title"],
                    kind=kind,
                    start_date=today + timedelta(days=spec["in_days"]),
                    recurrence=Recurrence.NONE,
                )
                sync_occurrences(series, now=now)
                created += 1
        _demo_answers(initiative)
    total = EventSeries.objects.filter(initiative__name__in=list(PLANS)).count()
    return f"{total} demo event series ({created} new)"


def _demo_answers(initiative: Initiative) -> None:
    """The initiative's members answer its next weekly meeting (once)."""
    upcoming = (
        Occurrence.objects.filter(
            series__initiative=initiative,
            series__kind=EventKind.SUPPORT_GROUP,
            status=OccurrenceStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .select_related("series__initiative")
        .order_by("starts_at")
        .first()
    )
    if upcoming is None or upcoming.rsvps.exists() or not initiative.is_public:
        return
    for membership in initiative.memberships.filter(state=MembershipState.ACTIVE).select_related(
        "user"
    ):
        rsvp_member(
            Occurrence.objects.select_related("series__initiative").get(pk=upcoming.pk),
            actor=membership.user,
        )
