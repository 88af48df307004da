"""Storage of documents, records and failures (SQLite by default)."""

from rasd.store.lock import IngestLock, StoreLocked
from rasd.store.search import SearchError, build_fts_query, index_text
from rasd.store.sqlite import SQLiteStore, StoreError

__all__ = [
    "IngestLock",
    "SQLiteStore",
    "SearchError",
    "StoreError",
    "StoreLocked",
    "build_fts_query",
    "index_text",
    "open_store",
]


def open_store(db: str) -> SQLiteStore:
    """Open (creating and migrating as needed) the store named by `db`: a file path or ':memory:'."""
    return SQLiteStore(db)
