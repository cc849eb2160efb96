"""Crisis lines move into the directory: every `CrisisLine` becomes a directory `Service`
(with phones, schedules, languages and attributes, written by `help.sync`) and a
`CrisisListing`; then the old tables go.

Every line moves, not only local ones, so the help page is never empty between `migrate`
and the next `load_crisis_lines`; lines added or edited on this site keep their origin and
`locally_modified`, so the loader leaves them alone afterwards. Audiences the Beacon
taxonomy does not know are kept in the service's eligibility text. Going backwards leaves
empty old tables (run `load_crisis_lines` of the older release to refill them).
"""

import json

import django.db.models.deletion
from django.db import migrations, models

from beacon.directory.taxonomy import DATA_FILE, TAXONOMY_URI, taxonomy_id, term_id
from beacon.help.sync import (
    AUDIENCE_ALIASES,
    model_namespace,
    record_for_line,
    service_id,
    write_record,
)

CHANNEL_FIELDS = ("kind", "value", "display", "url", "keyword", "hours", "open_24_7", "verified")


def _load_taxonomy(apps):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    known = set()
    for tax in data["taxonomies"]:
        Taxonomy.objects.update_or_create(
            id=taxonomy_id(tax["code"]),
            defaults={
                "name": tax["name"],
                "description": tax["description"],
                "uri": TAXONOMY_URI + tax["code"],
                "version": str(data["schema_version"]),
            },
        )
        for code, name, description in tax["terms"]:
            TaxonomyTerm.objects.update_or_create(
                id=term_id(tax["code"], code),
                defaults={
                    "taxonomy_id": taxonomy_id(tax["code"]),
                    "code": code,
                    "name": name,
                    "description": description,
                    "language": "en",
                },
            )
            known.add((tax["code"], code))
    return known


def move_lines_into_directory(apps, schema_editor):
    CrisisLine = apps.get_model("help", "CrisisLine")
    CrisisListing = apps.get_model("help", "CrisisListing")
    lines = list(CrisisLine.objects.select_related("country").prefetch_related("channels"))
    if not lines:
        return
    known = _load_taxonomy(apps)
    directory = model_namespace(apps.get_model)
    for line in lines:
        audiences = [AUDIENCE_ALIASES.get(a, a) for a in line.audiences or []]
        unknown = [a for a in audiences if ("audience", a) not in known]
        raw = {
            "name": line.name,
            "description": line.description,
            "verified_on": line.verified_on.isoformat() if line.verified_on else None,
            "languages": line.languages or [],
            "audiences": [a for a in audiences if a not in unknown],
            "free": line.free,
            "channels": [
                {f: getattr(ch, f) for f in CHANNEL_FIELDS}
                for ch in sorted(line.channels.all(), key=lambda ch: (ch.position, ch.id))
            ],
        }
        record, unverified = record_for_line(raw, line.country.code)
        service = write_record(directory, line.slug, record)
        if unknown:
            service.eligibility_description = "For: " + ", ".join(unknown)
            service.save(update_fields=["eligibility_description"])
        CrisisListing.objects.create(
            service_id=service_id(line.slug),
            country_id=line.country_id,
            slug=line.slug,
            status=line.status,
            source=line.source,
            unverified_contacts=unverified,
            position=line.position,
            is_hidden=line.is_hidden,
            origin=line.origin,
            locally_modified=line.locally_modified,
            data_version=line.data_version,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_index"),
        ("help", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CrisisListing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "slug",
                    models.SlugField(
                        help_text="The line's key in Beacon's data file", max_length=80, unique=True
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("confirmed", "Verified"), ("unverified", "Not yet verified")],
                        default="unverified",
                        max_length=12,
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True,
                        help_text="Where the line was verified (shown on the page)",
                        max_length=300,
                    ),
                ),
                (
                    "unverified_contacts",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text='Ways of contact not verified yet, as "call:NUMBER", "text:NUMBER", "whatsapp:NUMBER", "chat", "email" or "web".',
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "is_hidden",
                    models.BooleanField(default=False, help_text="Hidden lines are not shown."),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("shipped", "From Beacon's data file"),
                            ("local", "Added on this site"),
                        ],
                        default="local",
                        max_length=10,
                    ),
                ),
                (
                    "locally_modified",
                    models.BooleanField(
                        default=False,
                        help_text="Edited here: updates of the data file will not overwrite it.",
                    ),
                ),
                ("data_version", models.CharField(blank=True, max_length=20)),
                (
                    "country",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="listings",
                        to="help.helpcountry",
                    ),
                ),
                (
                    "service",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="crisis_listing",
                        to="directory.service",
                    ),
                ),
            ],
            options={
                "verbose_name": "crisis line",
                "ordering": ["country__name", "position", "slug"],
            },
        ),
        migrations.RunPython(move_lines_into_directory, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="CrisisChannel",
        ),
        migrations.RemoveField(
            model_name="crisisline",
            name="country",
        ),
        migrations.DeleteModel(
            name="CrisisLine",
        ),
    ]
