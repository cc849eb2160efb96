import json

import pytest

from beacon.accounts.services import close_account
from beacon.conversations import services
from beacon.conversations.models import Answer, Conversation, Participant, Reaction
from beacon.core.personal_data import ErasureMode
from tests.factories.conversations import AnswerFactory

pytestmark = pytest.mark.django_db


def _take_part(conversation, member):
    services.set_participation(
        conversation, user=member, byline="pen_name", pen_name="Kestrel", include_in_transcript=True
    )
    answer = services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body="Tea helps."
    )
    theirs = AnswerFactory(conversation=conversation)
    services.toggle_reaction(theirs, user=member, kind="with_you")
    return answer, theirs


def test_download_includes_answers_reactions_and_consent(conversation, member_client, member):
    answer, theirs = _take_part(conversation, member)

    data = json.loads(member_client.post("/accounts/my-data/").content)["data"]

    assert [(a["code"], a["body"], a["pen_name"]) for a in data["conversation_answers"]] == [
        (answer.code, "Tea helps.", "Kestrel")
    ]
    assert data["conversation_reactions"] == [
        {"answer": theirs.code, "kind": "with_you", "at": data["conversation_reactions"][0]["at"]}
    ]
    assert data["conversation_participation"][0]["include_in_transcript"] is True


def test_closing_with_delete_removes_answers_reactions_and_consent(conversation, member):
    answer, theirs = _take_part(conversation, member)
    AnswerFactory(conversation=conversation, parent=answer, question=answer.question)

    close_account(member, mode=ErasureMode.DELETE, actor=member)

    theirs.refresh_from_db()
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert Answer.objects.filter(parent_id=answer.pk).count() == 0
    assert (Reaction.objects.count(), Participant.objects.count()) == (0, 0)
    assert theirs.with_you_count == 0


def test_closing_with_anonymise_keeps_words_without_a_name_or_a_transcript_place(
    conversation, member
):
    answer, _ = _take_part(conversation, member)

    close_account(member, mode=ErasureMode.ANONYMISE, actor=member)

    answer.refresh_from_db()
    assert (answer.author, answer.byline_name, answer.body) == (
        None,
        "A former member",
        "Tea helps.",
    )
    assert Participant.objects.count() == 0


def test_a_host_closing_their_account_leaves_the_conversation_in_place(conversation, organiser):
    close_account(organiser, mode=ErasureMode.DELETE, actor=organiser)

    conversation.refresh_from_db()
    assert conversation.host is None and Conversation.objects.count() == 1


def test_every_model_is_covered_by_the_registry():
    from beacon.conversations import models
    from beacon.core.personal_data import registry

    for model in (
        models.Conversation,
        models.Question,
        models.Participant,
        models.Answer,
        models.Reaction,
    ):
        assert registry.is_covered(model), model
