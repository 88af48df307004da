"""A PostgreSQL database for a store shared by a team (`--db postgresql://user@host/dbname`).

The store's SQL is written with SQLite's `?` placeholders; this connection turns them into psycopg's and gives
rows that read by index and by name, as sqlite3.Row does. Writers are serialised by a transaction-level advisory
lock (SQLite's BEGIN IMMEDIATE), so that incremental event merging never races; readers never wait. One ingest at
a time is a session-level advisory lock whose holder is named from pg_stat_activity.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import socket
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from rasd.store.db import StoreError
from rasd.store.search import ParsedQuery, to_tsquery

# Keys of the advisory locks (any two bigints unlikely to clash with an application sharing the database).
WRITE_LOCK = 0x72617364_00000001  # "rasd", 1: one write transaction at a time
INGEST_LOCK = 0x72617364_00000002  # one ingest (or load) at a time
MAX_INDEXED_CHARS = 250_000  # a tsvector holds at most 1 MB; longer bodies are searchable by their beginning


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """`?` placeholders to `%s`, and literal `%` doubled, outside quoted strings and identifiers."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        if ch == "%":
            out.append("%%")
            continue
        out.append(ch)
    return "".join(out)


class _Row(tuple):  # type: ignore[type-arg]
    """A result row read by position or by column name, like sqlite3.Row."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[_Row]:
    index: dict[str, int] = {}
    for i, n in enumerate(names):
        index.setdefault(n, i)
    return type("Row", (_Row,), {"__slots__": (), "_index": index})


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return tuple
    return _row_class(tuple(c.name for c in desc))


class PostgresDatabase:
    """A psycopg connection with the operations of rasd.store.db.Database."""

    kind = "postgresql"
    like = "ILIKE"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as e:
            raise StoreError(
                "a PostgreSQL store needs psycopg: pip install 'rasd[postgresql]' (or psycopg[binary])"
            ) from e
        self.url = url
        self.display = redact(url)
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory, application_name="rasd")
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to PostgreSQL store {self.display}: {str(e).strip()}") from e
        self._conn.execute("SET client_encoding = 'UTF8'")

    # -- sqlite3's interface ------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(translate(sql), tuple(params))

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Any:
        rows = [tuple(p) for p in seq]
        cur = self._conn.cursor()
        if rows:
            cur.executemany(translate(sql), rows)
        return cur

    def executescript(self, script: str) -> None:
        self._conn.execute(script.encode())  # no parameters: the simple protocol, several statements at once

    def close(self) -> None:
        self._conn.close()

    @property
    def in_transaction(self) -> bool:
        return bool(self._conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE)

    # -- what differs ------------------------------------------------------------------------------------
    def begin_write(self) -> None:
        self._conn.execute("BEGIN")
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def schema_version(self) -> int:
        if not self._conn.execute("SELECT to_regclass('rasd_schema') IS NOT NULL").fetchone()[0]:
            return 0
        row = self._conn.execute("SELECT version FROM rasd_schema").fetchone()
        return int(row[0]) if row else 0

    def migrate(self, scripts: Sequence[str]) -> None:
        if self.schema_version() >= len(scripts):
            return
        self.begin_write()  # two processes opening a new store at once: one migrates, the other then sees it done
        try:
            self._conn.execute("CREATE TABLE IF NOT EXISTS rasd_schema (version INTEGER NOT NULL)")
            if self._conn.execute("SELECT COUNT(*) FROM rasd_schema").fetchone()[0] == 0:
                self._conn.execute("INSERT INTO rasd_schema (version) VALUES (0)")
            for i in range(self.schema_version(), len(scripts)):
                self.executescript(scripts[i])
                self._conn.execute("UPDATE rasd_schema SET version = %s", (i + 1,))
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def set_read_only(self) -> None:
        self._conn.execute("SET default_transaction_read_only = on")

    def json_text(self, expr: str, key: str) -> str:
        return f"(({expr})::jsonb ->> '{key}')"

    def json_values(self, expr: str) -> str:
        return f"jsonb_array_elements_text(({expr})::jsonb) AS json_values (value)"

    def week_start(self, day: str) -> str:
        return f"rasd_week_start({day})"

    def reset_ids(self, table: str) -> None:
        self._conn.execute(f"ALTER TABLE {table} ALTER COLUMN id RESTART WITH 1")

    def fts_add(self, rowid: int, title: str, body: str) -> None:
        self._conn.execute(
            "INSERT INTO documents_fts (rowid, title, body)"
            " VALUES (%s, to_tsvector('simple', %s), to_tsvector('simple', %s))",
            (rowid, title[:MAX_INDEXED_CHARS], body[:MAX_INDEXED_CHARS]),
        )

    def fts_delete(self, rowid: int, title: str, body: str) -> None:
        self._conn.execute("DELETE FROM documents_fts WHERE rowid = %s", (rowid,))

    def fts_search(self, q: ParsedQuery, limit: int, offset: int) -> tuple[int, list[Any]]:
        tsq, params = to_tsquery(q)
        count = self._conn.execute(f"SELECT COUNT(*) FROM documents_fts WHERE (title || body) @@ {tsq}", params)
        total = int(count.fetchone()[0])
        rows = self._conn.execute(
            "SELECT d.id, d.title, d.outlet, d.published, d.text"
            f" FROM (SELECT {tsq} AS query) q, documents_fts f JOIN documents d ON d.rowid = f.rowid"
            " WHERE (f.title || f.body) @@ q.query"
            " ORDER BY ts_rank(setweight(f.title, 'A') || f.body, q.query) DESC, d.rowid LIMIT %s OFFSET %s",
            [*params, limit, offset],
        ).fetchall()
        return total, rows

    def ingest_lock(self, purpose: str) -> PostgresIngestLock:
        return PostgresIngestLock(self.url, purpose)


class PostgresIngestLock:
    """One ingest per PostgreSQL store: a session advisory lock on a connection of its own, which the server
    releases when the holder disconnects or dies. A refusal names the holder (host, pid, since when)."""

    stale_pid: int | None = None  # the server never leaves a dead holder's lock behind

    def __init__(self, url: str, purpose: str = "ingest") -> None:
        self.url = url
        self.display = redact(url)
        self.purpose = purpose
        self._db: PostgresDatabase | None = None

    def acquire(self) -> PostgresIngestLock:
        from rasd.store.lock import StoreLocked

        db = PostgresDatabase(self.url)
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        name = f"rasd {self.purpose} pid {os.getpid()} on {socket.gethostname()} since {since}"[:63]
        db.execute("SELECT set_config('application_name', ?, false)", (name,))
        if not db.execute("SELECT pg_try_advisory_lock(?)", (INGEST_LOCK,)).fetchone()[0]:
            row = db.execute(
                "SELECT a.application_name, a.client_addr::text, a.backend_start::text FROM pg_locks l"
                " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                " AND ((l.classid::bigint << 32) | l.objid::bigint) = ? LIMIT 1",
                (INGEST_LOCK,),
            ).fetchone()
            db.close()
            holder: dict[str, object] = {}
            if row:
                holder = {"application_name": row[0], "client": row[1], "connected": row[2]}
            m = re.match(r"rasd (\w+) pid (\d+) on (.+?) since (\S+)", str(holder.get("application_name") or ""))
            if m:
                holder.update(purpose=m[1], pid=int(m[2]), host=m[3], since=m[4])
            who = f"pid {m[2]} on {m[3]}, since {m[4]}" if m else str(holder.get("application_name") or "unknown")
            raise StoreLocked(
                f"store {self.display} is being written by another ingest ({who}); wait for it to finish or stop it,"
                " then run again (reading the store meanwhile is fine).",
                holder,
            )
        self._db = db
        return self

    def release(self) -> None:
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.execute("SELECT pg_advisory_unlock(?)", (INGEST_LOCK,))
            self._db.close()
            self._db = None

    def __enter__(self) -> PostgresIngestLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
