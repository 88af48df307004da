"""Helpers shared by tests that build stores: the bundled samples as a corpus, and a store's tables as data."""

from __future__ import annotations

import shutil
from pathlib import Path

from rasd.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "rasd" / "samples"

# What two stores built from the same input must agree on, table by table (rowids included: same order).
TABLES = {
    "documents": "id, title, outlet, url, published, published_basis, source_path, content_hash, duplicate_of,"
    " similarity, record",
    "mentions": 'doc_rowid, actor_id, start, "end", text',
    "events": "doc_rowid, idx, type, status, date, data",
    "quotes": "doc_rowid, idx, speaker_id, text, start",
    "failures": "path, line, code, reason",
    "actors": "id, kind, name_en, name_ar, wikidata",
    "sources": 'doc_rowid, kind, actor_id, text, count, named, start, "end"',
    "event_actors": "doc_rowid, idx, role, actor_id",
    "event_mentions": "doc_rowid, idx, merged_id, actors_key, day, pub, actors_a, actors_b, reported_by",
    "merged_events": 'id, type, actors_key, "symmetric", actors_a, actors_b, mode, status, location, date, date_min,'
    " date_max, sort_date, anchor_stated, anchor_day, anchor_pub, n_mentions",
    "minhash_bands": "band, hash, doc_rowid",
}


def copy_samples(dest: Path) -> Path:
    """The bundled sample articles (text, HTML and JSON lines) copied into `dest`."""
    for p in SAMPLES.iterdir():
        if p.suffix in (".txt", ".html", ".jsonl"):
            shutil.copy(p, dest / p.name)
    return dest


def mixed_corpus(dest: Path) -> Path:
    """The bundled samples, plus an exact copy of one under another name and a broken file, in `dest`."""
    copy_samples(dest)
    first = sorted(SAMPLES.glob("*.txt"))[0]
    shutil.copy(first, dest / ("zz_copy_of_" + first.name))
    (dest / "broken.json").write_text("{not json", encoding="utf-8")
    return dest


def dump_store(db: str | Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables in TABLES, in a stable order, for comparing two stores (SQLite or PostgreSQL)."""
    store = Store(db)
    try:
        return {
            table: sorted((tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM {table}")), key=repr)
            for table, cols in TABLES.items()
        }
    finally:
        store.close()
