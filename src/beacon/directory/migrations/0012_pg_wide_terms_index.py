# PostgreSQL: a second GIN index over `terms` holding only the national and online rows
# (about a third of the index). A place search reads national and online services that
# serve the place by their words and filters; through this index a common word's prefix
# scan and posting lists are a third of the size, and the planner no longer intersects the
# whole-table match with dir_index_wide to find the national and online rows
# (bench/directory/search_bench.py: the slowest of these queries 30 % faster). The query
# must say `reach IN ('national', 'online')` as written here for the planner to use it.
#
# SQLite: nothing (the FTS5 table of 0009 serves both).

from django.db import migrations

PG_UP = [
    "CREATE INDEX dir_index_terms_wide ON directory_serviceindex USING gin (terms) "
    "WHERE reach IN ('national', 'online')",
    "ANALYZE directory_serviceindex",
]
PG_DOWN = ["DROP INDEX IF EXISTS dir_index_terms_wide"]


def _run(statements, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def wide_up(apps, schema_editor):
    _run(PG_UP, schema_editor)


def wide_down(apps, schema_editor):
    _run(PG_DOWN, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_pg_terms_column"),
    ]

    operations = [migrations.RunPython(wide_up, wide_down, elidable=False)]
