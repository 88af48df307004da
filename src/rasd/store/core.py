"""The store: documents, records, merged events and failures in SQLite (one file, WAL journal) or PostgreSQL
(a server a team shares), with batched commits and normalised full-text search. Which one is chosen by `db`: a
path (or ':memory:') or a postgresql:// URL; the schema, the migrations and every answer are the same.

Ingest is idempotent: a document whose exact content is stored already is skipped, so a rerun after an
interruption completes what the interrupted batch lost and adds nothing twice. Events are merged across
articles as they are stored (rasd.store.merged), and a deleted or replaced article takes its mentions with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.events.merge import DEFAULT_WINDOW_DAYS
from rasd.ingest.dedup import (
    BANDS,
    THRESHOLD,
    DuplicateMatch,
    Fingerprint,
    best_match,
    signature_from_bytes,
    signature_to_bytes,
)
from rasd.store import merged
from rasd.store.db import Database, StoreError, connect_sqlite, database_errors, is_postgres
from rasd.store.filters import Filters
from rasd.store.merged import MergedEvent
from rasd.store.migrations import POSTGRESQL, SQLITE
from rasd.store.search import index_text, parse_query, query_terms
from rasd.text.normalize import normalize

__all__ = ["SearchHit", "Store", "StoreError"]


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    highlights: list[tuple[int, int]]  # offsets into snippet


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """Documents, their records and extracted facts, merged events, failures and duplicate links.

    `db`: an SQLite file (created if missing), ':memory:', or a postgresql:// URL of an existing database
    (its tables are created on first use). `merge_window_days`: how far apart two reports' dates may be to be
    one event. The store remembers the window it was built with; giving another one re-merges every stored event.
    """

    def __init__(self, db: str | Path, merge_window_days: int | None = None) -> None:
        db = str(db)
        self.conn: Database
        self._in_tx = False
        if is_postgres(db):
            from rasd.store.postgres import PostgresDatabase

            self.conn = PostgresDatabase(db)
            self.path = self.conn.display  # never the password
            hint = "is it a database Rasd can write?"
        else:
            self.path = db
            if db != ":memory:":
                parent = Path(db).expanduser().resolve().parent
                if not parent.is_dir():
                    raise StoreError(f"cannot create store {db}: folder {parent} does not exist")
            hint = "is it an SQLite file made by Rasd?"
        try:
            if not is_postgres(db):
                self.conn = connect_sqlite(db)
            self._migrate()
            self._check_merges(merge_window_days)
        except database_errors() as e:
            if hasattr(self, "conn"):
                with contextlib.suppress(*database_errors()):
                    self.conn.close()
            raise StoreError(f"cannot open store {self.path}: {str(e).strip()} ({hint})") from e

    @property
    def kind(self) -> str:
        """The database: "sqlite" or "postgresql"."""
        return self.conn.kind

    # -- schema -------------------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.conn.schema_version()

    def _migrate(self) -> None:
        scripts = POSTGRESQL if self.kind == "postgresql" else SQLITE
        version = self.schema_version
        if version > len(scripts):
            raise StoreError(
                f"store {self.path} has schema version {version}, newer than this Rasd knows ({len(scripts)});"
                " upgrade Rasd"
            )
        self.conn.migrate(scripts)

    def _check_merges(self, window: int | None) -> None:
        """Apply a new merge window, and merge the events of a store written before merging existed."""
        row = self.conn.execute("SELECT value FROM store_meta WHERE key = 'merge_window_days'").fetchone()
        self.merge_window_days = int(row[0]) if row else DEFAULT_WINDOW_DAYS
        if window is not None and window < 0:
            raise StoreError(f"merge window must be 0 days or more, not {window}")
        stale = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM events) != (SELECT COUNT(*) FROM event_mentions)"
        ).fetchone()[0]
        if (window is None or window == self.merge_window_days) and not stale:
            return
        with self.batch():
            if window is not None:
                self.merge_window_days = window
                self.conn.execute(
                    "INSERT INTO store_meta (key, value) VALUES ('merge_window_days', ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(window),),
                )
            merged.rebuild_all(self.conn, self.merge_window_days)

    def set_read_only(self) -> None:
        """Refuse every write on this connection from now on (the web server's connections)."""
        self.conn.set_read_only()

    def ingest_lock(self, purpose: str = "ingest") -> contextlib.AbstractContextManager[Any]:
        """The lock one ingest (or load) holds while it writes; entering it raises StoreLocked if another does."""
        return self.conn.ingest_lock(purpose)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """Everything written inside is committed together (or not at all)."""
        if self._in_tx:
            yield
            return
        self.conn.begin_write()
        self._in_tx = True
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_tx = False

    # -- lookups used while ingesting ---------------------------------------------------------------------
    def has_document(self, doc_id: str, content_hash: str) -> bool:
        """Is this very article (its id, or the id it was renamed to, with this content) stored already?"""
        row = self.conn.execute(
            "SELECT 1 FROM documents WHERE content_hash = ? AND id IN (?, ?) LIMIT 1",
            (content_hash, doc_id, f"{doc_id}~{content_hash[:8]}"),
        ).fetchone()
        return row is not None

    def has_id(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def find_duplicate(self, fp: Fingerprint, threshold: float = THRESHOLD) -> DuplicateMatch | None:
        """An earlier original (never a duplicate itself) that this fingerprint copies, exactly or nearly."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE norm_hash = ? AND duplicate_of IS NULL ORDER BY rowid LIMIT 1",
            (fp.norm_hash,),
        ).fetchone()
        if row:
            return DuplicateMatch(row[0], 1.0, True)
        bands = fp.bands()
        clause = " OR ".join("(band = ? AND hash = ?)" for _ in range(BANDS))
        params: list[int] = []
        for b, h in enumerate(bands):
            params += [b, h]
        cands = self.conn.execute(
            f"SELECT DISTINCT d.id, d.minhash FROM minhash_bands m JOIN documents d ON d.rowid = m.doc_rowid "
            f"WHERE ({clause}) AND d.duplicate_of IS NULL",
            params,
        ).fetchall()
        return best_match(fp, ((doc_id, signature_from_bytes(blob)) for doc_id, blob in cands), threshold)

    # -- writes -------------------------------------------------------------------------------------------
    def add_document(
        self,
        record: dict[str, Any],
        *,
        source_path: str | None,
        content_hash: str,
        fp: Fingerprint,
        duplicate: DuplicateMatch | None = None,
        replace: bool = False,
    ) -> int:
        """Store an analysed document (or a duplicate linked to its original, with no analysis).

        `replace`: a stored document with the same id is deleted first (see `delete_document`), in the same
        transaction, so its merged events never show both versions.
        """
        with self.batch():
            if replace:
                self.delete_document(record["doc_id"])
            cur = self.conn.execute(
                "INSERT INTO documents (id, title, outlet, url, published, published_basis, source_path,"
                " content_hash, norm_hash, text, duplicate_of, similarity, record, minhash, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING rowid",
                (
                    record["doc_id"],
                    record.get("title"),
                    record.get("outlet"),
                    record.get("url"),
                    record.get("published"),
                    record.get("published_basis"),
                    source_path,
                    content_hash,
                    fp.norm_hash,
                    record["text"],
                    duplicate.doc_id if duplicate else None,
                    duplicate.similarity if duplicate else None,
                    None if duplicate else _record_json(record),
                    None if duplicate else signature_to_bytes(fp.signature),
                    _now(),
                ),
            )
            rowid = int(cur.fetchone()[0])
            if duplicate is None:
                self._add_facts(rowid, record)
                self.conn.executemany(
                    "INSERT INTO minhash_bands (band, hash, doc_rowid) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                    [(b, h, rowid) for b, h in enumerate(fp.bands())],
                )
                self.conn.fts_add(rowid, index_text(record.get("title") or ""), index_text(_searchable(record)))
                merged.add_record(self.conn, rowid, record, self.merge_window_days)
        return rowid

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document, its facts, its search entry and its duplicates; re-merge the events it touched.

        Duplicates linked to it go too: they were stored as links to it, without an analysis of their own.
        Returns False when there is no such document.
        """
        row = self.conn.execute(
            "SELECT rowid, title, text, record, minhash FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return False
        rowid = row["rowid"]
        with self.batch():
            groups, merged_ids = merged.groups_of(self.conn, rowid)
            if row["record"] is not None:
                rec = _record_from(row["record"], row["text"])
                self.conn.fts_delete(rowid, index_text(rec.get("title") or ""), index_text(_searchable(rec)))
            if row["minhash"] is not None:
                bands = Fingerprint("", signature_from_bytes(row["minhash"]), 0).bands()
                self.conn.executemany(
                    "DELETE FROM minhash_bands WHERE band = ? AND hash = ? AND doc_rowid = ?",
                    [(b, h, rowid) for b, h in enumerate(bands)],
                )
            self.conn.execute("DELETE FROM documents WHERE duplicate_of = ?", (doc_id,))
            self.conn.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))  # facts and mentions cascade
            merged.rebuild_groups(self.conn, groups, merged_ids, self.merge_window_days)
        return True

    def rebuild_merged_events(self) -> None:
        """Merge every stored event afresh (ids start again from 1)."""
        with self.batch():
            merged.rebuild_all(self.conn, self.merge_window_days)

    def _add_facts(self, rowid: int, record: dict[str, Any]) -> None:
        kb_of = merged.store_actor_ids(record)
        for a in record.get("actors", []):
            self.conn.execute(
                "INSERT INTO actors (id, kind, name_en, name_ar, wikidata) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                (kb_of[a["id"]], a.get("kind"), a.get("name_en"), a.get("name_ar"), a.get("wikidata")),
            )
            self.conn.executemany(
                'INSERT INTO mentions (doc_rowid, actor_id, start, "end", text) VALUES (?,?,?,?,?)',
                [(rowid, kb_of[a["id"]], m["start"], m["end"], m["text"]) for m in a.get("mentions", [])],
            )
        self.conn.executemany(
            'INSERT INTO quotes (doc_rowid, idx, speaker_id, speaker_text, text, start, "end") VALUES (?,?,?,?,?,?,?)',
            [
                (rowid, i, kb_of.get(q["speaker"]) if q.get("speaker") else None, q.get("speaker_text"), q["text"],
                 q["start"], q["end"])
                for i, q in enumerate(record.get("quotes", []))
            ],
        )  # fmt: skip
        self.conn.executemany(
            'INSERT INTO sources (doc_rowid, kind, actor_id, text, count, named, start, "end")'
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (rowid, s["kind"], kb_of.get(s["actor"]) if s.get("actor") else None, s["text"], s.get("count"),
                 int(bool(s.get("named"))), s.get("start"), s.get("end"))
                for s in record.get("sources", [])
            ],
        )  # fmt: skip
        self.conn.executemany(
            "INSERT INTO events (doc_rowid, idx, type, mode, status, date, data) VALUES (?,?,?,?,?,?,?)",
            [
                (
                    rowid,
                    i,
                    e["type"],
                    e.get("mode"),
                    e.get("status"),
                    e.get("date"),
                    json.dumps(e, ensure_ascii=False),
                )
                for i, e in enumerate(record.get("events", []))
            ],
        )
        self.conn.executemany(
            "INSERT INTO event_actors (doc_rowid, idx, role, actor_id) VALUES (?,?,?,?)",
            [
                (rowid, i, role, kb_of[a])
                for i, e in enumerate(record.get("events", []))
                for role, key in (("a", "actors_a"), ("b", "actors_b"), ("reported_by", "reported_by"))
                for a in e.get(key) or []
                if a in kb_of
            ],
        )

    def add_failure(self, path: str, line: int | None, code: str, reason: str) -> None:
        with self.batch():
            self.conn.execute(
                "INSERT INTO failures (path, line, code, reason, at) VALUES (?,?,?,?,?)"
                " ON CONFLICT (path, line, code) DO UPDATE SET reason = excluded.reason, at = excluded.at",
                (path, line or 0, code, reason, _now()),
            )

    # -- reads --------------------------------------------------------------------------------------------
    def get_record(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT record, text, duplicate_of FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        if row["record"] is None and row["duplicate_of"]:
            orig = self.get_record(row["duplicate_of"])
            return {"doc_id": doc_id, "duplicate_of": row["duplicate_of"], "original": orig}
        return _record_from(row["record"], row["text"])

    def iter_records(self) -> Iterator[dict[str, Any]]:
        for rec, text in self.conn.execute(
            "SELECT record, text FROM documents WHERE record IS NOT NULL ORDER BY rowid"
        ):
            yield _record_from(rec, text)

    def merged_events(
        self, filters: Filters | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[MergedEvent]:
        """Merged events, by date, each with every mention (document, outlet, evidence offsets, status ...),
        narrowed by `filters` (see merged.iter_merged). Raises ValueError for a malformed date."""
        return merged.iter_merged(self.conn, filters, limit=limit, offset=offset)

    def merged_event(self, merged_id: int) -> MergedEvent | None:
        return next(merged.iter_merged(self.conn, merged_id=merged_id), None)

    def duplicates_of(self, doc_id: str) -> list[tuple[str, float]]:
        rows = self.conn.execute(
            "SELECT id, similarity FROM documents WHERE duplicate_of = ? ORDER BY rowid", (doc_id,)
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def failures(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT path, line, code, reason, at FROM failures ORDER BY id").fetchall()
        return [{**dict(r), "line": r["line"] or None} for r in rows]

    def stats(self) -> dict[str, Any]:
        q = self.conn.execute

        def one(sql: str) -> int:
            return int(q(sql).fetchone()[0])

        return {
            "documents": one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NULL"),
            "duplicates": one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL"),
            "failed": one("SELECT COUNT(*) FROM failures"),
            "actors": one("SELECT COUNT(DISTINCT actor_id) FROM mentions"),
            "mentions": one("SELECT COUNT(*) FROM mentions"),
            "events": one("SELECT COUNT(*) FROM events"),
            "merged_events": one("SELECT COUNT(*) FROM merged_events"),
            "quotes": one("SELECT COUNT(*) FROM quotes"),
            "sources": one("SELECT COUNT(*) FROM sources"),
            "outlets": one("SELECT COUNT(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL"),
            "first_published": q("SELECT MIN(published) FROM documents").fetchone()[0],
            "last_published": q("SELECT MAX(published) FROM documents").fetchone()[0],
            "schema_version": self.schema_version,
        }

    def search(self, query: str, limit: int = 20, offset: int = 0) -> tuple[list[SearchHit], int]:
        """Documents matching `query` (normalised, clitic-aware), best first, with highlighted snippets."""
        total, rows = self.conn.fts_search(parse_query(query), limit, offset)
        terms = query_terms(query)
        hits = []
        for r in rows:
            snippet, marks = make_snippet(r["text"], terms)
            hits.append(SearchHit(r["id"], r["title"], r["outlet"], r["published"], snippet, marks))
        return hits, total


def _record_json(record: dict[str, Any]) -> str:
    """The record without its text, which the documents row already holds (stores stay half the size)."""
    return json.dumps({k: v for k, v in record.items() if k != "text"}, ensure_ascii=False)


def _record_from(data: str, text: str) -> dict[str, Any]:
    rec = json.loads(data)
    out = {k: rec[k] for k in ("doc_id", "title", "outlet", "url", "published") if k in rec}
    out["text"] = text
    out.update({k: v for k, v in rec.items() if k not in out})
    return out


def _searchable(record: dict[str, Any]) -> str:
    """The text to index: the stored text with boilerplate ranges left out."""
    text = record["text"]
    excluded = record.get("excluded") or []
    if not excluded:
        return text
    parts, pos = [], 0
    for x in sorted(excluded, key=lambda x: x["start"]):
        parts.append(text[pos : x["start"]])
        pos = max(pos, x["end"])
    parts.append(text[pos:])
    return "\n".join(parts)


def make_snippet(text: str, terms: list[str], width: int = 90) -> tuple[str, list[tuple[int, int]]]:
    """A window of the original text around the first hit, and the hits inside it (snippet offsets)."""
    nt = normalize(text)
    found: list[tuple[int, int]] = []
    for t in terms:
        start = 0
        while t and (i := nt.text.find(t, start)) >= 0:
            found.append(nt.to_orig_span(i, i + len(t)))
            start = i + len(t)
    found.sort()
    if not found:
        return text[: 2 * width].replace("\n", " "), []
    a = max(0, found[0][0] - width)
    b = min(len(text), found[0][1] + width)
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    marks = [(s - a, e - a) for s, e in found if s >= a and e <= b]
    prefix = "…" if a > 0 else ""
    suffix = "…" if b < len(text) else ""
    marks = [(s + len(prefix), e + len(prefix)) for s, e in marks]
    return prefix + text[a:b].replace("\n", " ") + suffix, marks
