"""The term index of the search index (`ServiceIndex`): which rows have these words, tags,
languages, reach and country, found without reading the rows (migrations 0007 and 0009).

- SQLite: the FTS5 table `directory_serviceindex_fts` over the columns `words`, `tags`,
  `languages`, `reach` and `country`, kept in step by triggers (tokens: the folded words;
  tags such as `ch:in_person` whole; language codes; `local`/`national`/`online`; `us`).
- PostgreSQL: a GIN index on `to_tsvector('simple', words)` (0007) and one on the tags and
  languages split into arrays (0009).
- Neither (an SQLite built without FTS5, or a table rebuilt by a later migration that lost
  the triggers): `kind()` is "" and searches test every row they read instead.

Words found through the index are exact: a row matches when one of its words starts with
each query word, as the `LIKE '% word%'` test says. Tags and languages found through it are
the rows the `LIKE` tests would keep and possibly a few more (a code with punctuation other
than `:-_` is several tokens), so callers keep those tests; the index only picks which rows
are read. A value with other characters is not looked up in the index at all.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

FTS = "directory_serviceindex_fts"
_TOKEN = re.compile(r"[A-Za-z0-9_:-]+\Z")  # one FTS5 token, one array element


def kind() -> str:
    """The term index this database has: "tsvector" (PostgreSQL), "fts5" (SQLite), or ""
    (none: the rows are scanned)."""
    if connection.vendor == "postgresql":
        return "tsvector"  # expression indexes: nothing drops them but a migration
    if connection.vendor == "sqlite" and _sqlite_fts_ready():
        return "fts5"
    return ""


def _sqlite_fts_ready() -> bool:
    """Whether the FTS5 table and the three triggers that keep it are all there (a table
    rebuilt by a later migration loses its triggers: then searches scan, still right)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            [FTS, f"{FTS}_ai", f"{FTS}_ad", f"{FTS}_au"],
        )
        return cursor.fetchone()[0] == 4


def indexable(values: list[str] | tuple[str, ...]) -> bool:
    """Whether each value is one token of the index (else the group is left to LIKE)."""
    return bool(values) and all(_TOKEN.match(v) for v in values)


def fts_match(words: list[str], groups: list[tuple[str, list[str]]]) -> str:
    """An FTS5 query: every word starts a word of `words`; per (column, values) group, the
    column has one of the values. Groups with a value that is not one token are left out."""
    parts = [f'{{words}}: "{w}"*' for w in words]
    for column, values in groups:
        if indexable(values):
            parts.append(f"{{{column}}}: (" + " OR ".join(f'"{v}"' for v in values) + ")")
    return " AND ".join(parts)


def fts_rows(match: str, *, drive: bool = True) -> RawSQL:
    """A condition: the row's id is among the FTS5 matches. With `drive=False` the id is
    written `+id`, so SQLite reads the matches into a set and tests the rows another index
    finds, rather than reading the rows by id (`+` stops a column using an index)."""
    if drive:
        return RawSQL(
            '"directory_serviceindex"."id" IN (SELECT rowid FROM directory_serviceindex_fts '
            "WHERE directory_serviceindex_fts MATCH %s)",
            (match,),
            output_field=BooleanField(),
        )
    return RawSQL(
        '+"directory_serviceindex"."id" IN (SELECT rowid FROM directory_serviceindex_fts '
        "WHERE directory_serviceindex_fts MATCH %s)",
        (match,),
        output_field=BooleanField(),
    )


def fts_primary_count(match: str) -> int:
    """How many primary rows of the search index match (SQLite): the FTS5 table counts its
    matches without reading the rows; the few matching rows that are not primary (a
    service's other locations and countries) are found on the `(primary, …)` index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {FTS} WHERE {FTS} MATCH %s) - ("  # noqa: S608
            'SELECT count(*) FROM directory_serviceindex WHERE "primary" = 0 AND +id IN '
            f"(SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s))",
            [match, match],
        )
        return cursor.fetchone()[0]


def pg_words(words: list[str]) -> RawSQL:
    """PostgreSQL: every word starts a word of `words` (the GIN index of 0007)."""
    query = " & ".join(f"{w}:*" for w in words)
    return RawSQL(
        'to_tsvector(\'simple\'::regconfig, "directory_serviceindex"."words") '
        "@@ to_tsquery('simple'::regconfig, %s)",
        (query,),
        output_field=BooleanField(),
    )


def pg_any_of(column: str, values: list[str]) -> RawSQL:
    """PostgreSQL: the tags or languages column has one of `values` (the GIN index of 0009;
    the expression is the index's)."""
    if column == "tags":
        return RawSQL(
            'string_to_array(btrim("directory_serviceindex"."tags"), \' \') && %s::text[]',
            (list(values),),
            output_field=BooleanField(),
        )
    return RawSQL(
        'string_to_array(btrim("directory_serviceindex"."languages"), \' \') && %s::text[]',
        (list(values),),
        output_field=BooleanField(),
    )
