# The search index stops storing "24/7" (it went stale: searches now decide it per hours
# pattern, like "open now") and gains the regions a national or online row serves.
#
# On SQLite adding a column rebuilds the table, which drops the triggers that keep the
# FTS5 word index of migration 0007: they are created again here and the word index is
# rebuilt (searches would still be right without them, but would scan).

import importlib

from django.db import migrations, models

_words = importlib.import_module("beacon.directory.migrations.0007_api_list_indexes")


def restore_sqlite_word_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'directory_serviceindex_fts'"
        )
        if not cursor.fetchone()[0]:
            return  # no FTS5 here: searched by scanning
    _words._run(_words.SQLITE_DOWN, schema_editor)
    _words._run(_words.SQLITE_UP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_api_list_indexes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="serviceindex",
            name="always_open",
        ),
        migrations.AddField(
            model_name="serviceindex",
            name="regions",
            field=models.CharField(
                blank=True,
                help_text='National/online rows: the regions served (" OR WA "), "" for the '
                "whole country",
                max_length=400,
            ),
        ),
        migrations.RunPython(restore_sqlite_word_index, migrations.RunPython.noop, elidable=False),
    ]
