import pytest
from django.core.management import call_command

from beacon.accounts.enums import Role
from beacon.accounts.models import User
from beacon.help.models import CrisisListing

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_people_of_each_role_and_crisis_lines_once():
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), CrisisListing.objects.count())

    call_command("seed_demo", verbosity=0)

    assert (User.objects.count(), CrisisListing.objects.count()) == counts
    assert set(User.objects.values_list("role", flat=True)) == {
        Role.MEMBER,
        Role.CURATOR,
        Role.MODERATOR,
        Role.ADMIN,
    }
    assert all(u.is_email_verified for u in User.objects.all())
    assert counts[1] >= 30


def test_seed_demo_writes_a_believable_community_of_stories():
    from beacon.moderation.models import Case
    from beacon.stories.queries import public_stories

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    public = public_stories()
    themes = set(public.values_list("themes__theme", flat=True))
    assert public.filter(kind="recovery").count() >= 12
    assert public.filter(kind="tribute").count() >= 6
    assert len(set(public.filter(kind="tribute").values_list("hero_category", flat=True))) == 6
    assert len(themes) == 9
    assert sorted(Case.objects.values_list("lane", flat=True)) == ["crisis", "review"]
