"""Helpers shared by tests that build stores: the bundled samples as a corpus, and a store's tables as data."""

from __future__ import annotations

import shutil
from pathlib import Path

from rasd.store import SQLiteStore

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "rasd" / "samples"

# What two stores built from the same input must agree on, table by table (rowids included: same order).
TABLES = {
    "documents": "id, title, outlet, url, published, published_basis, source_path, content_hash, duplicate_of,"
    " similarity, record",
    "mentions": 'doc_rowid, actor_id, start, "end", text',
    "events": "doc_rowid, idx, type, status, date, data",
    "quotes": "doc_rowid, idx, speaker_id, text, start",
    "failures": "path, line, code, reason",
}


def copy_samples(dest: Path) -> Path:
    """The bundled sample articles (text, HTML and JSON lines) copied into `dest`."""
    for p in SAMPLES.iterdir():
        if p.suffix in (".txt", ".html", ".jsonl"):
            shutil.copy(p, dest / p.name)
    return dest


def dump_store(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables in TABLES, in a stable order, for comparing two stores."""
    store = SQLiteStore(db)
    try:
        return {
            table: [tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM {table} ORDER BY 1, 2")]
            for table, cols in TABLES.items()
        }
    finally:
        store.close()
