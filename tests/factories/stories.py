import factory
from django.utils import timezone

from beacon.stories.enums import Byline, CommentState, StoryKind, StoryState
from beacon.stories.models import Comment, Story, StoryTheme, StoryWarning
from tests.factories.accounts import UserFactory

BODY = (
    "Last spring I started walking to the river every morning. At first it was only "
    "ten minutes, but it gave the day a shape, and slowly the rest followed."
)


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    kind = StoryKind.RECOVERY
    title = factory.Sequence(lambda n: f"Walking to the river, part {n}")
    body = BODY
    byline = Byline.DISPLAY_NAME
    state = StoryState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create:
            for theme in extracted if extracted is not None else ["hope-and-resilience"]:
                StoryTheme.objects.create(story=obj, theme=theme)

    @factory.post_generation
    def warnings(obj, create, extracted, **kwargs):
        if create:
            for slug in extracted or []:
                StoryWarning.objects.create(story=obj, slug=slug)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    story = factory.SubFactory(StoryFactory)
    author = factory.SubFactory(UserFactory)
    body = "Thank you for writing this. It helped me today."
    state = CommentState.PUBLISHED
