"""Schema migrations: an ordered list of SQL scripts; `PRAGMA user_version` records how many have run."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: documents, their extracted facts, failures, duplicate detection, full-text search.
    """
    CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        outlet TEXT,
        url TEXT,
        published TEXT,
        published_basis TEXT,
        source_path TEXT,
        content_hash TEXT NOT NULL,
        norm_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        duplicate_of TEXT,
        similarity REAL,
        record TEXT,
        minhash BLOB,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_content_hash ON documents(content_hash);
    CREATE INDEX documents_norm_hash ON documents(norm_hash);
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_duplicate_of ON documents(duplicate_of);

    CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        kind TEXT,
        name_en TEXT,
        name_ar TEXT,
        wikidata TEXT
    );
    CREATE TABLE mentions (
        doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        actor_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX mentions_actor ON mentions(actor_id);
    CREATE INDEX mentions_doc ON mentions(doc_rowid);
    CREATE TABLE quotes (
        doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker_id TEXT,
        speaker_text TEXT,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL
    );
    CREATE INDEX quotes_speaker ON quotes(speaker_id);
    CREATE INDEX quotes_doc ON quotes(doc_rowid);
    CREATE TABLE sources (
        doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        actor_id TEXT,
        text TEXT NOT NULL,
        count INTEGER,
        named INTEGER NOT NULL,
        start INTEGER,
        "end" INTEGER
    );
    CREATE INDEX sources_doc ON sources(doc_rowid);
    CREATE TABLE events (
        doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        type TEXT NOT NULL,
        mode TEXT,
        status TEXT,
        date TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX events_doc ON events(doc_rowid);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        line INTEGER NOT NULL DEFAULT 0,  -- 0: the whole file
        code TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (path, line, code)
    );
    CREATE TABLE minhash_bands (
        band INTEGER NOT NULL,
        hash INTEGER NOT NULL,
        doc_rowid INTEGER NOT NULL,
        PRIMARY KEY (band, hash, doc_rowid)
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, body, content='', tokenize='unicode61 remove_diacritics 2'
    );
    """,
]
