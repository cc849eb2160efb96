import pytest
from django.test import Client

from beacon.accounts.enums import Role
from beacon.moderation.models import Case
from beacon.stories.enums import StoryState
from beacon.stories.models import Story
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.stories import BODY, CommentFactory, StoryFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "author", "moderator", "admin"]


@pytest.fixture
def people(db):
    author = UserFactory(display_name="Author Ari")
    return {
        "visitor": None,
        "member": UserFactory(),
        "author": author,
        "moderator": UserFactory(role=Role.MODERATOR),
        "admin": UserFactory(role=Role.ADMIN),
    }


def client_for(people, role) -> Client:
    return Client() if people[role] is None else logged_in_client(people[role])


# (url template, method, {role: expected status}); {code} is the author's story.
MATRIX = [
    ("/stories/", "get", dict.fromkeys(ROLES, 200)),
    ("/stories/heroes/", "get", dict.fromkeys(ROLES, 200)),
    ("/stories/feed.atom", "get", dict.fromkeys(ROLES, 200)),
    ("/stories/reading-preferences/", "get", dict.fromkeys(ROLES, 200)),
    (
        "/stories/{pending}/",
        "get",
        {"visitor": 404, "member": 404, "author": 200, "moderator": 200, "admin": 200},
    ),
    ("/stories/{code}/", "get", dict.fromkeys(ROLES, 200)),
    (
        "/stories/write/",
        "get",
        {"visitor": 302, "member": 200, "author": 200, "moderator": 200, "admin": 200},
    ),
    (
        "/stories/mine/",
        "get",
        {"visitor": 302, "member": 200, "author": 200, "moderator": 200, "admin": 200},
    ),
    (
        "/stories/{code}/edit/",
        "get",
        {"visitor": 302, "member": 404, "author": 200, "moderator": 404, "admin": 404},
    ),
    (
        "/stories/{code}/byline/",
        "get",
        {"visitor": 302, "member": 404, "author": 200, "moderator": 404, "admin": 404},
    ),
    (
        "/stories/{code}/delete/",
        "get",
        {"visitor": 302, "member": 404, "author": 200, "moderator": 404, "admin": 404},
    ),
    (
        "/stories/{code}/withdraw/",
        "post",
        {"visitor": 302, "member": 404, "author": 302, "moderator": 404, "admin": 404},
    ),
    (
        "/stories/{code}/report/",
        "get",
        {"visitor": 302, "member": 200, "author": 200, "moderator": 200, "admin": 200},
    ),
    (
        "/stories/{code}/react/",
        "post",
        {"visitor": 302, "member": 302, "author": 302, "moderator": 302, "admin": 302},
    ),
    (
        "/stories/{code}/story.md",
        "get",
        {"visitor": 302, "member": 404, "author": 200, "moderator": 404, "admin": 404},
    ),
    (
        "/stories/{code}/comment/",
        "post",
        {"visitor": 302, "member": 400, "author": 400, "moderator": 400, "admin": 400},
    ),
    ("/stories/write/assistant/", "post", dict.fromkeys(ROLES, 200)),
    ("/stories/write/autosave/", "post", dict.fromkeys(ROLES, 200)),
    ("/stories/reading-preferences/", "post", dict.fromkeys(ROLES, 302)),
    ("/stories/consent/bad-token/", "get", dict.fromkeys(ROLES, 400)),
    (
        "/moderation/duty/",
        "post",
        {"visitor": 403, "member": 403, "author": 403, "moderator": 302, "admin": 302},
    ),
    (
        "/moderation/",
        "get",
        {"visitor": 403, "member": 403, "author": 403, "moderator": 200, "admin": 200},
    ),
    (
        "/moderation/case/{case}/",
        "get",
        {"visitor": 403, "member": 403, "author": 403, "moderator": 200, "admin": 200},
    ),
]


@pytest.mark.parametrize(("url", "method", "expected"), MATRIX, ids=[m[0] + m[1] for m in MATRIX])
def test_permission_matrix(people, url, method, expected):
    story = StoryFactory(author=people["author"])
    pending = StoryFactory(author=people["author"], state=StoryState.PENDING)
    from beacon.moderation.services import enqueue_for_review

    case = enqueue_for_review(pending, assessment={"risk": "none", "signals": []})
    path = url.format(code=story.code, pending=pending.code, case=case.code)
    results = {}
    for role in ROLES:
        client = client_for(people, role)
        response = getattr(client, method)(path, {"kind": "hope"} if "react" in path else {})
        results[role] = response.status_code

    assert results == expected


def test_nothing_typed_is_lost_when_submission_fails(member_client, member):
    text = "A half-finished thought about the winter I stopped answering the phone."

    response = member_client.post(
        "/stories/write/", {"title": "", "body": text, "action": "submit", "byline": "display_name"}
    )

    html = response.content.decode()
    story = Story.objects.get(author=member)
    assert response.status_code == 200 and text in html
    assert story.body == text and story.state == StoryState.DRAFT
    assert "Give your story a title." in html


def test_an_invalid_field_is_shown_again_as_typed(member_client, member):
    response = member_client.post(
        "/stories/write/?kind=tribute",
        {
            "kind": "tribute",
            "title": "For my aunt",
            "body": BODY,
            "hero_email": "not-an-address",
            "action": "save",
        },
    )

    html = response.content.decode()
    assert 'value="not-an-address"' in html and "Enter a valid email address" in html
    assert Story.objects.get(author=member).body == BODY


def test_text_posted_after_the_session_expired_is_kept_through_sign_in(member):
    client = Client()
    client.post(
        "/stories/write/",
        {
            "title": "Kept",
            "body": "Words written before the session ran out.",
            "themes": ["everyday-life"],
        },
    )
    response = client.post(
        "/accounts/login/?next=/stories/write/",
        {"username": member.email, "password": "correct horse battery", "next": "/stories/write/"},
        follow=True,
    )

    html = response.content.decode()
    assert "Words written before the session ran out." in html
    assert 'value="Kept"' in html


def test_autosave_creates_then_updates_one_draft(member_client, member):
    first = member_client.post(
        "/stories/write/autosave/", {"title": "Morning", "body": "First words"}
    )
    code = Story.objects.get(author=member).code
    member_client.post(
        "/stories/write/autosave/",
        {"title": "Morning", "body": "First words, and more", "story_code": code},
    )

    assert f'value="{code}"' in first.content.decode()
    assert Story.objects.filter(author=member).count() == 1
    assert Story.objects.get(code=code).body == "First words, and more"


def test_autosave_signed_out_says_so_and_saves_nothing(client):
    response = client.post("/stories/write/autosave/", {"title": "x", "body": "y"})

    assert b"you are signed out" in response.content and Story.objects.count() == 0


def test_check_my_story_shows_help_for_a_crisis_sentence_without_javascript(
    member_client, crisis_lines
):
    response = member_client.post(
        "/stories/write/",
        {
            "title": "Tonight",
            "body": "I want to end my life tonight. I have a plan.",
            "action": "check",
        },
    )

    html = response.content.decode()
    assert "Talk to someone now" in html and "are you safe right now?" in html
    assert 'href="tel:' in html


def test_the_live_assistant_flags_stigmatising_words_and_personal_data(member_client):
    response = member_client.post(
        "/stories/write/assistant/",
        {
            "title": "",
            "body": "My neighbour said I was a psycho. Call me on 020 7946 0018.",
            "byline": "anonymous",
        },
    )

    html = response.content.decode()
    assert "Words that can sting" in html and "psycho" in html
    assert "Things that could identify you" in html


def test_feed_filters_and_hides_topics_the_reader_chose(client):
    StoryFactory(title="About hope", themes=["hope-and-resilience"])
    StoryFactory(title="About loss", themes=["vulnerability"], warnings=["grief-and-loss"])
    StoryFactory(title="Draft one", state=StoryState.DRAFT)

    everything = client.get("/stories/").content.decode()
    by_theme = client.get("/stories/?theme=vulnerability").content.decode()
    client.post("/stories/reading-preferences/", {"cw-grief-and-loss": "hide"})
    hidden = client.get("/stories/").content.decode()

    assert "About hope" in everything and "About loss" in everything
    assert "Draft one" not in everything
    assert "About loss" in by_theme and "About hope" not in by_theme
    assert "About loss" not in hidden and "hiding 1 topic" in hidden


def test_blurred_topics_sit_behind_click_to_reveal(member_client, member):
    story = StoryFactory(warnings=["self-harm"])
    member.hidden_warnings = {"self-harm": "blur"}
    member.save()

    html = member_client.get(f"/stories/{story.code}/").content.decode()

    assert '<details class="veil">' in html
    assert "support is available now" in html  # the help link beside self-harm stories


def test_story_page_has_open_graph_and_schema_org_metadata(client):
    story = StoryFactory(title="The bench outside the pharmacy")

    html = client.get(f"/stories/{story.code}/").content.decode()

    assert '<meta property="og:title" content="The bench outside the pharmacy">' in html
    assert 'itemtype="https://schema.org/CreativeWork"' in html


def test_atom_feed_lists_public_stories_only(client):
    StoryFactory(title="Public words")
    StoryFactory(title="Pending words", state=StoryState.PENDING)

    xml = client.get("/stories/feed.atom").content.decode()

    assert "Public words" in xml and "Pending words" not in xml


def test_a_crisis_comment_shows_the_writer_help_at_once(member_client, crisis_lines):
    story = StoryFactory()

    response = member_client.post(
        f"/stories/{story.code}/comment/", {"body": "I can't go on, I want to end my life tonight."}
    )

    html = response.content.decode()
    assert "Your comment is with our moderators" in html and 'href="tel:' in html
    assert Case.objects.get().lane == "crisis"


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_does_not_grow_with_stories(client, django_assert_num_queries, count):
    for _ in range(count):
        StoryFactory(warnings=["grief-and-loss"], themes=["advocacy", "everyday-life"])

    with django_assert_num_queries(4):
        client.get("/stories/")


@pytest.mark.parametrize("count", [1, 5])
def test_story_page_query_count_does_not_grow_with_comments(
    client, django_assert_num_queries, count
):
    story = StoryFactory()
    for _ in range(count):
        CommentFactory(story=story)

    with django_assert_num_queries(6):
        client.get(f"/stories/{story.code}/")
