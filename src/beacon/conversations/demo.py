"""Demo conversations: one open now (started an hour before seeding, ends in a week) with
answers from the demo accounts, and a past one with its summary and transcript."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from beacon.accounts.models import User
from beacon.conversations.enums import Byline
from beacon.conversations.models import Answer, Conversation, Lens, Participant, Question
from beacon.conversations.services import QuestionInput, schedule_conversation, set_pinned
from beacon.core.demo import register_demo

PEOPLE = {
    "admin": "admin@demo.beacon.example",
    "moderator": "moderator@demo.beacon.example",
    "member": "member@demo.beacon.example",
    "member2": "member2@demo.beacon.example",
}

OPEN_TITLE = "Small things that help on hard days"
OPEN_INTRO = (
    "Welcome. This is an hour (or a week, for the slower among us) to share what gets us "
    "through the harder days, and what we wish the people and services around us knew.\n\n"
    "- Answer any question, in any order, under your display name or a pen name.\n"
    "- Be gentle with each other: reply to add, not to correct.\n"
    "- Please leave out details of self-harm or suicide methods. If you are struggling right "
    "now, the support lines on this page are there for you, day and night."
)
OPEN_QUESTIONS = [
    ("self", "What is one small thing that helps you get through a hard day?"),
    (
        "society",
        "When did someone around you respond to your mental health in a way that really helped?",
    ),
    (
        "system",
        "If you could change one thing about how services support people, what would it be?",
    ),
]
# (question index, author key, pen name or "", text, replies [(author key, text)])
OPEN_ANSWERS = [
    (
        0,
        "member",
        "",
        "Making my bed, even badly. It sounds silly, but it is one thing done before the day "
        "decides anything for me.",
        [("member2", "Not silly at all. I do the same with opening the curtains.")],
    ),
    (
        0,
        "member2",
        "Kestrel",
        "A short walk to the corner shop and back. Ten minutes, headphones on, one song "
        "I know every word of. I come back a little lighter most days.",
        [],
    ),
    (
        1,
        "admin",
        "",
        "A colleague noticed I had gone quiet and asked if I wanted to get a coffee. She did "
        "not push; she just made it easy to talk. I still think about that.",
        [("member", "That kind of noticing matters so much. Thank you for sharing it.")],
    ),
    (
        1,
        "member",
        "",
        "My brother started texting me a photo of his dog every morning. No questions, no "
        "pressure. It let me know someone was thinking of me.",
        [],
    ),
    (
        2,
        "member2",
        "Kestrel",
        "Shorter waits for a first appointment, and someone to check in while you wait. The "
        "weeks in between were the hardest part for me.",
        [],
    ),
]

PAST_TITLE = "Talking with family about mental health"
PAST_INTRO = (
    "Opening up to family can be the hardest conversation of all. Let's share what made it "
    "easier, what we learned, and what we would tell someone about to try."
)
PAST_QUESTIONS = [
    ("self", "What did you need to feel ready before you talked to your family?"),
    ("society", "What did a family member say or do that helped?"),
    ("system", "What could schools, GPs or workplaces do to make these talks easier?"),
]
PAST_ANSWERS = [
    (
        0,
        "member",
        "I wrote down three sentences first, so I would not freeze. I only used one of them, "
        "but having them helped.",
    ),
    (
        1,
        "member2",
        'My mum said, "Thank you for telling me. What would help right now?" and then '
        "actually listened.",
    ),
    (
        2,
        "admin",
        "A leaflet for families, handed over at the first appointment, explaining what to say "
        "and what to avoid.",
    ),
]
PAST_SUMMARY = (
    "Thank you to everyone who joined. A few threads ran through the evening:\n\n"
    "- **Preparing helps.** Several people wrote a few lines down first, or chose a calm "
    "moment like a walk or a car journey.\n"
    '- **Simple words land.** "Thank you for telling me" and "What would help?" came up '
    "again and again as the responses that made the difference.\n"
    "- **Families need guidance too.** Many wished services gave relatives something to read, "
    "so the person struggling does not have to explain everything.\n\n"
    "If talking to family is not safe or possible for you, that is okay — a friend, a peer "
    "group or a helpline can be that first conversation."
)


def _people() -> dict[str, User | None]:
    return {key: User.objects.filter(email=email).first() for key, email in PEOPLE.items()}


def _questions(pairs: list[tuple[str, str]]) -> list[QuestionInput]:
    lenses = {lens.slug: lens for lens in Lens.objects.all()}
    fallback = Lens.objects.first()
    return [QuestionInput(text=text, lens=lenses.get(slug, fallback)) for slug, text in pairs]


def _answer(conversation, question, author, body, *, pen_name="", parent=None, when=None):  # type: ignore[no-untyped-def]
    seq = (conversation.answers.aggregate(m=Max("seq"))["m"] or 0) + 1
    answer = Answer.objects.create(
        conversation=conversation,
        question=question,
        parent=parent,
        author=author,
        byline=Byline.PEN_NAME if pen_name else Byline.DISPLAY_NAME,
        pen_name=pen_name,
        body=body,
        seq=seq,
    )
    Conversation.objects.filter(pk=conversation.pk).update(seq=seq)
    if when is not None:
        Answer.objects.filter(pk=answer.pk).update(created_at=when, updated_at=when)
    return answer


# As long as a conversation may run (services: 31 days at most).
OPEN_FOR = timedelta(days=30)


def _seed_open(people: dict[str, User | None], now) -> None:  # type: ignore[no-untyped-def]
    host = people["moderator"]
    if host is None:
        return
    existing = Conversation.objects.filter(title=OPEN_TITLE).first()
    if existing is not None:
        # A demo seeded long ago: keep its open conversation open (unless someone closed it
        # early on purpose), so the live page can always be tried.
        if existing.closed_at is None and existing.ends_at <= now + timedelta(days=1):
            Conversation.objects.filter(pk=existing.pk).update(ends_at=now + OPEN_FOR)
        return
    conversation = schedule_conversation(
        actor=host,
        title=OPEN_TITLE,
        introduction=OPEN_INTRO,
        time_zone="Europe/London",
        starts_at=now - timedelta(hours=1),
        ends_at=now + OPEN_FOR,
        questions=_questions(OPEN_QUESTIONS),
    )
    questions = list(Question.objects.filter(conversation=conversation))
    when = now - timedelta(minutes=55)
    first = None
    for index, author_key, pen_name, text, replies in OPEN_ANSWERS:
        author = people[author_key]
        if author is None:
            continue
        Participant.objects.update_or_create(
            conversation=conversation,
            user=author,
            defaults={
                "byline": Byline.PEN_NAME if pen_name else Byline.DISPLAY_NAME,
                "pen_name": pen_name,
            },
        )
        answer = _answer(conversation, questions[index], author, text, pen_name=pen_name, when=when)
        first = first or answer
        for reply_key, reply_text in replies:
            when += timedelta(minutes=3)
            if people[reply_key] is not None:
                _answer(
                    conversation,
                    questions[index],
                    people[reply_key],
                    reply_text,
                    parent=answer,
                    when=when,
                )
        when += timedelta(minutes=7)
    if first is not None:
        set_pinned(first, actor=host, pinned=True)


def _seed_past(people: dict[str, User | None], now) -> None:  # type: ignore[no-untyped-def]
    host = people["moderator"]
    if host is None or Conversation.objects.filter(title=PAST_TITLE).exists():
        return
    starts = now - timedelta(days=14, hours=2)
    conversation = schedule_conversation(
        actor=host,
        title=PAST_TITLE,
        introduction=PAST_INTRO,
        time_zone="Europe/London",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        questions=_questions(PAST_QUESTIONS),
    )
    questions = list(Question.objects.filter(conversation=conversation))
    for offset, (index, author_key, text) in enumerate(PAST_ANSWERS):
        author = people[author_key]
        if author is None:
            continue
        Participant.objects.update_or_create(
            conversation=conversation, user=author, defaults={"include_in_transcript": True}
        )
        _answer(
            conversation,
            questions[index],
            author,
            text,
            when=starts + timedelta(minutes=10 + 12 * offset),
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        summary=PAST_SUMMARY,
        summary_updated_at=starts + timedelta(hours=2),
        transcript_published_at=starts + timedelta(days=2),
    )


@register_demo("conversations", order=60)
def seed() -> str:
    now = timezone.now()
    people = _people()
    _seed_open(people, now)
    _seed_past(people, now)
    return f"{Conversation.objects.count()} conversations, {Answer.objects.count()} answers"
