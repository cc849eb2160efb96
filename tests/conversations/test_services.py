from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.conversations import services
from beacon.conversations.enums import AnswerState
from beacon.conversations.models import Answer, Conversation, Lens, Participant, Reaction
from beacon.conversations.queries import (
    answers_visible_to,
    changes_since,
    current_seq,
    transcript_answers,
)
from beacon.core.errors import DomainError, PermissionRefused
from beacon.moderation.enums import Lane
from beacon.moderation.models import Case
from beacon.moderation.services import decide
from tests.factories.accounts import UserFactory
from tests.factories.conversations import AnswerFactory, ConversationFactory

pytestmark = pytest.mark.django_db

CRISIS = "I want to end my life tonight. I can't see any way forward."
CALM = "A walk to the corner shop and back, with one song I know every word of."


def first_question(conversation):
    return conversation.questions.get(position=0)


# --- scheduling -------------------------------------------------------------------------


def test_an_organiser_schedules_with_questions_in_order_and_lenses(organiser):
    lenses = {lens.slug: lens for lens in Lens.objects.all()}
    starts = timezone.now() + timedelta(days=1)

    conversation = services.schedule_conversation(
        actor=organiser,
        title="Talking with family",
        introduction="Let's share what helped.",
        time_zone="America/New_York",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        questions=[
            services.QuestionInput("What did you need first?", lenses["self"]),
            services.QuestionInput("", lenses["self"]),  # empty rows are skipped
            services.QuestionInput("What should GPs do?", lenses["system"]),
        ],
    )

    rows = [(q.position, q.text, q.lens.slug) for q in conversation.questions.all()]
    assert rows == [(0, "What did you need first?", "self"), (1, "What should GPs do?", "system")]
    assert conversation.host == organiser and conversation.status == "scheduled"


def test_a_member_who_organises_nothing_cannot_schedule(member):
    with pytest.raises(PermissionRefused):
        services.schedule_conversation(
            actor=member,
            title="x",
            introduction="x",
            time_zone="UTC",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            questions=[services.QuestionInput("Q?", Lens.objects.first())],
        )
    assert Conversation.objects.count() == 0


def test_a_moderator_may_host_without_organising(moderator):
    conversation = services.schedule_conversation(
        actor=moderator,
        title="Open evening",
        introduction="Hello",
        time_zone="UTC",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
        questions=[services.QuestionInput("Q?", Lens.objects.first())],
    )
    assert conversation.host == moderator


def test_end_before_start_and_no_question_are_refused(moderator):
    now = timezone.now()
    with pytest.raises(DomainError, match=r"The end must be after the start\."):
        services.schedule_conversation(
            actor=moderator,
            title="x",
            introduction="x",
            time_zone="UTC",
            starts_at=now,
            ends_at=now,
            questions=[services.QuestionInput("Q", Lens.objects.first())],
        )
    with pytest.raises(DomainError, match=r"Write at least one question\."):
        services.schedule_conversation(
            actor=moderator,
            title="x",
            introduction="x",
            time_zone="UTC",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            questions=[],
        )


# --- the open window --------------------------------------------------------------------


def test_answers_are_refused_before_the_start_with_the_local_opening_time(member):
    conversation = ConversationFactory(
        starts_at=datetime(2031, 3, 14, 18, 30, tzinfo=UTC),
        ends_at=datetime(2031, 3, 14, 20, 0, tzinfo=UTC),
        time_zone="America/New_York",
    )

    with pytest.raises(services.NotOpen) as refused:
        services.post_answer(
            conversation, author=member, question=first_question(conversation), body=CALM
        )

    assert refused.value.message.startswith(
        "This conversation opens on 14 March 2031, 14:30 (America/New_York)."
    )
    assert Answer.objects.count() == 0


def test_answers_are_refused_after_the_end(member):
    conversation = ConversationFactory(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.NotOpen, match="closed on"):
        services.post_answer(
            conversation, author=member, question=first_question(conversation), body=CALM
        )
    assert Answer.objects.count() == 0


def test_answers_are_refused_once_the_host_closed_early(conversation, organiser, member):
    services.close_conversation(conversation, actor=organiser)

    with pytest.raises(services.NotOpen):
        services.post_answer(
            conversation, author=member, question=first_question(conversation), body=CALM
        )
    assert conversation.status == "closed"


def test_only_the_host_or_a_moderator_closes(conversation, member, moderator):
    with pytest.raises(PermissionRefused):
        services.close_conversation(conversation, actor=member)
    services.close_conversation(conversation, actor=moderator)
    assert conversation.closed_at is not None


# --- slow mode --------------------------------------------------------------------------


def test_slow_mode_refuses_a_second_answer_until_the_interval_has_passed(
    conversation, organiser, member
):
    services.set_slow_mode(conversation, actor=organiser, seconds=60)
    conversation.refresh_from_db()
    question = first_question(conversation)
    start = timezone.now()
    services.post_answer(conversation, author=member, question=question, body=CALM, now=start)

    with pytest.raises(services.SlowModeRefused) as refused:
        services.post_answer(
            conversation,
            author=member,
            question=question,
            body="And tea.",
            now=start + timedelta(seconds=20),
        )

    assert refused.value.retry_at == start + timedelta(seconds=60)
    assert "You can post again in 40 seconds" in refused.value.message
    assert Answer.objects.count() == 1
    services.post_answer(
        conversation,
        author=member,
        question=question,
        body="And tea.",
        now=start + timedelta(seconds=61),
    )
    assert Answer.objects.count() == 2


def test_slow_mode_is_per_person_and_the_host_is_exempt(conversation, organiser, member):
    services.set_slow_mode(conversation, actor=organiser, seconds=300)
    conversation.refresh_from_db()
    question = first_question(conversation)
    other = UserFactory()

    services.post_answer(conversation, author=member, question=question, body=CALM)
    services.post_answer(conversation, author=other, question=question, body=CALM)
    services.post_answer(conversation, author=organiser, question=question, body="Welcome!")
    services.post_answer(conversation, author=organiser, question=question, body="Thank you!")

    assert Answer.objects.count() == 4


def test_a_member_cannot_set_slow_mode(conversation, member):
    with pytest.raises(PermissionRefused):
        services.set_slow_mode(conversation, actor=member, seconds=60)


# --- safety -----------------------------------------------------------------------------


def test_a_crisis_answer_is_held_in_the_crisis_lane_and_hidden_from_others(
    conversation, member, other_member, moderator
):
    answer = services.post_answer(
        conversation, author=member, question=first_question(conversation), body=CRISIS
    )

    case = Case.objects.get()
    assert (answer.state, answer.risk, case.lane) == (AnswerState.HELD, "crisis", Lane.CRISIS)
    assert list(answers_visible_to(other_member, conversation)) == []
    assert list(answers_visible_to(conversation.host, conversation)) == []
    assert list(answers_visible_to(member, conversation)) == [answer]
    assert list(answers_visible_to(moderator, conversation)) == [answer]


def test_a_moderator_publishes_a_held_answer_and_readers_are_told(
    conversation, member, other_member, moderator
):
    answer = services.post_answer(
        conversation, author=member, question=first_question(conversation), body=CRISIS
    )
    seq_before = current_seq(conversation.pk)

    decide(Case.objects.get(), action="approve", actor=moderator)

    answer.refresh_from_db()
    assert answer.state == AnswerState.PUBLISHED
    assert list(answers_visible_to(other_member, conversation)) == [answer]
    assert [a.pk for a in changes_since(conversation, seq_before)] == [answer.pk]


def test_a_moderator_removes_a_held_answer(conversation, member, moderator):
    answer = services.post_answer(
        conversation, author=member, question=first_question(conversation), body=CRISIS
    )

    decide(Case.objects.get(), action="remove", actor=moderator, message="We reached out.")

    answer.refresh_from_db()
    assert (answer.state, answer.moderator_message) == (AnswerState.REMOVED, "We reached out.")


def test_a_calm_answer_is_published_at_once_without_a_case(conversation, member, other_member):
    answer = services.post_answer(
        conversation, author=member, question=first_question(conversation), body=CALM
    )

    assert answer.state == AnswerState.PUBLISHED
    assert list(answers_visible_to(other_member, conversation)) == [answer]
    assert Case.objects.count() == 0


def test_the_check_step_suggests_other_words():
    check = services.check_answer("My week was crazy and I felt like a psycho.")

    assert [w["text"] for w in check["words"]] == ["crazy", "psycho"]
    assert check["risk"] == "none"


# --- replies, host controls -------------------------------------------------------------


def test_replies_are_one_level_deep(conversation, member, other_member):
    question = first_question(conversation)
    answer = services.post_answer(conversation, author=member, question=question, body=CALM)
    reply = services.post_answer(
        conversation, author=other_member, question=question, body="Same here.", parent=answer
    )

    with pytest.raises(DomainError, match="one level"):
        services.post_answer(
            conversation, author=member, question=question, body="Yes!", parent=reply
        )
    assert reply.parent == answer


def test_the_host_hides_and_pins_and_readers_see_the_change(conversation, organiser, member):
    answer = AnswerFactory(conversation=conversation, author=member)
    other = UserFactory()
    start = current_seq(conversation.pk)

    services.set_pinned(answer, actor=organiser, pinned=True)
    services.set_host_hidden(answer, actor=organiser, hidden=True)

    answer.refresh_from_db()
    assert (answer.is_pinned, answer.host_hidden) == (False, True)  # hiding unpins
    assert list(answers_visible_to(other, conversation)) == []
    assert list(answers_visible_to(organiser, conversation)) == [answer]
    assert answer.seq == current_seq(conversation.pk) == start + 2
    with pytest.raises(PermissionRefused):
        services.set_pinned(answer, actor=other, pinned=True)


def test_every_change_takes_the_next_number(conversation, member):
    question = first_question(conversation)
    start = current_seq(conversation.pk)
    a = services.post_answer(conversation, author=member, question=question, body=CALM)
    b = services.post_answer(conversation, author=UserFactory(), question=question, body=CALM)

    assert (a.seq, b.seq) == (start + 1, start + 2)
    assert [x.pk for x in changes_since(conversation, start + 1)] == [b.pk]


# --- reactions --------------------------------------------------------------------------


def test_a_reaction_toggles_and_counts_once_per_person(conversation, member, other_member):
    answer = AnswerFactory(conversation=conversation)

    assert services.toggle_reaction(answer, user=member, kind="with_you") is True
    assert services.toggle_reaction(answer, user=other_member, kind="with_you") is True
    assert services.toggle_reaction(answer, user=member, kind="me_too") is True
    assert services.toggle_reaction(answer, user=member, kind="with_you") is False

    answer.refresh_from_db()
    assert (answer.with_you_count, answer.me_too_count, answer.thank_you_count) == (1, 1, 0)
    assert Reaction.objects.filter(user=member).count() == 1


def test_reactions_on_held_answers_or_unknown_kinds_are_refused(conversation, member):
    held = AnswerFactory(conversation=conversation, state=AnswerState.HELD)
    with pytest.raises(DomainError):
        services.toggle_reaction(held, user=member, kind="with_you")
    with pytest.raises(DomainError):
        services.toggle_reaction(AnswerFactory(conversation=conversation), user=member, kind="boo")
    assert Reaction.objects.count() == 0


# --- transcript consent -----------------------------------------------------------------


def test_the_transcript_holds_only_answers_of_people_who_agreed(conversation, member, other_member):
    question = first_question(conversation)
    included = services.post_answer(conversation, author=member, question=question, body=CALM)
    services.post_answer(conversation, author=other_member, question=question, body="Not me.")
    services.post_answer(  # a reply by someone who said nothing: default is not included
        conversation, author=UserFactory(), question=question, body="Lovely.", parent=included
    )
    services.set_participation(
        conversation, user=member, byline="display_name", include_in_transcript=True
    )

    sections = transcript_answers(conversation)

    assert [(q.position, [a.body for a in answers]) for q, answers in sections] == [
        (0, [CALM]),
        (1, []),
        (2, []),
    ]
    assert sections[0][1][0].shown_replies == []


def test_a_reply_is_left_out_when_its_answer_is_not_included(conversation, member, other_member):
    question = first_question(conversation)
    answer = services.post_answer(conversation, author=member, question=question, body=CALM)
    services.post_answer(
        conversation, author=other_member, question=question, body="Same.", parent=answer
    )
    services.set_participation(
        conversation, user=other_member, byline="display_name", include_in_transcript=True
    )

    assert transcript_answers(conversation)[0][1] == []


def test_consent_can_be_given_until_publication_and_withdrawn_after(
    conversation, organiser, member, other_member
):
    services.set_participation(
        conversation, user=member, byline="display_name", include_in_transcript=True
    )
    services.close_conversation(conversation, actor=organiser)
    services.publish_transcript(conversation, actor=organiser)

    with pytest.raises(DomainError, match="already been published"):
        services.set_participation(
            conversation, user=other_member, byline="display_name", include_in_transcript=True
        )
    services.set_participation(
        conversation, user=member, byline="display_name", include_in_transcript=False
    )

    assert (
        list(Participant.objects.filter(include_in_transcript=True).values_list("user", flat=True))
        == []
    )


def test_the_transcript_cannot_be_published_while_open(conversation, organiser):
    with pytest.raises(DomainError):
        services.publish_transcript(conversation, actor=organiser)


def test_a_pen_name_is_used_for_answers_and_needs_a_name(conversation, member):
    with pytest.raises(DomainError, match="pen name"):
        services.set_participation(
            conversation, user=member, byline="pen_name", pen_name=" ", include_in_transcript=False
        )
    services.set_participation(
        conversation,
        user=member,
        byline="pen_name",
        pen_name="Kestrel",
        include_in_transcript=False,
    )

    answer = services.post_answer(
        conversation, author=member, question=first_question(conversation), body=CALM
    )

    assert answer.byline_name == "Kestrel"


def test_a_pen_name_cannot_pass_for_someone_else(conversation, member, organiser):
    other = UserFactory()
    services.set_participation(
        conversation, user=other, byline="pen_name", pen_name="Kestrel", include_in_transcript=False
    )

    for taken in ("organiser orla", "KESTREL"):  # the host's display name; a pen name here
        with pytest.raises(DomainError) as refused:
            services.set_participation(
                conversation,
                user=member,
                byline="pen_name",
                pen_name=taken,
                include_in_transcript=False,
            )
        assert refused.value.code == "pen_name_taken"
    # Their own display name as a pen name, and a free name, are fine.
    services.set_participation(
        conversation,
        user=member,
        byline="pen_name",
        pen_name=member.display_name,
        include_in_transcript=False,
    )
    services.set_participation(
        conversation, user=member, byline="pen_name", pen_name="Wren", include_in_transcript=False
    )


def test_the_markdown_transcript_quotes_what_participants_wrote(conversation, organiser, member):
    services.set_participation(
        conversation, user=member, byline="pen_name", pen_name="K*a_t", include_in_transcript=True
    )
    services.post_answer(
        conversation,
        author=member,
        question=first_question(conversation),
        body="Fine.\n\n## Question 9 (Self): fake\n\n**Organiser Orla:**\n\nNot really her.",
    )
    services.close_conversation(conversation, actor=organiser)
    services.publish_transcript(conversation, actor=organiser)

    text = Client().get(f"/conversations/{conversation.code}/transcript.md").content.decode()

    assert "**K\\*a\\_t:**\n\n> Fine.\n>\n> ## Question 9 (Self): fake\n>\n> **Organiser" in text
    assert "\n## Question 9" not in text and "\n**Organiser Orla:**" not in text


def test_a_visitor_cannot_answer(conversation):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionRefused):
        services.post_answer(
            conversation, author=AnonymousUser(), question=first_question(conversation), body=CALM
        )


def test_moderator_role_is_enough_to_manage_any_conversation(conversation):
    moderator = UserFactory(role=Role.MODERATOR)
    services.set_slow_mode(conversation, actor=moderator, seconds=30)
    conversation.refresh_from_db()
    assert conversation.slow_mode_seconds == 30
