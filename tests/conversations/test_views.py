from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.conversations import services
from beacon.conversations.enums import AnswerState
from beacon.conversations.models import Answer
from beacon.initiatives.enums import MemberRole
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.conversations import AnswerFactory, ConversationFactory
from tests.factories.initiatives import MembershipFactory
from tests.test_no_email_leaks import crawl

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "host", "moderator", "admin"]
CALM = "A walk to the corner shop and back, with one song I know every word of."
CRISIS = "I want to end my life tonight. I can't see any way forward."


@pytest.fixture
def people(organiser):
    return {
        "visitor": None,
        "member": UserFactory(display_name="Member Max"),
        "host": organiser,
        "moderator": UserFactory(role=Role.MODERATOR),
        "admin": UserFactory(role=Role.ADMIN),
    }


def client_for(person) -> Client:
    return Client() if person is None else logged_in_client(person)


ONLY_MANAGERS = {"visitor": 302, "member": 403, "host": 302, "moderator": 302, "admin": 302}
ONLY_MANAGERS_GET = {"visitor": 302, "member": 403, "host": 200, "moderator": 200, "admin": 200}
ONLY_MANAGERS_INVALID = {"visitor": 302, "member": 403, "host": 400, "moderator": 400, "admin": 400}
MEMBERS_GET = {"visitor": 302, "member": 200, "host": 200, "moderator": 200, "admin": 200}

# (conversation kind, url template, method, data, {role: expected status})
MATRIX = [
    ("open", "/conversations/", "get", {}, dict.fromkeys(ROLES, 200)),
    ("open", "/conversations/schedule/", "get", {}, ONLY_MANAGERS_GET),
    (
        "open",
        "/conversations/schedule/",
        "post",
        {},
        {"visitor": 302, "member": 403, "host": 400, "moderator": 400, "admin": 400},
    ),
    ("open", "/conversations/{code}/", "get", {}, MEMBERS_GET),
    (
        "open",
        "/conversations/{code}/updates/?since=0",
        "get",
        {},
        {"visitor": 403, "member": 200, "host": 200, "moderator": 200, "admin": 200},
    ),
    (
        "open",
        "/conversations/{code}/stream/",
        "get",
        {},
        {"visitor": 403, "member": 200, "host": 200, "moderator": 200, "admin": 200},
    ),
    (
        "open",
        "/conversations/{code}/questions/0/answer/",
        "post",
        {},
        {"visitor": 302, "member": 400, "host": 400, "moderator": 400, "admin": 400},
    ),
    (
        "open",
        "/conversations/{code}/taking-part/",
        "post",
        {},
        {"visitor": 302, "member": 400, "host": 400, "moderator": 400, "admin": 400},
    ),
    ("open", "/conversations/{code}/answers/{answer}/reply/", "get", {}, MEMBERS_GET),
    (
        "open",
        "/conversations/{code}/answers/{answer}/react/",
        "post",
        {"kind": "with_you"},
        {"visitor": 302, "member": 302, "host": 302, "moderator": 302, "admin": 302},
    ),
    ("open", "/conversations/{code}/answers/{answer}/report/", "get", {}, MEMBERS_GET),
    ("open", "/conversations/{code}/answers/{answer}/pin/", "post", {"pinned": "1"}, ONLY_MANAGERS),
    (
        "open",
        "/conversations/{code}/answers/{answer}/hide/",
        "post",
        {"hidden": "0"},
        ONLY_MANAGERS,
    ),
    ("scheduled", "/conversations/{code}/edit/", "get", {}, ONLY_MANAGERS_GET),
    ("open", "/conversations/{code}/edit/", "get", {}, ONLY_MANAGERS),  # started: sent back
    ("scheduled", "/conversations/{code}/edit/", "post", {}, ONLY_MANAGERS_INVALID),
    ("open", "/conversations/{code}/slow-mode/", "post", {"seconds": "30"}, ONLY_MANAGERS),
    ("open", "/conversations/{code}/close/", "post", {}, ONLY_MANAGERS),
    ("open", "/conversations/{code}/summary/", "get", {}, ONLY_MANAGERS_GET),
    ("open", "/conversations/{code}/transcript/publish/", "post", {}, ONLY_MANAGERS),
    (
        "open",
        "/conversations/{code}/transcript.html",
        "get",
        {},
        {"visitor": 403, "member": 403, "host": 403, "moderator": 403, "admin": 403},
    ),
    (
        "closed",
        "/conversations/{code}/transcript.md",
        "get",
        {},
        {"visitor": 403, "member": 403, "host": 200, "moderator": 200, "admin": 200},
    ),
    ("published", "/conversations/{code}/transcript.md", "get", {}, dict.fromkeys(ROLES, 200)),
    ("published", "/conversations/{code}/transcript.html", "get", {}, dict.fromkeys(ROLES, 200)),
    (
        "missing",
        "/conversations/{code}/",
        "get",
        {},
        {**MEMBERS_GET, "member": 404, "host": 404, "moderator": 404, "admin": 404},
    ),
]


def make(kind, host):
    if kind == "open":
        return ConversationFactory(host=host)
    if kind == "scheduled":
        return ConversationFactory(
            host=host,
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=2),
        )
    conversation = ConversationFactory(
        host=host,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    if kind == "published":
        services.publish_transcript(conversation, actor=host)
    return conversation


@pytest.mark.parametrize(
    ("kind", "url", "method", "data", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}-{m[1]}" for m in MATRIX],
)
def test_permission_matrix(people, kind, url, method, data, expected):
    # Each role acts on a conversation of its own, so one role's allowed action (closing,
    # publishing) never changes what the next role meets. An organiser who is not the host
    # may schedule conversations but runs only their own: here they are refused like members.
    other_organiser = UserFactory()
    MembershipFactory(user=other_organiser, role=MemberRole.ORGANISER)
    people = {**people, "other organiser": other_organiser}
    expected = {**expected, "other organiser": expected["member"]}
    if "/schedule/" in url and expected["member"] == 403:
        expected["other organiser"] = expected["host"]  # may host one of their own

    results = {}
    for role, person in people.items():
        conversation = make("open" if kind == "missing" else kind, people["host"])
        answer = AnswerFactory(conversation=conversation, author=people["member"])
        Answer.objects.filter(pk=answer.pk).update(seq=1)
        conversation.__class__.objects.filter(pk=conversation.pk).update(seq=1)
        code = "nothinghere1" if kind == "missing" else conversation.code
        path = url.format(code=code, answer=answer.code)
        results[role] = getattr(client_for(person), method)(path, data).status_code

    assert results == expected


def test_an_answer_refused_before_the_start_keeps_what_was_typed(member_client):
    conversation = ConversationFactory(
        starts_at=timezone.now() + timedelta(days=1), ends_at=timezone.now() + timedelta(days=2)
    )

    response = member_client.post(
        f"/conversations/{conversation.code}/questions/0/answer/", {"q0-body": CALM}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "This conversation opens on" in html and CALM in html
    assert Answer.objects.count() == 0


def test_slow_mode_says_when_to_post_again_and_keeps_the_text(conversation, organiser, member):
    services.set_slow_mode(conversation, actor=organiser, seconds=120)
    client = logged_in_client(member)
    url = f"/conversations/{conversation.code}/questions/1/answer/"
    client.post(url, {"q1-body": CALM})

    response = client.post(url, {"q1-body": "A second thought, too soon."}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Slow mode is on: one answer every 120 seconds" in html
    assert "You can post again in" in html and "A second thought, too soon." in html
    assert Answer.objects.count() == 1


def test_suggestions_are_shown_before_posting_then_it_can_be_posted_as_is(conversation, member):
    client = logged_in_client(member)
    url = f"/conversations/{conversation.code}/questions/0/answer/"
    text = "My week was crazy, but a walk helped."

    checked = client.post(url, {"q0-body": text, "action": "post"}, HTTP_HX_REQUEST="true")
    assert "Before you post:" in checked.content.decode() and text in checked.content.decode()
    assert Answer.objects.count() == 0

    posted = client.post(url, {"q0-body": text, "action": "post_as_is"}, HTTP_HX_REQUEST="true")

    assert posted.headers["HX-Trigger"] == "conversation-changed"
    assert Answer.objects.get().body == text


def test_a_crisis_answer_shows_help_at_once_and_is_held(conversation, member, crisis_lines):
    client = logged_in_client(member)

    response = client.post(
        f"/conversations/{conversation.code}/questions/0/answer/", {"q0-body": CRISIS}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "You don&#x27;t have to go through this alone" in html
    assert "Your answer is with our moderators for now" in html
    assert Answer.objects.get().state == AnswerState.HELD


def test_the_page_always_shows_crisis_lines(conversation, member_client, crisis_lines):
    html = member_client.get(f"/conversations/{conversation.code}/").content.decode()

    assert "Support, any time" in html and "988" in html


def test_updates_answer_204_with_one_query_when_nothing_changed(
    conversation, django_assert_num_queries
):
    client = Client()  # the quiet path does not even need the session
    seq = conversation.seq

    with django_assert_num_queries(1):
        response = client.get(f"/conversations/{conversation.code}/updates/?since={seq}")

    assert (response.status_code, response.headers["X-Seq"]) == (204, str(seq))


def test_updates_send_new_answers_and_remove_hidden_ones(conversation, organiser, member):
    reader = logged_in_client(UserFactory())
    since = conversation.seq
    answer = services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body=CALM
    )

    response = reader.get(f"/conversations/{conversation.code}/updates/?since={since}")
    html = response.content.decode()
    assert response.status_code == 200 and f'id="answer-{answer.code}"' in html and CALM in html
    assert response.headers["X-Seq"] == str(answer.seq)

    seen = answer.seq
    services.set_host_hidden(answer, actor=organiser, hidden=True)
    response = reader.get(f"/conversations/{conversation.code}/updates/?since={seen}")

    assert response.content.decode() == f'<li id="answer-{answer.code}" data-gone hidden></li>'


def test_a_held_answer_reaches_moderators_live_but_not_members(conversation, member, moderator):
    since = conversation.seq
    services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body=CRISIS
    )
    url = f"/conversations/{conversation.code}/updates/?since={since}"

    for_member = logged_in_client(UserFactory()).get(url).content.decode()
    for_moderator = logged_in_client(moderator).get(url).content.decode()

    words = "I want to end my life tonight."
    assert words not in for_member and "data-gone" in for_member
    assert words in for_moderator and "Held for a moderator" in for_moderator


def test_reacting_with_htmx_returns_the_bar_with_the_count(conversation, member):
    answer = AnswerFactory(conversation=conversation)
    client = logged_in_client(member)

    response = client.post(
        f"/conversations/{conversation.code}/answers/{answer.code}/react/",
        {"kind": "thank_you"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'aria-pressed="true">Thank you <span class="count">1</span>' in html


def test_a_reply_posted_from_its_page(conversation, member):
    answer = AnswerFactory(conversation=conversation)
    client = logged_in_client(member)

    response = client.post(
        f"/conversations/{conversation.code}/answers/{answer.code}/reply/",
        {f"r-{answer.code}-body": "Same here. Thank you."},
    )

    reply = Answer.objects.get(parent=answer)
    assert response.status_code == 302 and response.url.endswith(f"#answer-{reply.code}")


def test_reporting_an_answer_puts_it_in_the_report_lane(conversation, member):
    answer = AnswerFactory(conversation=conversation)

    logged_in_client(member).post(
        f"/conversations/{conversation.code}/answers/{answer.code}/report/", {"reason": "stigma"}
    )

    from beacon.moderation.models import Case

    assert Case.objects.get().lane == "report"


def test_transcript_downloads_hold_only_consenting_answers(conversation, organiser, member):
    question = conversation.questions.first()
    services.set_participation(
        conversation, user=member, byline="pen_name", pen_name="Kestrel", include_in_transcript=True
    )
    services.post_answer(conversation, author=member, question=question, body=CALM)
    services.post_answer(conversation, author=UserFactory(), question=question, body="Private.")
    services.close_conversation(conversation, actor=organiser)
    services.save_summary(conversation, actor=organiser, summary="We talked about **walks**.")
    services.publish_transcript(conversation, actor=organiser)
    client = Client()

    md = client.get(f"/conversations/{conversation.code}/transcript.md?download=1")
    html = client.get(f"/conversations/{conversation.code}/transcript.html").content.decode()

    text = md.content.decode()
    assert md.headers["Content-Disposition"] == (
        f'attachment; filename="conversation-{conversation.code}.md"'
    )
    assert "We talked about **walks**." in text and f"**Kestrel:**\n\n> {CALM}" in text
    assert "Private." not in text and "Private." not in html
    assert "<strong>walks</strong>" in html and CALM in html


def test_scheduling_reads_local_times_in_the_hosts_zone(organiser):
    client = logged_in_client(organiser)

    response = client.post(
        "/conversations/schedule/",
        {
            "title": "Talking with family",
            "introduction": "Hello",
            "time_zone": "America/New_York",
            "starts_at": "2031-07-01T19:00",
            "ends_at": "2031-07-01T20:30",
            "slow_mode_seconds": "0",
            "question_0": "What helped?",
            "lens_0": "society",
        },
    )

    from beacon.conversations.models import Conversation

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert conversation.starts_at.isoformat() == "2031-07-01T23:00:00+00:00"
    assert [q.lens.slug for q in conversation.questions.all()] == ["society"]


def test_a_time_in_a_dst_gap_is_refused_with_a_clear_message(organiser):
    response = logged_in_client(organiser).post(
        "/conversations/schedule/",
        {
            "title": "Spring",
            "introduction": "Hello",
            "time_zone": "Europe/London",
            "starts_at": "2031-03-30T01:30",
            "ends_at": "2031-03-30T03:00",
            "slow_mode_seconds": "0",
            "question_0": "What helped?",
            "lens_0": "self",
        },
    )

    assert response.status_code == 400
    assert "That time does not exist in Europe/London" in response.content.decode()


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_no_conversation_page_shows_an_email_address(role, conversation, organiser):
    answer = AnswerFactory(conversation=conversation)
    AnswerFactory(conversation=conversation, parent=answer, question=answer.question)
    viewer = UserFactory(role=role) if role else None
    client = logged_in_client(viewer) if viewer else Client()

    pages = crawl(client, ["/conversations/", f"/conversations/{conversation.code}/"])

    addresses = [organiser.email, answer.author.email] + ([viewer.email] if viewer else [])
    leaks = [(p, a) for p, body in pages.items() for a in addresses if a in body]
    assert leaks == [] and len(pages) >= 2


def test_readers_with_the_same_cursor_share_one_read_and_rendering(
    conversation, member, django_assert_num_queries
):
    since = conversation.seq
    answer = services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body=CALM
    )
    url = f"/conversations/{conversation.code}/updates/?since={since}"
    first, second = logged_in_client(UserFactory()), logged_in_client(UserFactory())
    one = first.get(url)

    # The second reader: the cursor row, session, account, conversation; no answer read.
    with django_assert_num_queries(4):
        two = second.get(url)

    marker = f'id="answer-{answer.code}"'.encode()
    assert marker in one.content and marker in two.content
    assert one.headers["X-Seq"] == two.headers["X-Seq"] == str(answer.seq)
    # Each reader's forms carry their own CSRF token, never the shared mark.
    assert b"@@csrf@@" not in one.content and b"@@csrf@@" not in two.content


def test_the_author_sees_their_own_held_answer_live_and_others_do_not(conversation, member):
    since = conversation.seq
    held = services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body=CRISIS
    )
    calm = services.post_answer(
        conversation, author=UserFactory(), question=conversation.questions.last(), body=CALM
    )
    url = f"/conversations/{conversation.code}/updates/?since={since}"

    for_other = logged_in_client(UserFactory()).get(url).content.decode()
    for_author = logged_in_client(member).get(url).content.decode()

    assert "end my life" not in for_other and f'id="answer-{held.code}" data-gone' in for_other
    assert "end my life" in for_author and "only you and moderators can see it" in for_author
    assert CALM in for_other and CALM in for_author
    # No report link on your own answer; there is one on someone else's.
    own = for_author.split(f'id="answer-{held.code}"')[1].split("</li>")[0]
    assert "Report" not in own
    assert f"/answers/{calm.code}/report/" in for_author
