"""Create the default lenses (Self / Society / System); operators edit them in the admin."""

from django.db import migrations

DEFAULT_LENSES = [
    ("self", "Self", "My own experience: feelings, habits, what helps me."),
    ("society", "Society", "The people around us: family, friends, work, community, media."),
    ("system", "System", "Services, policy and institutions: what they do and should do."),
]


def create_lenses(apps, schema_editor):
    Lens = apps.get_model("conversations", "Lens")
    for position, (slug, name, description) in enumerate(DEFAULT_LENSES):
        Lens.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def remove_unused_lenses(apps, schema_editor):
    Lens = apps.get_model("conversations", "Lens")
    Lens.objects.filter(slug__in=[s for s, _, _ in DEFAULT_LENSES], questions=None).delete()


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(create_lenses, remove_unused_lenses)]
