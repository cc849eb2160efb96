"""manage.py seed_stories: a large synthetic set of published stories and comments,
for benchmarks (bench/stories/). Written in bulk; not for a real site."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from beacon.accounts.models import User
from beacon.stories.enums import CommentState, StoryKind, StoryState, Theme
from beacon.stories.models import Comment, Story, StoryTheme, StoryWarning

SENTENCES = [
    "Some mornings the kettle was the only thing I managed.",
    "My sister sat with me without trying to fix anything.",
    "The group met on Tuesdays in the library's back room.",
    "I learned that asking for help is a skill, not a weakness.",
    "Walking helped more than I expected, even in the rain.",
    "There were setbacks, and I stopped counting them as failures.",
    "My doctor listened, and we changed the plan together.",
    "I started writing three small things down every night.",
]
WARNINGS = ["grief-and-loss", "substance-use", "self-harm", "eating-disorders"]


class Command(BaseCommand):
    help = "Create N published synthetic stories with M comments in total (for benchmarks)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--stories", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data, not secrets
        n_stories, n_comments = options["stories"], options["comments"]
        authors = [
            User.objects.get_or_create(
                email=f"bench{i}@bench.beacon.example",
                defaults={"display_name": f"Bench writer {i}", "email_verified_at": timezone.now()},
            )[0]
            for i in range(50)
        ]
        now = timezone.now()
        with transaction.atomic():
            stories = Story.objects.bulk_create(
                Story(
                    author=rng.choice(authors),
                    kind=StoryKind.TRIBUTE if i % 7 == 0 else StoryKind.RECOVERY,
                    hero_category="caregiver" if i % 7 == 0 else "",
                    hero_name="A carer" if i % 7 == 0 else "",
                    title=f"Synthetic story {i}",
                    body="\n\n".join(
                        " ".join(rng.choices(SENTENCES, k=5)) for _ in range(rng.randint(2, 6))
                    ),
                    state=StoryState.PUBLISHED,
                    published_at=now - timezone.timedelta(minutes=i),
                )
                for i in range(n_stories)
            )
            themes = list(Theme.values)
            StoryTheme.objects.bulk_create(
                StoryTheme(story=s, theme=t) for s in stories for t in rng.sample(themes, 2)
            )
            StoryWarning.objects.bulk_create(
                StoryWarning(story=s, slug=rng.choice(WARNINGS))
                for s in stories
                if rng.random() < 0.3
            )
            # Comments follow a long tail: a few stories draw many.
            weights = [1 / (rank + 1) for rank in range(len(stories))]
            targets = rng.choices(stories, weights=weights, k=n_comments)
            Comment.objects.bulk_create(
                (
                    Comment(
                        story=s,
                        author=rng.choice(authors),
                        body=rng.choice(SENTENCES),
                        state=CommentState.PUBLISHED,
                    )
                    for s in targets
                ),
                batch_size=5000,
            )
            counts: dict[int, int] = {}
            for s in targets:
                counts[s.pk] = counts.get(s.pk, 0) + 1
            for pk, count in counts.items():
                Story.objects.filter(pk=pk).update(comment_count=count)
        self.stdout.write(f"{n_stories} stories and {n_comments} comments created")
