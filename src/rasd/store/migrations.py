"""Schema migrations: an ordered list of SQL scripts, one per database, run in the same order on both.

SQLite records how many have run in `PRAGMA user_version`, PostgreSQL in the one-row table `rasd_schema`. The
PostgreSQL scripts make the same tables, columns, keys and indexes; where SQLite has an implicit `rowid` that the
queries use, PostgreSQL has an identity column of that name, text sorts by code point (COLLATE "C", as SQLite's
BINARY) and full-text search is a tsvector per column with a GIN index instead of an FTS5 table.
"""

from __future__ import annotations

SQLITE: list[str] = [
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
    # 2: the actors of each event by global id (record ids are local to one article), so that events can be
    # filtered by actor and drawn as a network without reading every record; indexes for the web filters.
    """
    CREATE TABLE event_actors (
        doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        role TEXT NOT NULL,  -- a | b | reported_by
        actor_id TEXT NOT NULL
    );
    CREATE INDEX event_actors_actor ON event_actors(actor_id, role);
    CREATE INDEX event_actors_event ON event_actors(doc_rowid, idx);
    CREATE INDEX events_type ON events(type);
    CREATE INDEX documents_outlet ON documents(outlet);
    DROP INDEX mentions_actor;
    CREATE INDEX mentions_actor_doc ON mentions(actor_id, doc_rowid);  -- actor rankings from the index alone
    INSERT INTO event_actors (doc_rowid, idx, role, actor_id)
    SELECT e.doc_rowid, e.idx, r.role,
           COALESCE(NULLIF(json_extract(ra.value, '$.kb_id'), ''), NULLIF(json_extract(ra.value, '$.local_key'), ''),
                    'local:?:' || json_extract(ra.value, '$.id'))
    FROM events e
    JOIN documents d ON d.rowid = e.doc_rowid
    JOIN (SELECT 'a' AS role, '$.actors_a' AS path UNION ALL SELECT 'b', '$.actors_b'
          UNION ALL SELECT 'reported_by', '$.reported_by') r
    JOIN json_each(e.data, r.path) ea
    JOIN json_each(d.record, '$.actors') ra ON json_extract(ra.value, '$.id') = ea.value
    WHERE d.record IS NOT NULL;
    """,
    # 3: cross-article event merge. One merged event per distinct event; each extracted event (a row of
    # `events`, keyed by its document and index) is one mention of exactly one merged event. The rules live in
    # rasd.events.merge; the store applies them incrementally at ingest and rebuilds what a deletion touches.
    """
    CREATE TABLE store_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO store_meta (key, value) VALUES ('merge_window_days', '2');

    CREATE TABLE merged_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- ids of deleted merged events are never handed out again
        type TEXT NOT NULL,
        actors_key TEXT,                 -- rasd.events.merge.actors_key; NULL: never merged (unidentified actor)
        symmetric INTEGER NOT NULL,
        actors_a TEXT NOT NULL,          -- JSON list of actors.id, from the first mention
        actors_b TEXT NOT NULL,
        mode TEXT,
        status TEXT NOT NULL,            -- rasd.events.merge.merged_status of the mentions
        location TEXT,
        date TEXT,                       -- the stated date the mentions agree on (any precision), or NULL
        date_min TEXT,                   -- earliest and latest stated dates among the mentions
        date_max TEXT,
        sort_date TEXT,                  -- date, else the earliest publication date: ordering and date filters
        anchor_stated TEXT,              -- reference dates a new mention is compared with (set once)
        anchor_day INTEGER,              -- proleptic ordinal of the first stated day
        anchor_pub INTEGER,              -- proleptic ordinal of the first publication date
        n_mentions INTEGER NOT NULL,
        first_seen TEXT NOT NULL         -- when the first mention was ingested
    );
    CREATE INDEX merged_events_day ON merged_events(type, actors_key, anchor_day);
    CREATE INDEX merged_events_pub ON merged_events(type, actors_key, anchor_pub);
    CREATE INDEX merged_events_sort ON merged_events(sort_date);

    CREATE TABLE event_mentions (
        doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx INTEGER NOT NULL,            -- events.idx of the same document
        merged_id INTEGER NOT NULL REFERENCES merged_events(id),
        actors_key TEXT,
        day INTEGER,                     -- ordinal of the stated day, if any
        pub INTEGER,                     -- ordinal of the publication date, if any
        actors_a TEXT NOT NULL,          -- JSON lists of actors.id as this article has them
        actors_b TEXT NOT NULL,
        reported_by TEXT NOT NULL,
        PRIMARY KEY (doc_rowid, idx)
    );
    CREATE INDEX event_mentions_merged ON event_mentions(merged_id);
    CREATE INDEX event_mentions_key ON event_mentions(actors_key);
    """,
]

# Text columns sort and compare by code point, as in SQLite, whatever the database's collation.
_T = 'TEXT COLLATE "C"'

POSTGRESQL: list[str] = [
    # 1
    f"""
    CREATE TABLE documents (
        rowid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id {_T} NOT NULL UNIQUE,
        title {_T},
        outlet {_T},
        url {_T},
        published {_T},
        published_basis {_T},
        source_path {_T},
        content_hash {_T} NOT NULL,
        norm_hash {_T} NOT NULL,
        text {_T} NOT NULL,
        duplicate_of {_T},
        similarity DOUBLE PRECISION,
        record {_T},
        minhash BYTEA,
        ingested_at {_T} NOT NULL
    );
    CREATE INDEX documents_content_hash ON documents(content_hash);
    CREATE INDEX documents_norm_hash ON documents(norm_hash);
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_duplicate_of ON documents(duplicate_of);

    CREATE TABLE actors (
        id {_T} PRIMARY KEY,
        kind {_T},
        name_en {_T},
        name_ar {_T},
        wikidata {_T}
    );
    CREATE TABLE mentions (
        doc_rowid BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        actor_id {_T} NOT NULL,
        start BIGINT NOT NULL,
        "end" BIGINT NOT NULL,
        text {_T} NOT NULL
    );
    CREATE INDEX mentions_actor ON mentions(actor_id);
    CREATE INDEX mentions_doc ON mentions(doc_rowid);
    CREATE TABLE quotes (
        doc_rowid BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx BIGINT NOT NULL,
        speaker_id {_T},
        speaker_text {_T},
        text {_T} NOT NULL,
        start BIGINT NOT NULL,
        "end" BIGINT NOT NULL
    );
    CREATE INDEX quotes_speaker ON quotes(speaker_id);
    CREATE INDEX quotes_doc ON quotes(doc_rowid);
    CREATE TABLE sources (
        doc_rowid BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        kind {_T} NOT NULL,
        actor_id {_T},
        text {_T} NOT NULL,
        count BIGINT,
        named BIGINT NOT NULL,
        start BIGINT,
        "end" BIGINT
    );
    CREATE INDEX sources_doc ON sources(doc_rowid);
    CREATE TABLE events (
        doc_rowid BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx BIGINT NOT NULL,
        type {_T} NOT NULL,
        mode {_T},
        status {_T},
        date {_T},
        data {_T} NOT NULL
    );
    CREATE INDEX events_doc ON events(doc_rowid);
    CREATE TABLE failures (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        path {_T} NOT NULL,
        line BIGINT NOT NULL DEFAULT 0,  -- 0: the whole file
        code {_T} NOT NULL,
        reason {_T} NOT NULL,
        at {_T} NOT NULL,
        UNIQUE (path, line, code)
    );
    CREATE TABLE minhash_bands (
        band BIGINT NOT NULL,
        hash BIGINT NOT NULL,
        doc_rowid BIGINT NOT NULL,
        PRIMARY KEY (band, hash, doc_rowid)
    );
    -- rasd.store.search.index_text of the title and of the body, parsed by the 'simple' configuration (no
    -- stemming: the text is normalised and its clitics split before it gets here).
    CREATE TABLE documents_fts (
        rowid BIGINT PRIMARY KEY REFERENCES documents(rowid) ON DELETE CASCADE,
        title TSVECTOR NOT NULL,
        body TSVECTOR NOT NULL
    );
    CREATE INDEX documents_fts_all ON documents_fts USING GIN ((title || body));
    """,
    # 2
    """
    CREATE TABLE event_actors (
        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
        doc_rowid BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx BIGINT NOT NULL,
        role TEXT COLLATE "C" NOT NULL,  -- a | b | reported_by
        actor_id TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX event_actors_actor ON event_actors(actor_id, role);
    CREATE INDEX event_actors_event ON event_actors(doc_rowid, idx);
    CREATE INDEX events_type ON events(type);
    CREATE INDEX documents_outlet ON documents(outlet);
    DROP INDEX mentions_actor;
    CREATE INDEX mentions_actor_doc ON mentions(actor_id, doc_rowid);
    INSERT INTO event_actors (doc_rowid, idx, role, actor_id)
    SELECT e.doc_rowid, e.idx, r.role,
           COALESCE(NULLIF(ra.value ->> 'kb_id', ''), NULLIF(ra.value ->> 'local_key', ''),
                    'local:?:' || (ra.value ->> 'id'))
    FROM events e
    JOIN documents d ON d.rowid = e.doc_rowid
    CROSS JOIN (VALUES (1, 'a', 'actors_a'), (2, 'b', 'actors_b'), (3, 'reported_by', 'reported_by')) r (n, role, key)
    CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE jsonb_typeof(e.data::jsonb -> r.key) WHEN 'array' THEN e.data::jsonb -> r.key ELSE '[]' END
    ) WITH ORDINALITY ea (value, n)
    JOIN LATERAL jsonb_array_elements(
        CASE jsonb_typeof(d.record::jsonb -> 'actors') WHEN 'array' THEN d.record::jsonb -> 'actors' ELSE '[]' END
    ) ra (value) ON ra.value ->> 'id' = ea.value
    WHERE d.record IS NOT NULL
    ORDER BY e.doc_rowid, e.idx, r.n, ea.n;  -- the order SQLite's json_each gives
    """,
    # 3
    f"""
    CREATE TABLE store_meta (
        key {_T} PRIMARY KEY,
        value {_T} NOT NULL
    );
    INSERT INTO store_meta (key, value) VALUES ('merge_window_days', '2');

    CREATE TABLE merged_events (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        type {_T} NOT NULL,
        actors_key {_T},
        "symmetric" BIGINT NOT NULL,  -- a reserved word in PostgreSQL
        actors_a {_T} NOT NULL,
        actors_b {_T} NOT NULL,
        mode {_T},
        status {_T} NOT NULL,
        location {_T},
        date {_T},
        date_min {_T},
        date_max {_T},
        sort_date {_T},
        anchor_stated {_T},
        anchor_day BIGINT,
        anchor_pub BIGINT,
        n_mentions BIGINT NOT NULL,
        first_seen {_T} NOT NULL
    );
    CREATE INDEX merged_events_day ON merged_events(type, actors_key, anchor_day);
    CREATE INDEX merged_events_pub ON merged_events(type, actors_key, anchor_pub);
    CREATE INDEX merged_events_sort ON merged_events(sort_date);

    CREATE TABLE event_mentions (
        doc_rowid BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        idx BIGINT NOT NULL,
        merged_id BIGINT NOT NULL REFERENCES merged_events(id),
        actors_key {_T},
        day BIGINT,
        pub BIGINT,
        actors_a {_T} NOT NULL,
        actors_b {_T} NOT NULL,
        reported_by {_T} NOT NULL,
        PRIMARY KEY (doc_rowid, idx)
    );
    CREATE INDEX event_mentions_merged ON event_mentions(merged_id);
    CREATE INDEX event_mentions_key ON event_mentions(actors_key);

    -- the Monday of an ISO day's week ('YYYY-MM-DD'), NULL for what is not a valid day (SQLite's date() does so)
    CREATE FUNCTION rasd_week_start(day TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        RETURN to_char(date_trunc('week', day::date), 'YYYY-MM-DD');
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END $$;
    """,
]

MIGRATIONS = SQLITE
assert len(SQLITE) == len(POSTGRESQL)
