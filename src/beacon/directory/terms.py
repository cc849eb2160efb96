"""The term index of the search index (`ServiceIndex`): which rows have these words, tags,
languages, reach and country, found without reading the rows (migrations 0007, 0009 and 0011).

- SQLite: the FTS5 table `directory_serviceindex_fts` over the columns `words`, `tags`,
  `languages`, `reach` and `country`, kept in step by triggers (tokens: the folded words;
  tags such as `ch:in_person` whole; language codes; `local`/`national`/`online`; `us`).
- PostgreSQL: the stored tsvector column `terms` (migration 0011, generated from the five
  columns: the words, and whole lexemes "kind:…", "lang:en", "reach:national",
  "country:US") and one GIN index over it.
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


def pg_query(words: list[str], groups: list[tuple[str, list[str]]]) -> str:
    """A tsquery (PostgreSQL) over the `terms` column of migration 0011: every word starts a
    word of `words`; per (column, values) group of tags, languages, reach or country, one of
    the values. Groups with a value that is not one token are left out."""
    parts = [f"'{w}':*" for w in words]
    for column, values in groups:
        if indexable(values):
            prefix = PG_PREFIXES[column]
            parts.append("(" + " | ".join(f"'{prefix}{v}'" for v in values) + ")")
    return " & ".join(parts)


# How the `terms` lexemes of each column are written (tags carry their own "kind:" etc.).
PG_PREFIXES = {"tags": "", "languages": "lang:", "reach": "reach:", "country": "country:"}


def pg_match(words: list[str], groups: list[tuple[str, list[str]]]) -> RawSQL:
    """PostgreSQL: the row's `terms` match `pg_query(words, groups)` (one GIN scan)."""
    return RawSQL(
        '"directory_serviceindex"."terms" @@ %s::tsquery',
        (pg_query(words, groups),),
        output_field=BooleanField(),
    )


def pg_words(words: list[str]) -> RawSQL:
    """PostgreSQL: every word starts a word of `words`."""
    return pg_match(words, [])
