"""The database under a store: SQLite (a file path or ':memory:') or PostgreSQL (a postgresql:// URL).

Both are reached through a connection with sqlite3's interface (`execute`, `executemany`, rows read by index or
by name) plus the few operations whose SQL differs: a write transaction, the schema version and migrations,
read-only sessions, full-text search, a JSON field, week arithmetic and the ingest lock. Every other statement
of the store is written once, in SQL both understand.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from rasd.store.search import ParsedQuery, to_fts5

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says what to do."""


def is_postgres(db: str | Path) -> bool:
    return str(db).startswith(POSTGRES_SCHEMES)


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Any: ...


class Database(Protocol):
    """What the store needs of a connection (see the module docstring)."""

    kind: str  # "sqlite" | "postgresql"
    display: str  # how messages name the store: its path, or its URL without a password
    like: str  # case-insensitive LIKE

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Any: ...
    def close(self) -> None: ...
    @property
    def in_transaction(self) -> bool: ...
    def begin_write(self) -> None: ...
    def schema_version(self) -> int: ...
    def migrate(self, scripts: Sequence[str]) -> None: ...
    def set_read_only(self) -> None: ...
    def json_text(self, expr: str, key: str) -> str: ...
    def json_values(self, expr: str) -> str: ...  # a FROM item: the JSON list's elements as column `value`
    def week_start(self, day: str) -> str: ...
    def reset_ids(self, table: str) -> None: ...
    def fts_add(self, rowid: int, title: str, body: str) -> None: ...
    def fts_delete(self, rowid: int, title: str, body: str) -> None: ...
    def fts_search(self, q: ParsedQuery, limit: int, offset: int) -> tuple[int, list[Any]]: ...
    def ingest_lock(self, purpose: str) -> contextlib.AbstractContextManager[Any]: ...


class SQLiteDatabase(sqlite3.Connection):
    """sqlite3's connection with the operations of `Database`."""

    kind = "sqlite"
    like = "LIKE"  # case-insensitive for ASCII already
    display = ""

    def begin_write(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def schema_version(self) -> int:
        return int(self.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, scripts: Sequence[str]) -> None:
        for i in range(self.schema_version(), len(scripts)):
            try:
                self.executescript(f"BEGIN IMMEDIATE; {scripts[i]}; PRAGMA user_version={i + 1}; COMMIT;")
            except BaseException:
                if self.in_transaction:
                    self.execute("ROLLBACK")
                raise

    def set_read_only(self) -> None:
        self.execute("PRAGMA query_only=ON")

    def json_text(self, expr: str, key: str) -> str:
        return f"json_extract({expr}, '$.{key}')"

    def json_values(self, expr: str) -> str:
        return f"json_each({expr})"

    def week_start(self, day: str) -> str:
        return f"date({day}, 'weekday 0', '-6 days')"  # the Monday of the week

    def reset_ids(self, table: str) -> None:
        self.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))

    def fts_add(self, rowid: int, title: str, body: str) -> None:
        self.execute("INSERT INTO documents_fts (rowid, title, body) VALUES (?,?,?)", (rowid, title, body))

    def fts_delete(self, rowid: int, title: str, body: str) -> None:
        # a contentless FTS5 table forgets a row when told the very text it indexed
        self.execute(
            "INSERT INTO documents_fts (documents_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
            (rowid, title, body),
        )

    def fts_search(self, q: ParsedQuery, limit: int, offset: int) -> tuple[int, list[Any]]:
        fts = to_fts5(q)
        count = self.execute("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?", (fts,))
        total = int(count.fetchone()[0])
        rows = self.execute(
            "SELECT d.id, d.title, d.outlet, d.published, d.text FROM documents_fts f"
            " JOIN documents d ON d.rowid = f.rowid WHERE documents_fts MATCH ? ORDER BY f.rank LIMIT ? OFFSET ?",
            (fts, limit, offset),
        ).fetchall()
        return total, rows

    def ingest_lock(self, purpose: str) -> contextlib.AbstractContextManager[Any]:
        from rasd.store.lock import IngestLock

        if self.display == ":memory:":
            return contextlib.nullcontext()
        return IngestLock(self.display, purpose=purpose)


def connect_sqlite(path: str) -> SQLiteDatabase:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False, factory=SQLiteDatabase)
    conn.display = path
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def database_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a database raises for a bad file, a lost server or a failed statement."""
    errors: list[type[BaseException]] = [sqlite3.DatabaseError]
    with contextlib.suppress(ImportError):
        import psycopg

        errors.append(psycopg.Error)
    return tuple(errors)


def operational_errors() -> tuple[type[BaseException], ...]:
    """The exceptions for a database that can no longer be written (disk full, read-only, server gone)."""
    errors: list[type[BaseException]] = [sqlite3.OperationalError]
    with contextlib.suppress(ImportError):
        import psycopg

        errors.append(psycopg.OperationalError)
    return tuple(errors)
