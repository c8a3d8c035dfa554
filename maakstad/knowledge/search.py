"""Full-text search in Dutch over the kennisbank.

PostgreSQL: a `search_vector` column (config 'dutch', weights title A, summary B, body C) with a GIN
index, `websearch_to_tsquery`, `ts_rank` and `ts_headline`. SQLite: an FTS5 table with
`unicode61 remove_diacritics` tokens, prefix matching (FTS5 has no Dutch stemmer), `bm25` and
`snippet`. Snippets are HTML-escaped before the highlight marks are put in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from maakstad.knowledge.models import Resource

START, STOP = "\x02", "\x03"
TOKEN = re.compile(r"[\w\-]+", re.UNICODE)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index_resources(resources: Iterable[Resource]) -> None:
    """Bring the search index up to date for these resources (call after every write)."""
    rows = [(r.pk, r.title, r.summary, r.body) for r in resources]
    if not rows:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.executemany(
                "UPDATE knowledge_resource SET search_vector = "
                "setweight(to_tsvector('dutch', %s), 'A') || "
                "setweight(to_tsvector('dutch', %s), 'B') || "
                "setweight(to_tsvector('dutch', %s), 'C') WHERE id = %s",
                [(title, summary, body, pk) for pk, title, summary, body in rows],
            )
        else:
            cursor.executemany(
                "DELETE FROM knowledge_resource_fts WHERE rowid = %s", [(pk,) for pk, *_ in rows]
            )
            cursor.executemany(
                "INSERT INTO knowledge_resource_fts (rowid, title, summary, body) "
                "VALUES (%s, %s, %s, %s)",
                rows,
            )


def unindex_resource(pk: int) -> None:
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_resource_fts WHERE rowid = %s", [pk])


def _fts5_query(text: str) -> str:
    """Every word must occur, each as a prefix; quotes keep FTS5 syntax out of user input."""
    words = [w.replace('"', "") for w in TOKEN.findall(text.lower()) if len(w) > 1]
    return " AND ".join(f'"{word}"*' for word in words)


def _match_sql(text: str) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of matching resources, best first, and its parameters."""
    if is_postgres():
        return (
            "SELECT id FROM knowledge_resource WHERE search_vector @@ websearch_to_tsquery('dutch', %s) "
            "ORDER BY ts_rank(search_vector, websearch_to_tsquery('dutch', %s)) DESC, id",
            [text, text],
        )
    match = _fts5_query(text)
    if not match:
        return None
    # FTS5's built-in `rank` is bm25 (lower is better), computed once inside the MATCH.
    return (
        "SELECT rowid FROM knowledge_resource_fts WHERE knowledge_resource_fts MATCH %s "
        "ORDER BY bm25(knowledge_resource_fts, 10.0, 5.0, 1.0), rowid",
        [match],
    )


def search(queryset: QuerySet[Resource], text: str) -> QuerySet[Resource]:
    """Restrict `queryset` to resources matching `text` (no ordering)."""
    text = text.strip()
    if not text:
        return queryset
    sql = _match_sql(text)
    if sql is None:
        return queryset.none()
    return queryset.filter(id__in=RawSQL(sql[0].split(" ORDER BY ")[0], sql[1][:1]))


def ranked_ids(text: str) -> list[int]:
    """Ids of every resource matching `text`, most relevant first (one query)."""
    sql = _match_sql(text.strip())
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*sql)
        return [row[0] for row in cursor.fetchall()]


def snippets(pks: list[int], text: str) -> dict[int, str]:
    """Highlighted, HTML-safe snippets for one page of results (one query)."""
    text = text.strip()
    if not pks or not text:
        return {}
    placeholders = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "SELECT id, ts_headline('dutch', summary || ' ' || body, "
                "websearch_to_tsquery('dutch', %s), "
                "'StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=2') "
                f"FROM knowledge_resource WHERE id IN ({placeholders})",
                [text, *pks],
            )
        else:
            match = _fts5_query(text)
            if not match:
                return {}
            cursor.execute(
                "SELECT rowid, snippet(knowledge_resource_fts, -1, char(2), char(3), '…', 16) "
                "FROM knowledge_resource_fts WHERE knowledge_resource_fts MATCH %s "
                f"AND rowid IN ({placeholders})",
                [match, *pks],
            )
        rows = cursor.fetchall()
    return {
        pk: escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")
        for pk, snippet in rows
    }
