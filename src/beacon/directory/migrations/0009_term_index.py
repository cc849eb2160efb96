# The word index of migration 0007 becomes a term index for the directory search: besides
# the words it holds each row's tags (" kind:… aud:… ch:… cost:… "), languages, reach and
# country, so a search with words and filters finds its candidate rows from the index
# instead of testing every row in a radius or every national row of a country
# (search.TermQuery). SQLite: the FTS5 table, now over five columns of the search index
# (tags such as "ch:in_person" are single tokens); PostgreSQL: a GIN index over the tags
# and languages as arrays, beside the words' tsvector index of 0007.
#
# Local rows also say whether their service has national or online rows (`also_wide`), so
# a place search leaves out, among the wide rows, only the few services it lists as local.
#
# On SQLite adding the column rebuilds the table, which drops the word index's triggers:
# the FTS5 table and its triggers are created again here (see 0008).

from importlib import import_module

from django.db import migrations, models

SQLITE_UP = [
    "CREATE VIRTUAL TABLE directory_serviceindex_fts USING fts5("
    "words, tags, languages, reach, country, content='directory_serviceindex', "
    "content_rowid='id', detail='column', tokenize=\"unicode61 tokenchars ':-_'\")",
    """CREATE TRIGGER directory_serviceindex_fts_ai AFTER INSERT ON directory_serviceindex
    BEGIN
        INSERT INTO directory_serviceindex_fts(rowid, words, tags, languages, reach, country)
        VALUES (new.id, new.words, new.tags, new.languages, new.reach, new.country);
    END""",
    """CREATE TRIGGER directory_serviceindex_fts_ad AFTER DELETE ON directory_serviceindex
    BEGIN
        INSERT INTO directory_serviceindex_fts(
            directory_serviceindex_fts, rowid, words, tags, languages, reach, country
        ) VALUES ('delete', old.id, old.words, old.tags, old.languages, old.reach, old.country);
    END""",
    """CREATE TRIGGER directory_serviceindex_fts_au
    AFTER UPDATE OF words, tags, languages, reach, country ON directory_serviceindex
    BEGIN
        INSERT INTO directory_serviceindex_fts(
            directory_serviceindex_fts, rowid, words, tags, languages, reach, country
        ) VALUES ('delete', old.id, old.words, old.tags, old.languages, old.reach, old.country);
        INSERT INTO directory_serviceindex_fts(rowid, words, tags, languages, reach, country)
        VALUES (new.id, new.words, new.tags, new.languages, new.reach, new.country);
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
    "CREATE INDEX dir_index_terms ON directory_serviceindex USING gin "
    "(string_to_array(btrim(tags), ' '), string_to_array(btrim(languages), ' '))"
]
PG_DOWN = ["DROP INDEX IF EXISTS dir_index_terms"]
MARK_ALSO_WIDE = """
    UPDATE directory_serviceindex SET also_wide = %s
    WHERE reach = 'local' AND service_id IN (
        SELECT id FROM directory_service WHERE is_national = %s
    )
"""


def _run(statements, schema_editor):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def _sqlite_has_fts5(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        return bool(cursor.fetchone()[0])


def term_index_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(MARK_ALSO_WIDE, params=[True, True])  # until the next reindex
    if vendor == "postgresql":
        _run(PG_UP, schema_editor)
    elif vendor == "sqlite" and _sqlite_has_fts5(schema_editor):
        _run(SQLITE_DOWN, schema_editor)  # 0007's table (its triggers went with 0009's rebuild)
        _run(SQLITE_UP, schema_editor)


def term_index_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(PG_DOWN, schema_editor)
    elif vendor == "sqlite":
        _run(SQLITE_DOWN, schema_editor)


def word_index_back(apps, schema_editor):
    """Going back: 0007's word index, once the column is gone (its removal rebuilds the
    table on SQLite)."""
    if schema_editor.connection.vendor == "sqlite" and _sqlite_has_fts5(schema_editor):
        words = import_module("beacon.directory.migrations.0007_api_list_indexes")
        _run(SQLITE_DOWN, schema_editor)
        _run(words.SQLITE_UP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_index_regions_no_stored_24_7"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, word_index_back, elidable=False),
        migrations.AddField(
            model_name="serviceindex",
            name="also_wide",
            field=models.BooleanField(
                default=False,
                help_text="Local rows: the service also has national or online rows",
            ),
        ),
        migrations.RunPython(term_index_up, term_index_down, elidable=False),
    ]
