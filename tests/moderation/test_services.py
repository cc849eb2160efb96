import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from beacon.core.errors import DomainError, PermissionRefused
from beacon.core.models import AuditEntry
from beacon.moderation import services
from beacon.moderation.enums import Action, Lane
from beacon.moderation.models import Case, Report
from beacon.moderation.queries import open_queue
from beacon.stories.enums import StoryState
from tests.factories.accounts import UserFactory
from tests.factories.stories import CommentFactory, StoryFactory

pytestmark = pytest.mark.django_db


def pending_story(**kw):
    story = StoryFactory(state=StoryState.PENDING, published_at=None, **kw)
    services.enqueue_for_review(story, assessment={"risk": "none", "signals": []})
    return story


def test_queue_orders_crisis_then_reports_then_reviews_oldest_first(member):
    review_old = pending_story()
    crisis = StoryFactory(state=StoryState.PENDING)
    services.enqueue_for_review(crisis, assessment={"risk": "crisis", "signals": []})
    reported = StoryFactory()
    services.report_item(reported, reporter=member, reason="stigma")
    review_new = pending_story()
    Case.objects.filter(object_id=str(review_old.pk)).update(
        waiting_since=timezone.now() - timedelta(hours=2)
    )

    order = [c.target for c in open_queue()]

    assert order == [crisis, reported, review_old, review_new]


def test_one_open_case_per_item_even_when_enqueued_twice():
    story = pending_story()

    services.enqueue_for_review(story, assessment={"risk": "crisis", "signals": []})

    case = Case.objects.get()
    assert (case.lane, case.risk) == (Lane.CRISIS, "crisis")


def test_approving_publishes_closes_the_case_audits_and_mails_the_author(
    moderator, django_capture_on_commit_callbacks
):
    story = pending_story()
    case = Case.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide(case, action=Action.APPROVE, actor=moderator)

    story.refresh_from_db()
    case.refresh_from_db()
    assert (story.state, case.state) == (StoryState.PUBLISHED, "closed")
    assert AuditEntry.objects.filter(action="moderation.case.approve", actor=moderator).exists()
    assert mail.outbox[-1].to == [story.author.email]
    assert "now published" in mail.outbox[-1].body


@pytest.mark.parametrize("action", [Action.REQUEST_CHANGES, Action.DECLINE])
def test_requesting_changes_or_declining_needs_a_message_shown_to_the_author(moderator, action):
    story = pending_story()
    case = Case.objects.get()

    with pytest.raises(DomainError, match="write a message"):
        services.decide(case, action=action, actor=moderator, message=" ")
    services.decide(case, action=action, actor=moderator, message="Please remove the surname.")

    story.refresh_from_db()
    assert story.moderator_message == "Please remove the surname."


def test_only_moderators_decide_and_only_once(member, moderator):
    pending_story()
    case = Case.objects.get()

    with pytest.raises(PermissionRefused):
        services.decide(case, action=Action.APPROVE, actor=member)
    services.decide(case, action=Action.APPROVE, actor=moderator)
    with pytest.raises(DomainError, match="already decided"):
        services.decide(case, action=Action.DECLINE, actor=moderator, message="x")


def test_an_action_that_does_not_fit_the_item_is_refused(moderator):
    pending_story()

    with pytest.raises(DomainError, match="does not fit"):
        services.decide(Case.objects.get(), action=Action.REMOVE, actor=moderator, message="x")


def test_enough_reports_hide_a_story_until_a_moderator_keeps_it(moderator, settings):
    settings.BEACON_REPORTS_TO_HIDE = 2
    story = StoryFactory()
    services.report_item(story, reporter=UserFactory(), reason="spam")
    story.refresh_from_db()
    assert story.is_public

    services.report_item(story, reporter=UserFactory(), reason="stigma")

    story.refresh_from_db()
    assert story.is_hidden and not story.is_public
    services.decide(Case.objects.get(), action=Action.KEEP, actor=moderator)
    story.refresh_from_db()
    assert story.is_public and story.state == StoryState.PUBLISHED


def test_a_person_reports_an_item_once(member):
    story = StoryFactory()
    services.report_item(story, reporter=member, reason="spam")

    with pytest.raises(DomainError, match="already reported"):
        services.report_item(story, reporter=member, reason="other")

    assert Report.objects.count() == 1 and Case.objects.get().report_count == 1


def test_removing_a_reported_comment_updates_the_story_count(moderator, member):
    comment = CommentFactory()
    comment.story.comment_count = 1
    comment.story.save()
    services.report_item(comment, reporter=member, reason="harassment")

    services.decide(
        Case.objects.get(),
        action=Action.REMOVE,
        actor=moderator,
        message="This broke the community guidelines.",
    )

    comment.refresh_from_db()
    comment.story.refresh_from_db()
    assert (comment.state, comment.story.comment_count) == ("removed", 0)


def test_duty_is_for_moderators(member, moderator):
    with pytest.raises(PermissionRefused):
        services.set_on_duty(member, on_duty=True)
    services.set_on_duty(moderator, on_duty=True)
    moderator.refresh_from_db()
    assert moderator.on_duty


def test_crisis_alert_posts_a_minimal_payload_to_the_webhook(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.BEACON_MODERATION_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    story = StoryFactory(state=StoryState.PENDING, title="Private words")
    case = services.enqueue_for_review(story, assessment={"risk": "crisis", "signals": []})

    services.alert_on_duty(case)
    thread.join(timeout=5)
    server.server_close()

    assert received == [
        {
            "event": "crisis_flag",
            "case": case.code,
            "lane": "crisis",
            "url": f"http://127.0.0.1:8000/moderation/case/{case.code}/",
        }
    ]
