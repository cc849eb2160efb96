"""Demo campaign: toolkit snippets and an image, a pledge with signatures, an organisations'
pledge with a commitment and a check-in, and a call for stories answered by one story."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from beacon.accounts.models import User
from beacon.campaigns import services
from beacon.campaigns.enums import CampaignState, CommitmentState, PledgeKind
from beacon.campaigns.models import (
    Campaign,
    CheckIn,
    OrganisationCommitment,
    Pledge,
    Signature,
)
from beacon.core.demo import register_demo
from beacon.stories.enums import StoryState
from beacon.stories.services import save_draft, set_story_state
from beacon_safety import assess as assess_text

DEMO_SVG = Path(__file__).resolve().parent / "data" / "demo-share.svg"
TITLE = "It's OK to talk"
DESCRIPTION = """For one month we ask everyone to start one honest conversation about
mental health: with a friend, a colleague, a neighbour.

Most people who struggle say the hardest part was the silence around them. A simple
*“How are you really doing?”* — and the patience to listen to the answer — can change that.

**How to take part**

1. Sign the pledge below.
2. Share a post or the image from the toolkit.
3. If you have a story about a conversation that helped, tell it.
"""
STORY_TITLE = "The question at the bus stop"
STORY_BODY = (
    "Every morning for a year I stood at the same bus stop as a woman from my building. "
    "One grey Tuesday she asked me how I was really doing, and for once I told the truth. "
    "She did not try to fix anything. She just listened, and the next morning she asked "
    "again. That was the week I called my doctor."
)
GUESTS = [  # (name typed, show it?)
    ("Sam", True),
    ("Lee", False),
    ("Rosa", True),
    ("", False),
    ("Tomasz", True),
]


@register_demo("campaigns", order=70)
def seed() -> str:
    if Campaign.objects.filter(title=TITLE).exists():
        return f"{Campaign.objects.count()} campaigns (0 new)"
    moderator = User.objects.filter(email="moderator@demo.beacon.example").first()
    members = [
        u
        for u in (
            User.objects.filter(email="member@demo.beacon.example").first(),
            User.objects.filter(email="member2@demo.beacon.example").first(),
        )
        if u is not None
    ]
    if moderator is None:
        return "campaigns skipped (no demo moderator)"
    with transaction.atomic():
        _seed(moderator, members)
    return f"{Campaign.objects.count()} campaigns (1 new)"


def _seed(moderator: User, members: list[User]) -> None:
    today = timezone.localdate()
    campaign = services.save_campaign(
        None,
        actor=moderator,
        title=TITLE,
        goal="One million honest conversations about mental health this month.",
        description=DESCRIPTION,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=20),
    )
    services.add_toolkit_snippet(
        campaign,
        actor=moderator,
        title="A post for social media",
        text="I signed the “It's OK to talk” pledge: this month I'll ask someone how they are "
        "really doing, and listen to the answer. Will you join me?",
    )
    services.add_toolkit_snippet(
        campaign,
        actor=moderator,
        title="A message to a friend",
        text="Hey, I've been thinking about you. How are you really doing? No need to answer "
        "now — I'm around whenever you want to talk.",
    )
    services.add_toolkit_image(
        campaign,
        actor=moderator,
        upload=SimpleUploadedFile(
            "its-ok-to-talk.svg", DEMO_SVG.read_bytes(), content_type="image/svg+xml"
        ),
        alt_text="A lighthouse symbol beside the words: It's OK to talk. Ask a friend how "
        "they are really doing. Then listen.",
        caption="Share it with the post above, or on its own.",
    )
    services.set_campaign_state(campaign, CampaignState.PUBLISHED, actor=moderator)
    pledge = services.save_pledge(
        campaign,
        None,
        actor=moderator,
        title="I will start one honest conversation",
        statement="This month I will ask someone how they are really doing, and listen to "
        "the answer without trying to fix it.",
        goal=250,
        followup_7_action="Think of one person you haven't heard from in a while, and send "
        "them a message today. The toolkit has one ready to copy.",
        followup_30_action="Ask the person you talked to how they are doing now. Checking in "
        "a second time tells them you meant it.",
    )
    for member in members:
        services.sign_pledge(pledge, user=member, show_name=member == members[0])
    _guest_signatures(pledge)
    _organisations(campaign, moderator, members)
    _call_for_stories(campaign, moderator, members)


def _guest_signatures(pledge: Pledge) -> None:
    now = timezone.now()
    for i, (name, show) in enumerate(GUESTS):
        Signature.objects.create(
            pledge=pledge,
            email=f"signer{i}@demo.beacon.example",
            name=name,
            show_name=show,
            confirmation_sent_at=now - timedelta(days=i + 1),
            confirmed_at=now - timedelta(days=i),
        )
    # Demo rows are inserted directly (no confirmation mails); the counter follows the rows.
    Pledge.objects.filter(pk=pledge.pk).update(
        signature_count=pledge.signatures.filter(confirmed_at__isnull=False).count()
    )


def _organisations(campaign: Campaign, moderator: User, members: list[User]) -> None:
    pledge = services.save_pledge(
        campaign,
        None,
        actor=moderator,
        kind=PledgeKind.ORGANISATIONAL,
        title="Our workplace makes time to talk",
        statement="Our organisation will give every team time and training to talk about "
        "mental health, and will report on what we did.",
        goal=20,
    )
    if not members:
        return
    plan = (
        "- **By next month:** a quiet room and a monthly *talk hour* for staff.\n"
        "- **Within three months:** every team lead takes a mental health first aid course.\n"
        "- **Every quarter:** we post what we did here."
    )
    # Published as if a moderator had approved it long ago (no case in the queue), like the
    # stories demo; new commitments go through review.
    reading = assess_text(plan, kind="generic").to_dict()
    commitment = OrganisationCommitment.objects.create(
        pledge=pledge,
        organisation_name="Riverside Community Library",
        website="https://library.example.org",
        representative=members[0],
        action_plan=plan,
        state=CommitmentState.PUBLISHED,
        risk=reading["risk"],
        assessment=reading,
    )
    CheckIn.objects.create(
        commitment=commitment,
        on=timezone.localdate() - timedelta(days=3),
        progress="The quiet room opened on Monday. Eleven of us came to the first talk hour.",
    )


def _call_for_stories(campaign: Campaign, moderator: User, members: list[User]) -> None:
    call = services.save_call(
        campaign,
        None,
        actor=moderator,
        prompt="Tell us about a conversation that helped",
        guidance="Who asked, what did they say, and what changed? Leave out anything that "
        "could identify someone who hasn't agreed.",
    )
    author = members[-1] if members else moderator
    story = save_draft(
        None,
        author=author,
        title=STORY_TITLE,
        body=STORY_BODY,
        themes=["support-and-community", "hope-and-resilience"],
        prompt_code=call.code,
    )
    # As if a moderator had approved it: published through the state machine, audited.
    set_story_state(story, StoryState.PUBLISHED, actor=moderator)
