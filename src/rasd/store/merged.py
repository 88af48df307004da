"""Merged events in the store: incremental merging at ingest, rebuilds after deletions, and reads.

The rules are rasd.events.merge's; this module only keeps `merged_events` and `event_mentions` (the merge migration)
in step with `events`. Each stored event is one mention of exactly one merged event. A new mention is matched
against candidates found through an index (type, participants, date window), so ingest stays incremental.
Deleting an article replays the mentions of the groups it touched (same type and participants) in ingest order,
which gives exactly the merged events the store would hold had the article never been stored; a merged event
whose first mention survives keeps its id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from rasd.events.merge import (
    Cluster,
    When,
    actor_identity,
    actors_key,
    choose,
    consensus_date,
    is_symmetric,
    merged_status,
    most_common,
    when,
)
from rasd.store.db import Database
from rasd.store.filters import Filters


@dataclass(frozen=True)
class ActorRef:
    id: str  # actors.id: the KB id or the local key
    name_ar: str | None = None
    name_en: str | None = None
    wikidata: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class EventMention:
    """One article's report of a merged event, with the exact characters that state it."""

    doc_id: str
    idx: int  # the event's index in its record's `events`
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    status: str | None
    mode: str | None
    date: str | None
    location: str | None
    actors_a: list[ActorRef]
    actors_b: list[ActorRef]
    evidence: dict[str, Any]  # {"text", "start", "end"}: offsets into the document's text
    trigger: dict[str, Any] | None
    reported_by: list[ActorRef]
    sources: list[dict[str, Any]]  # the article's cited sources inside the evidence span
    confidence: float | None


@dataclass(frozen=True)
class MergedEvent:
    id: int
    type: str
    mode: str | None
    status: str
    date: str | None
    date_min: str | None
    date_max: str | None
    sort_date: str | None
    location: str | None
    symmetric: bool
    actors_a: list[ActorRef]
    actors_b: list[ActorRef]
    first_seen: str
    mentions: list[EventMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MentionRow:
    """What merging needs to know about one stored event."""

    doc_rowid: int
    idx: int
    type: str
    key: str | None
    when: When
    actors_a: list[str]
    actors_b: list[str]
    reported_by: list[str]


def store_actor_ids(record: Mapping[str, Any]) -> dict[str, str]:
    """Record actor id (a1, a2 ...) -> the `actors.id` the store files it under."""
    return {a["id"]: (a.get("kb_id") or a.get("local_key") or f"local:?:{a['id']}") for a in record.get("actors", [])}


def mention_rows(rowid: int, record: Mapping[str, Any]) -> list[MentionRow]:
    """The merge view of a record's events."""
    store_id = store_actor_ids(record)
    ident = {a["id"]: actor_identity(a) for a in record.get("actors", [])}
    rows = []
    for i, e in enumerate(record.get("events", [])):
        a, b = e.get("actors_a") or [], e.get("actors_b") or []
        side_a = [ident.get(x) for x in a]  # None: known only inside this article, so never merged
        side_b = [ident.get(x) for x in b]
        rows.append(
            MentionRow(
                rowid,
                i,
                e["type"],
                actors_key(e["type"], side_a, side_b),
                when(e.get("date"), record.get("published")),
                [store_id[x] for x in a if x in store_id],
                [store_id[x] for x in b if x in store_id],
                [store_id[x] for x in e.get("reported_by", []) if x in store_id],
            )
        )
    return rows


# -- writes --------------------------------------------------------------------------------------------------------
def assign(conn: Database, m: MentionRow, window: int, reuse: Mapping[tuple[int, int], int] | None = None) -> int:
    """File one mention under the merged event it joins (or a new one); returns the merged id.

    `reuse`: while a group is replayed, the id a merged event had when this mention was its first.
    """
    best: Cluster | None = None
    if m.key is not None:
        clauses, params = [], []
        if m.when.day is not None:
            clauses.append("anchor_day BETWEEN ? AND ?")
            params += [m.when.day - window, m.when.day + window]
        if m.when.pub is not None:
            clauses.append("anchor_pub BETWEEN ? AND ?")
            params += [m.when.pub - window, m.when.pub + window]
        if clauses:
            rows = conn.execute(
                "SELECT id, anchor_stated, anchor_day, anchor_pub FROM merged_events m"
                f" WHERE type = ? AND actors_key = ? AND ({' OR '.join(clauses)})"
                " AND NOT EXISTS (SELECT 1 FROM event_mentions x WHERE x.merged_id = m.id AND x.doc_rowid = ?)",
                [m.type, m.key, *params, m.doc_rowid],
            ).fetchall()
            best = choose((Cluster(r[0], r[1], r[2], r[3]) for r in rows), m.doc_rowid, m.when, window)
    if best is not None:
        merged_id = best.id
    else:
        old_id = (reuse or {}).get((m.doc_rowid, m.idx))
        cols, marks, params = "", "", [m.type, m.key, int(is_symmetric(m.type)), "[]", "[]"]
        if old_id is not None:  # omitted, not NULL, otherwise: PostgreSQL's identity column takes no NULL
            cols, marks, params = "id, ", "?,", [old_id, *params]
        cur = conn.execute(
            f'INSERT INTO merged_events ({cols}type, actors_key, "symmetric", actors_a, actors_b, status, n_mentions,'
            f" first_seen) VALUES ({marks}?,?,?,?,?,'occurred',0,'') RETURNING id",
            params,
        )
        merged_id = int(cur.fetchone()[0])
    conn.execute(
        "INSERT INTO event_mentions (doc_rowid, idx, merged_id, actors_key, day, pub, actors_a, actors_b,"
        " reported_by) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            m.doc_rowid,
            m.idx,
            merged_id,
            m.key,
            m.when.day,
            m.when.pub,
            _dumps(m.actors_a),
            _dumps(m.actors_b),
            _dumps(m.reported_by),
        ),
    )
    refresh(conn, merged_id)
    return merged_id


def refresh(conn: Database, merged_id: int) -> None:
    """Recompute a merged event's summary from its mentions (or drop it when none is left)."""
    rows = conn.execute(
        "SELECT em.actors_a, em.actors_b, em.day, em.pub, e.mode, e.status, e.date,"
        f" {conn.json_text('e.data', 'location')} AS location, d.published, d.ingested_at"
        " FROM event_mentions em JOIN events e ON e.doc_rowid = em.doc_rowid AND e.idx = em.idx"
        " JOIN documents d ON d.rowid = em.doc_rowid WHERE em.merged_id = ? ORDER BY em.doc_rowid, em.idx",
        (merged_id,),
    ).fetchall()
    if not rows:
        conn.execute("DELETE FROM merged_events WHERE id = ?", (merged_id,))
        return
    stated = [r["date"] for r in rows]
    known = [d for d in stated if d]
    date = consensus_date(stated)
    pubs = [r["published"][:10] for r in rows if r["published"]]
    conn.execute(
        "UPDATE merged_events SET actors_a = ?, actors_b = ?, mode = ?, status = ?, location = ?, date = ?,"
        " date_min = ?, date_max = ?, sort_date = ?, anchor_stated = ?, anchor_day = ?, anchor_pub = ?,"
        " n_mentions = ?, first_seen = ? WHERE id = ?",
        (
            rows[0]["actors_a"],
            rows[0]["actors_b"],
            most_common([r["mode"] for r in rows]),
            merged_status([r["status"] for r in rows]),
            most_common([r["location"] for r in rows]),
            date,
            min(known) if known else None,
            max(known) if known else None,
            date or (min(pubs) if pubs else None),
            known[0] if known else None,
            next((r["day"] for r in rows if r["day"] is not None), None),
            next((r["pub"] for r in rows if r["pub"] is not None), None),
            len(rows),
            min(r["ingested_at"] for r in rows),
            merged_id,
        ),
    )


def add_record(conn: Database, rowid: int, record: Mapping[str, Any], window: int) -> None:
    for m in mention_rows(rowid, record):
        assign(conn, m, window)


def groups_of(conn: Database, rowid: int) -> tuple[set[tuple[str, str]], set[int]]:
    """The (type, participants) groups and merged events an article's mentions belong to."""
    rows = conn.execute(
        "SELECT e.type, em.actors_key, em.merged_id FROM event_mentions em"
        " JOIN events e ON e.doc_rowid = em.doc_rowid AND e.idx = em.idx WHERE em.doc_rowid = ?",
        (rowid,),
    ).fetchall()
    return {(r[0], r[1]) for r in rows if r[1] is not None}, {r[2] for r in rows}


def rebuild_groups(conn: Database, groups: set[tuple[str, str]], merged_ids: set[int], window: int) -> None:
    """Replay the surviving mentions of these groups in ingest order; drop merged events left empty."""
    for event_type, key in sorted(groups):
        rows = conn.execute(
            "SELECT em.*, e.type, e.date FROM event_mentions em"
            " JOIN events e ON e.doc_rowid = em.doc_rowid AND e.idx = em.idx"
            " WHERE em.actors_key = ? AND e.type = ? ORDER BY em.doc_rowid, em.idx",
            (key, event_type),
        ).fetchall()
        reuse: dict[tuple[int, int], int] = {}  # first surviving mention -> the id its merged event had
        seen: set[int] = set()
        for r in rows:
            if r["merged_id"] not in seen:
                seen.add(r["merged_id"])
                reuse[(r["doc_rowid"], r["idx"])] = r["merged_id"]
        conn.executemany("DELETE FROM event_mentions WHERE doc_rowid = ? AND idx = ?", [(r[0], r[1]) for r in rows])
        conn.execute("DELETE FROM merged_events WHERE type = ? AND actors_key = ?", (event_type, key))
        for r in rows:
            m = MentionRow(
                r["doc_rowid"],
                r["idx"],
                r["type"],
                key,
                When(r["date"], r["day"], r["pub"]),
                json.loads(r["actors_a"]),
                json.loads(r["actors_b"]),
                json.loads(r["reported_by"]),
            )
            assign(conn, m, window, reuse)
    for merged_id in merged_ids:
        refresh(conn, merged_id)  # drops those whose only mentions were deleted


def rebuild_all(conn: Database, window: int) -> None:
    """Merge every stored event afresh, in ingest order (a new window, a store from before merging)."""
    conn.execute("DELETE FROM event_mentions")
    conn.execute("DELETE FROM merged_events")
    conn.reset_ids("merged_events")
    for rowid, rec in conn.execute("SELECT rowid, record FROM documents WHERE record IS NOT NULL ORDER BY rowid"):
        add_record(conn, rowid, json.loads(rec), window)


# -- reads ---------------------------------------------------------------------------------------------------------
def iter_merged(
    conn: Database,
    filters: Filters | None = None,
    *,
    merged_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[MergedEvent]:
    """Merged events matching every filter given, by date then id, each with its mentions. `start`/`end` are
    compared with the event's date, or its first report's publication date when the reports state none;
    `actor` may be on either side; `outlet` is one its reports come from."""
    f = (filters or Filters()).checked()
    type, status, start, end, actor, outlet = f.type, f.status, f.start, f.end, f.actor, f.outlet
    where, params = [], []
    if merged_id is not None:
        where.append("m.id = ?")
        params.append(merged_id)
    if type:
        where.append("m.type = ?")
        params.append(type.upper())
    if status:
        where.append("m.status = ?")
        params.append(status)
    if start:
        where.append("substr(m.sort_date, 1, ?) >= ?")
        params += [len(start), start]
    if end:
        where.append("substr(m.sort_date, 1, ?) <= ?")
        params += [len(end), end]
    if actor:
        where.append(
            f"EXISTS (SELECT 1 FROM (SELECT value FROM {conn.json_values('m.actors_a')} UNION ALL"
            f" SELECT value FROM {conn.json_values('m.actors_b')}) j LEFT JOIN actors a ON a.id = j.value"
            " WHERE j.value = ? OR a.wikidata = ?)"
        )
        params += [actor, actor]
    if outlet:
        where.append(
            "EXISTS (SELECT 1 FROM event_mentions x JOIN documents d ON d.rowid = x.doc_rowid"
            " WHERE x.merged_id = m.id AND d.outlet = ?)"
        )
        params.append(outlet)
    sql = "SELECT * FROM merged_events m"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY m.sort_date IS NULL, m.sort_date, m.id"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [2**62 if limit is None else limit, offset]  # "no limit" that both databases accept
    actors: dict[str, ActorRef] = {}
    for r in conn.execute(sql, params):
        yield MergedEvent(
            id=r["id"],
            type=r["type"],
            mode=r["mode"],
            status=r["status"],
            date=r["date"],
            date_min=r["date_min"],
            date_max=r["date_max"],
            sort_date=r["sort_date"],
            location=r["location"],
            symmetric=bool(r["symmetric"]),
            actors_a=_refs(conn, json.loads(r["actors_a"]), actors),
            actors_b=_refs(conn, json.loads(r["actors_b"]), actors),
            first_seen=r["first_seen"],
            mentions=_mentions(conn, r["id"], actors),
        )


def _mentions(conn: Database, merged_id: int, actors: dict[str, ActorRef]) -> list[EventMention]:
    rows = conn.execute(
        "SELECT em.doc_rowid, em.idx, em.actors_a, em.actors_b, em.reported_by, e.status, e.mode, e.date, e.data,"
        " d.id, d.outlet, d.title, d.url, d.published FROM event_mentions em"
        " JOIN events e ON e.doc_rowid = em.doc_rowid AND e.idx = em.idx"
        " JOIN documents d ON d.rowid = em.doc_rowid WHERE em.merged_id = ? ORDER BY em.doc_rowid, em.idx",
        (merged_id,),
    ).fetchall()
    out = []
    for r in rows:
        data = json.loads(r["data"])
        ev = data.get("evidence") or {}
        out.append(
            EventMention(
                doc_id=r["id"],
                idx=r["idx"],
                outlet=r["outlet"],
                title=r["title"],
                url=r["url"],
                published=r["published"],
                status=r["status"],
                mode=r["mode"],
                date=r["date"],
                location=data.get("location"),
                actors_a=_refs(conn, json.loads(r["actors_a"]), actors),
                actors_b=_refs(conn, json.loads(r["actors_b"]), actors),
                evidence=ev,
                trigger=data.get("trigger"),
                reported_by=_refs(conn, json.loads(r["reported_by"]), actors),
                sources=_sources(conn, r["doc_rowid"], ev.get("start"), ev.get("end")),
                confidence=data.get("confidence"),
            )
        )
    return out


def _sources(conn: Database, rowid: int, start: int | None, end: int | None) -> list[dict[str, Any]]:
    """The article's cited sources (media, unnamed officials ...) that lie inside the evidence span."""
    if start is None or end is None:
        return []
    rows = conn.execute(
        'SELECT kind, actor_id, text, count, named, start, "end" FROM sources'
        ' WHERE doc_rowid = ? AND start >= ? AND "end" <= ? ORDER BY start, "end", kind, text',
        (rowid, start, end),
    ).fetchall()
    return [{**dict(r), "named": bool(r["named"])} for r in rows]


def _refs(conn: Database, ids: list[str], cache: dict[str, ActorRef]) -> list[ActorRef]:
    out = []
    for i in ids:
        if i not in cache:
            r = conn.execute("SELECT name_ar, name_en, wikidata, kind FROM actors WHERE id = ?", (i,)).fetchone()
            cache[i] = ActorRef(i, *r) if r else ActorRef(i)
        out.append(cache[i])
    return out


def _dumps(ids: list[str]) -> str:
    return json.dumps(ids, ensure_ascii=False)
