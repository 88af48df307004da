"""Storage of documents, records and failures: SQLite (a file, the default) or PostgreSQL (a shared server)."""

from rasd.store.core import Store, StoreError
from rasd.store.db import is_postgres, operational_errors
from rasd.store.lock import IngestLock, StoreLocked
from rasd.store.search import SearchError, build_fts_query, index_text

__all__ = [
    "IngestLock",
    "SearchError",
    "Store",
    "StoreError",
    "StoreLocked",
    "build_fts_query",
    "index_text",
    "is_postgres",
    "open_store",
    "operational_errors",
]


def open_store(db: str) -> Store:
    """Open (creating and migrating as needed) the store named by `db`: a file path, ':memory:', or a
    postgresql:// URL of an existing database."""
    return Store(db)
