"""Read-only queries for browsing a store (the web API and pages): lists with filters, an actor's dossier,
counts over time and the actor network.

Every list is paged and every filter is a bound parameter. Dates are compared as ISO strings: an event's day is
its own date or, when the article does not date it, the publication date; month-precision dates ("2025-01")
count as the first of the month.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, ParamSpec, TypeVar

from rasd.store.core import Store
from rasd.store.filters import Filters

__all__ = ["Filters", "Page", "actor", "actors", "documents", "event", "events", "facets", "network", "quotes",
           "stats", "timeline"]  # fmt: skip

Interval = Literal["day", "week", "month"]

_RAW_DAY = "COALESCE(e.date, d.published)"
EVENT_DAY = (
    f"(CASE length({_RAW_DAY}) WHEN 7 THEN {_RAW_DAY} || '-01' WHEN 4 THEN {_RAW_DAY} || '-01-01'"
    f" ELSE substr({_RAW_DAY}, 1, 10) END)"
)
DOC_DAY = "substr(d.published, 1, 10)"


def _period(store: Store, interval: Interval) -> str:
    """The SQL of an event's period: week arithmetic is the one date function the two databases spell apart."""
    if interval == "week":
        return store.conn.week_start(EVENT_DAY)  # the Monday of the week
    return EVENT_DAY if interval == "day" else f"substr({EVENT_DAY}, 1, 7)"


P = ParamSpec("P")
R = TypeVar("R")
_MEMO: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_MEMO_MAX = 256


def generation(store: Store) -> tuple[Any, ...]:
    """What changes whenever an article is stored or deleted (any connection): the key cached answers wait on."""
    return tuple(
        store.conn.execute(
            "SELECT (SELECT MAX(rowid) FROM documents), (SELECT COUNT(*) FROM documents),"
            " (SELECT COUNT(*) FROM merged_events)"
        ).fetchone()
    )


def memoised(fn: Callable[P, R]) -> Callable[P, R]:
    """Keep the answers of an aggregate query (rankings, counts over time, the network) until the store changes.

    The overview and the actor ranking scan every mention; under many clients recomputing them for every
    request is what queues the server. Answers are shared across connections and threads, at most 256 kept."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store = args[0]
        assert isinstance(store, Store)
        key = (fn.__name__, store.path, args[1:], tuple(sorted(kwargs.items())))
        gen = generation(store)
        with _MEMO_LOCK:
            hit = _MEMO.get(key)
            if hit is not None and hit[0] == gen:
                _MEMO.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
        value = fn(*args, **kwargs)
        with _MEMO_LOCK:
            _MEMO[key] = (gen, value)
            _MEMO.move_to_end(key)
            while len(_MEMO) > _MEMO_MAX:
                _MEMO.popitem(last=False)
        return value

    return wrapper


@dataclass
class Page:
    """One page of a list and the size of the whole list."""

    results: list[dict[str, Any]]
    total: int
    extra: dict[str, Any] = field(default_factory=dict)


class _Where:
    """A WHERE clause built from conditions and their parameters."""

    def __init__(self) -> None:
        self.conds: list[str] = []
        self.params: list[Any] = []

    def add(self, cond: str, *params: Any) -> None:
        self.conds.append(cond)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.conds)) if self.conds else ""


def _doc_bounds(w: _Where, f: Filters) -> _Where:
    """The publication-date range and the outlet: what narrows documents, quotes and mentions alike."""
    if f.start:
        w.add(f"{DOC_DAY} >= ?", f.start)
    if f.end:
        w.add(f"{DOC_DAY} <= ?", f.end)
    if f.outlet:
        w.add("d.outlet = ?", f.outlet)
    return w


def _event_where(f: Filters, actor_role: Literal["a", "b"] | None = None) -> _Where:
    w = _Where()
    if f.start:
        w.add(f"{EVENT_DAY} >= ?", f.start)
    if f.end:
        w.add(f"{EVENT_DAY} <= ?", f.end)
    if f.type:
        w.add("e.type = ?", f.type)
    if f.status:
        w.add("e.status = ?", f.status)
    if f.outlet:
        w.add("d.outlet = ?", f.outlet)
    if f.actor:
        w.add(  # IN, not EXISTS: SQLite then starts from the actor's few events, not from every event
            "(e.doc_rowid, e.idx) IN (SELECT x.doc_rowid, x.idx FROM event_actors x WHERE x.actor_id = ?"
            " AND x.role IN (?, ?))",
            f.actor,
            actor_role or "a",
            actor_role or "b",
        )
    return w


def _doc_where(f: Filters) -> _Where:
    """Documents (originals only) narrowed by publication date, outlet, a mentioned actor, or an event type/status."""
    w = _Where()
    w.add("d.duplicate_of IS NULL")
    _doc_bounds(w, f)
    if f.actor:
        w.add("EXISTS (SELECT 1 FROM mentions m WHERE m.doc_rowid = d.rowid AND m.actor_id = ?)", f.actor)
    if f.type or f.status:
        cond, params = "", []
        if f.type:
            cond, params = cond + " AND e.type = ?", [*params, f.type]
        if f.status:
            cond, params = cond + " AND e.status = ?", [*params, f.status]
        w.add(f"EXISTS (SELECT 1 FROM events e WHERE e.doc_rowid = d.rowid{cond})", *params)
    return w


def _actor_refs(store: Store, doc_rowids: set[int]) -> dict[tuple[int, int], dict[str, list[dict[str, Any]]]]:
    """The actors (global id and names) of every event of these documents, by (doc_rowid, idx) and role."""
    out: dict[tuple[int, int], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    if not doc_rowids:
        return out
    marks = ",".join("?" * len(doc_rowids))
    rows = store.conn.execute(
        "SELECT x.doc_rowid, x.idx, x.role, x.actor_id, a.name_ar, a.name_en, a.kind FROM event_actors x"
        f" LEFT JOIN actors a ON a.id = x.actor_id WHERE x.doc_rowid IN ({marks}) ORDER BY x.rowid",
        sorted(doc_rowids),
    ).fetchall()
    for r in rows:
        out[(r[0], r[1])][r[2]].append({"id": r[3], "name_ar": r[4], "name_en": r[5], "kind": r[6]})
    return out


def events(
    store: Store, f: Filters, limit: int = 50, offset: int = 0, *, actor_role: Literal["a", "b"] | None = None
) -> Page:
    """Events matching `f`, newest first, with their actors resolved to store-wide ids and names.

    `actor_role` narrows the `actor` filter to events where the actor acts ("a") or is the recipient ("b").
    """
    w = _event_where(f, actor_role)
    base = f" FROM events e JOIN documents d ON d.rowid = e.doc_rowid{w.sql()}"
    total = int(store.conn.execute("SELECT COUNT(*)" + base, w.params).fetchone()[0])
    rows = store.conn.execute(
        f"SELECT d.rowid, d.id, d.title, d.outlet, d.published, e.idx, e.data, {EVENT_DAY} AS day" + base
        + " ORDER BY day DESC NULLS LAST, d.rowid DESC, e.idx LIMIT ? OFFSET ?",
        [*w.params, limit, offset],
    ).fetchall()  # fmt: skip
    refs = _actor_refs(store, {r[0] for r in rows})
    results = []
    for r in rows:
        data = json.loads(r["data"])
        who = refs.get((r[0], r["idx"]), {})
        results.append(
            {
                "id": f"{r['id']}:{r['idx']}",
                "doc_id": r["id"],
                "idx": r["idx"],
                "title": r["title"],
                "outlet": r["outlet"],
                "published": r["published"],
                "day": r["day"],
                "type": data.get("type"),
                "mode": data.get("mode"),
                "status": data.get("status"),
                "date": data.get("date"),
                "location": data.get("location"),
                "actors_a": who.get("a", []),
                "actors_b": who.get("b", []),
                "reported_by": who.get("reported_by", []),
                "evidence": data.get("evidence"),
                "trigger": data.get("trigger"),
                "confidence": data.get("confidence"),
            }
        )
    return Page(results, total)


def event(store: Store, doc_id: str, idx: int) -> dict[str, Any] | None:
    """One event with its article's sources (who the article says told it)."""
    row = store.conn.execute(
        "SELECT d.rowid, d.id, d.title, d.outlet, d.published, d.url, e.data, "
        f"{EVENT_DAY} AS day FROM events e JOIN documents d ON d.rowid = e.doc_rowid WHERE d.id = ? AND e.idx = ?",
        (doc_id, idx),
    ).fetchone()
    if row is None:
        return None
    data = json.loads(row["data"])
    who = _actor_refs(store, {row[0]}).get((row[0], idx), {})
    sources = [
        dict(s)
        for s in store.conn.execute(
            'SELECT kind, actor_id, text, count, named, start, "end" FROM sources WHERE doc_rowid = ?'
            ' ORDER BY start NULLS FIRST, "end", kind, text',
            (row[0],),
        )
    ]
    return {
        **data,
        "id": f"{doc_id}:{idx}",
        "doc_id": doc_id,
        "idx": idx,
        "title": row["title"],
        "outlet": row["outlet"],
        "published": row["published"],
        "url": row["url"],
        "day": row["day"],
        "actors_a": who.get("a", []),
        "actors_b": who.get("b", []),
        "reported_by": who.get("reported_by", []),
        "sources": sources,
    }


def documents(store: Store, f: Filters, limit: int = 50, offset: int = 0) -> Page:
    """Stored articles (duplicates left out) matching `f`, newest first, with counts of what was found in each."""
    w = _doc_where(f)
    total = int(store.conn.execute("SELECT COUNT(*) FROM documents d" + w.sql(), w.params).fetchone()[0])
    rows = store.conn.execute(
        "SELECT d.id, d.title, d.outlet, d.published, d.url,"
        " (SELECT COUNT(DISTINCT actor_id) FROM mentions WHERE doc_rowid = d.rowid) AS actors,"
        " (SELECT COUNT(*) FROM events WHERE doc_rowid = d.rowid) AS events,"
        " (SELECT COUNT(*) FROM quotes WHERE doc_rowid = d.rowid) AS quotes,"
        " (SELECT COUNT(*) FROM documents c WHERE c.duplicate_of = d.id) AS duplicates"
        f" FROM documents d{w.sql()} ORDER BY d.published IS NULL, d.published DESC, d.rowid DESC LIMIT ? OFFSET ?",
        [*w.params, limit, offset],
    ).fetchall()
    return Page([dict(r) for r in rows], total)


def quotes(store: Store, f: Filters, limit: int = 50, offset: int = 0) -> Page:
    """Quotes matching `f` (`actor` is the speaker), newest article first."""
    w = _doc_bounds(_Where(), f)
    if f.actor:
        w.add("q.speaker_id = ?", f.actor)
    base = f" FROM quotes q JOIN documents d ON d.rowid = q.doc_rowid{w.sql()}"
    total = int(store.conn.execute("SELECT COUNT(*)" + base, w.params).fetchone()[0])
    rows = store.conn.execute(
        "SELECT d.id AS doc_id, d.title, d.outlet, d.published, q.idx, q.speaker_id, a.name_ar AS speaker_name_ar,"
        ' a.name_en AS speaker_name_en, q.speaker_text, q.text, q.start, q."end"'
        + base.replace(" JOIN documents d", " LEFT JOIN actors a ON a.id = q.speaker_id JOIN documents d", 1)
        + " ORDER BY d.published IS NULL, d.published DESC, d.rowid DESC, q.idx LIMIT ? OFFSET ?",
        [*w.params, limit, offset],
    ).fetchall()  # fmt: skip
    return Page([dict(r) for r in rows], total)


@memoised
def actors(
    store: Store,
    f: Filters,
    limit: int = 50,
    offset: int = 0,
    *,
    kind: str | None = None,
    name: str | None = None,
) -> Page:
    """Actors mentioned in articles matching `f` (date, outlet), most widely reported first."""
    w = _Where()
    join = ""
    if f.start or f.end or f.outlet:
        join = " JOIN documents d ON d.rowid = m.doc_rowid"
        _doc_bounds(w, f)
    if kind:
        w.add("a.kind = ?", kind)
    if name:
        like = store.conn.like  # case-insensitive in both databases
        w.add(f"(a.name_ar {like} ? OR a.name_en {like} ? OR m.actor_id {like} ?)", *[f"%{name}%"] * 3)
    base = f" FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id{join}{w.sql()}"
    total = int(store.conn.execute("SELECT COUNT(DISTINCT m.actor_id)" + base, w.params).fetchone()[0])
    rows = store.conn.execute(
        "SELECT m.actor_id AS id, a.name_ar, a.name_en, a.kind, a.wikidata, COUNT(DISTINCT m.doc_rowid) AS documents,"
        " COUNT(*) AS mentions" + base + " GROUP BY m.actor_id, a.id ORDER BY documents DESC, mentions DESC, m.actor_id"
        " LIMIT ? OFFSET ?",
        [*w.params, limit, offset],
    ).fetchall()  # fmt: skip
    return Page([dict(r) for r in rows], total)


def actor(store: Store, actor_id: str, *, limit: int = 20) -> dict[str, Any] | None:
    """An actor's dossier: names and the forms the articles use, quotes, events as actor and as recipient,
    co-occurring actors and mentions per month. Roles come from the knowledge base (the caller adds them)."""
    c = store.conn
    row = c.execute("SELECT id, kind, name_en, name_ar, wikidata FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        return None
    out: dict[str, Any] = dict(row)
    counts = c.execute(
        "SELECT COUNT(*), COUNT(DISTINCT m.doc_rowid), MIN(d.published), MAX(d.published) FROM mentions m"
        " JOIN documents d ON d.rowid = m.doc_rowid WHERE m.actor_id = ?",
        (actor_id,),
    ).fetchone()
    out.update(mentions=counts[0], documents=counts[1], first_seen=counts[2], last_seen=counts[3])
    out["surface_forms"] = [
        {"text": t, "count": n}
        for t, n in c.execute(
            "SELECT text, COUNT(*) AS n FROM mentions WHERE actor_id = ? GROUP BY text ORDER BY n DESC, text LIMIT 30",
            (actor_id,),
        )
    ]
    q = quotes(store, Filters(actor=actor_id), limit=limit)
    out["quotes"], out["quotes_total"] = q.results, q.total
    for role, key in (("a", "events_as_actor"), ("b", "events_as_recipient")):
        page = events(store, Filters(actor=actor_id), limit=limit, actor_role=role)
        out[key], out[key + "_total"] = page.results, page.total
    out["co_occurring"] = [
        dict(r)
        for r in c.execute(
            "WITH docs AS (SELECT DISTINCT doc_rowid FROM mentions WHERE actor_id = ?)"
            " SELECT m.actor_id AS id, a.name_ar, a.name_en, a.kind, COUNT(DISTINCT m.doc_rowid) AS documents"
            " FROM docs JOIN mentions m ON m.doc_rowid = docs.doc_rowid LEFT JOIN actors a ON a.id = m.actor_id"
            " WHERE m.actor_id != ? GROUP BY m.actor_id, a.id ORDER BY documents DESC, m.actor_id LIMIT ?",
            (actor_id, actor_id, limit),
        )
    ]
    out["mentions_over_time"] = [
        {"period": p, "count": n}
        for p, n in c.execute(
            "SELECT substr(d.published, 1, 7) AS p, COUNT(DISTINCT d.rowid) FROM mentions m"
            " JOIN documents d ON d.rowid = m.doc_rowid WHERE m.actor_id = ? AND d.published IS NOT NULL"
            " GROUP BY p ORDER BY p",
            (actor_id,),
        )
    ]
    return out


@memoised
def timeline(store: Store, f: Filters, interval: Interval = "month") -> list[dict[str, Any]]:
    """Events per day, week (its Monday) or month, oldest first, with a count per event type."""
    w = _event_where(f)
    period = _period(store, interval)
    rows = store.conn.execute(
        f"SELECT {period} AS period, e.type, COUNT(*) FROM events e JOIN documents d ON d.rowid = e.doc_rowid"
        f"{w.sql()} GROUP BY period, e.type ORDER BY period",
        w.params,
    ).fetchall()
    buckets: dict[str, dict[str, Any]] = {}
    for p, typ, n in rows:
        if p is None:
            continue
        b = buckets.setdefault(p, {"period": p, "count": 0, "types": {}})
        b["count"] += n
        b["types"][typ] = n
    return list(buckets.values())


@memoised
def network(store: Store, f: Filters, *, max_edges: int = 300, min_weight: int = 1) -> dict[str, Any]:
    """Actors as nodes and events as directed edges (actor -> recipient) weighted by how many events of each type
    link them; the `max_edges` heaviest edges are kept."""
    w = _event_where(f)
    w.add("x.actor_id != y.actor_id")
    rows = store.conn.execute(
        "SELECT x.actor_id, y.actor_id, e.type, COUNT(*) AS weight FROM events e"
        " JOIN documents d ON d.rowid = e.doc_rowid"
        " JOIN event_actors x ON x.doc_rowid = e.doc_rowid AND x.idx = e.idx AND x.role = 'a'"
        " JOIN event_actors y ON y.doc_rowid = e.doc_rowid AND y.idx = e.idx AND y.role = 'b'"
        f"{w.sql()} GROUP BY x.actor_id, y.actor_id, e.type HAVING COUNT(*) >= ?"
        " ORDER BY weight DESC, x.actor_id, y.actor_id, e.type LIMIT ?",
        [*w.params, min_weight, max_edges],
    ).fetchall()
    edges = [{"source": s, "target": t, "type": typ, "weight": n} for s, t, typ, n in rows]
    weight: dict[str, int] = defaultdict(int)
    for e in edges:
        weight[e["source"]] += e["weight"]
        weight[e["target"]] += e["weight"]
    nodes = []
    if weight:
        ids = sorted(weight)
        names = {
            r[0]: r
            for r in store.conn.execute(
                f"SELECT id, name_ar, name_en, kind FROM actors WHERE id IN ({','.join('?' * len(ids))})", ids
            )
        }
        for i in ids:
            r = names.get(i)
            nodes.append(
                {"id": i, "name_ar": r[1] if r else None, "name_en": r[2] if r else None,
                 "kind": r[3] if r else None, "weight": weight[i]}
            )  # fmt: skip
    return {"nodes": nodes, "edges": edges}


@memoised
def facets(store: Store) -> dict[str, list[str]]:
    """The values the filters can take in this store: event types and statuses, outlets."""
    c = store.conn
    return {
        "types": [r[0] for r in c.execute("SELECT DISTINCT type FROM events ORDER BY type")],
        "statuses": [r[0] for r in c.execute("SELECT DISTINCT status FROM events WHERE status IS NOT NULL ORDER BY 1")],
        "outlets": [
            r[0] for r in c.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL ORDER BY outlet")
        ],
    }


@memoised
def stats(store: Store) -> dict[str, Any]:
    """The store's counts (`Store.stats`), cached until the store changes."""
    return store.stats()
