# PostgreSQL: the term index becomes one stored tsvector, `directory_serviceindex.terms`
# (a generated column, so every insert and update keeps it), and one GIN index over it. It
# holds the words (as the `to_tsvector('simple', words)` index of 0007 did) and, as whole
# lexemes, the tags ("kind:…", "aud:…", "ch:…", "cost:…"), the languages ("lang:en"), the
# reach ("reach:national") and the country ("country:US"): a search with words, filters,
# reach and country is one GIN scan (`terms.pg_match`) instead of a BitmapAnd of three
# (0007's words, 0009's tags/languages arrays, dir_index_wide). Being stored, the words are
# also cheap to test row by row while walking an index in name order (the API's `search=`),
# and ANALYZE keeps statistics of its lexemes for the planner.
#
# SQLite: nothing (its FTS5 table of 0009 holds the same five columns). The column is not
# on the model: Django never reads or writes it. A later migration that changes the type of
# words, tags, languages, reach, country must drop and re-add it (PostgreSQL refuses to
# alter a column a generated column uses).

from django.db import migrations

TERMS = (
    "strip(to_tsvector('simple'::regconfig, words) || array_to_tsvector(array_remove("
    "string_to_array(btrim(tags) || ' ' "
    r"|| regexp_replace(btrim(languages), '(\S+)', 'lang:\1', 'g') "
    "|| ' reach:' || reach || ' country:' || country, ' '), '')))"
)
PG_UP = [
    f"ALTER TABLE directory_serviceindex ADD COLUMN terms tsvector GENERATED ALWAYS AS ({TERMS}) "
    "STORED",
    "CREATE INDEX dir_index_terms_ts ON directory_serviceindex USING gin (terms)",
    "DROP INDEX IF EXISTS dir_index_words_ts",
    "DROP INDEX IF EXISTS dir_index_terms",
    "ANALYZE directory_serviceindex",
]
PG_DOWN = [
    "CREATE INDEX IF NOT EXISTS dir_index_words_ts ON directory_serviceindex "
    "USING gin (to_tsvector('simple'::regconfig, words))",
    "CREATE INDEX IF NOT EXISTS dir_index_terms ON directory_serviceindex USING gin "
    "(string_to_array(btrim(tags), ' '), string_to_array(btrim(languages), ' '))",
    "ALTER TABLE directory_serviceindex DROP COLUMN IF EXISTS terms",
]


def _run(statements, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def terms_up(apps, schema_editor):
    _run(PG_UP, schema_editor)


def terms_down(apps, schema_editor):
    _run(PG_DOWN, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_list_walk_indexes"),
    ]

    operations = [migrations.RunPython(terms_up, terms_down, elidable=False)]
