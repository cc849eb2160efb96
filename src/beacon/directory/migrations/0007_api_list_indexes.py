# The HSDS API's list orders (name, id) are served by indexes, so deep pages need no sort;
# and `search=` finds words through a word index over the search index's `words` column
# (SQLite: an FTS5 table kept by triggers; PostgreSQL: a GIN index on its tsvector) rather
# than reading every row. queries._search_q falls back to a scan when the word index is
# missing (an SQLite without FTS5), so the second part is optional on SQLite.

from django.db import migrations, models

SQLITE_UP = [
    "CREATE VIRTUAL TABLE directory_serviceindex_fts USING fts5(words, "
    "content='directory_serviceindex', content_rowid='id', detail='none')",
    """CREATE TRIGGER directory_serviceindex_fts_ai AFTER INSERT ON directory_serviceindex
    BEGIN
        INSERT INTO directory_serviceindex_fts(rowid, words) VALUES (new.id, new.words);
    END""",
    """CREATE TRIGGER directory_serviceindex_fts_ad AFTER DELETE ON directory_serviceindex
    BEGIN
        INSERT INTO directory_serviceindex_fts(directory_serviceindex_fts, rowid, words)
        VALUES ('delete', old.id, old.words);
    END""",
    """CREATE TRIGGER directory_serviceindex_fts_au AFTER UPDATE OF words
    ON directory_serviceindex
    BEGIN
        INSERT INTO directory_serviceindex_fts(directory_serviceindex_fts, rowid, words)
        VALUES ('delete', old.id, old.words);
        INSERT INTO directory_serviceindex_fts(rowid, words) VALUES (new.id, new.words);
    END""",
    "INSERT INTO directory_serviceindex_fts(directory_serviceindex_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS directory_serviceindex_fts_au",
    "DROP TRIGGER IF EXISTS directory_serviceindex_fts_ad",
    "DROP TRIGGER IF EXISTS directory_serviceindex_fts_ai",
    "DROP TABLE IF EXISTS directory_serviceindex_fts",
]
PG_UP = [
    "CREATE INDEX dir_index_words_ts ON directory_serviceindex "
    "USING gin (to_tsvector('simple'::regconfig, words))"
]
PG_DOWN = ["DROP INDEX IF EXISTS dir_index_words_ts"]


def _run(statements, schema_editor):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def word_index_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(PG_UP, schema_editor)
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
            if not cursor.fetchone()[0]:
                return  # searched by scanning instead
        _run(SQLITE_UP, schema_editor)


def word_index_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(
        PG_DOWN if vendor == "postgresql" else SQLITE_DOWN if vendor == "sqlite" else [],
        schema_editor,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_wide_index_with_hours"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["name", "id"], name="dir_org_name_id"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["name", "id"], name="dir_service_name_id"),
        ),
        migrations.RunPython(word_index_up, word_index_down, elidable=False),
    ]
