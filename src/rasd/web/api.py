"""The JSON API under /api: lists with filters and capped pages, one document or actor, search, counts over time
and the actor network. Everything here is a thin call into `rasd.store.queries`."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from rasd.kb import KnowledgeBase, load_kb
from rasd.store import queries as Q
from rasd.web.app import store_of

router = APIRouter(prefix="/api", tags=["api"])

MAX_PAGE = 200
MAX_OFFSET = 100_000
MAX_EDGES = 2000
_DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # empty: no bound (what an HTML form sends for an empty field)
_STATUS = r"^(occurred|future|hypothetical|negated|failed)?$"
_ID_CHARS = 300

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size (at most {MAX_PAGE}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def _bound(value: str | None, *, end: bool) -> str | None:
    """A date or a year or month prefix as the first (start) or last (end) day it covers: ISO strings compare."""
    if not value:
        return None
    try:
        if len(value) == 4:
            day = dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        elif len(value) == 7:
            y, m = int(value[:4]), int(value[5:])
            day = dt.date(y, m, calendar.monthrange(y, m)[1] if end else 1)
        else:
            day = dt.date.fromisoformat(value)
    except ValueError as e:
        raise HTTPException(422, f"bad date {value!r}: {e}") from e
    return day.isoformat()


async def filters(
    start: Annotated[str | None, Query(pattern=_DATE, description="From this date (YYYY[-MM[-DD]]).")] = None,
    end: Annotated[str | None, Query(pattern=_DATE, description="Up to this date, inclusive.")] = None,
    type: Annotated[str | None, Query(max_length=40, description="Event type (PLOVER), e.g. CONSULT.")] = None,
    status: Annotated[
        str | None, Query(pattern=_STATUS, description="occurred, future, hypothetical, negated or failed.")
    ] = None,
    actor: Annotated[str | None, Query(max_length=_ID_CHARS, description="Actor id, e.g. vladimir_putin.")] = None,
    outlet: Annotated[str | None, Query(max_length=_ID_CHARS, description="Outlet name, exactly.")] = None,
) -> Q.Filters:
    """The filters every list shares (each list applies those that make sense for it)."""
    return Q.Filters(_bound(start, end=False), _bound(end, end=True), type or None, status or None, actor or None,
                     outlet or None)  # fmt: skip


FiltersDep = Annotated[Q.Filters, Depends(filters)]


def _page(page: Q.Page, limit: int, offset: int) -> dict[str, Any]:
    return {"results": page.results, "total": page.total, "limit": limit, "offset": offset}


@router.get("/stats", summary="Counts of what the store holds")
def stats(request: Request) -> dict[str, Any]:
    return Q.stats(store_of(request))


@router.get("/facets", summary="The values the filters can take: event types, statuses, outlets")
def facets(request: Request) -> dict[str, list[str]]:
    return Q.facets(store_of(request))


@router.get("/documents", summary="Articles (duplicates left out), newest first")
def documents(request: Request, f: FiltersDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return _page(Q.documents(store_of(request), f, limit, offset), limit, offset)


@router.get("/documents/{doc_id:path}", summary="One article's record (a duplicate links to its original)")
def document(request: Request, doc_id: str) -> dict[str, Any]:
    store = store_of(request)
    rec = store.get_record(doc_id)
    if rec is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    rec["duplicates"] = [{"doc_id": d, "similarity": s} for d, s in store.duplicates_of(doc_id)]
    return rec


@router.get("/actors", summary="Actors, most widely reported first")
def actors(
    request: Request,
    f: FiltersDep,
    limit: Limit = 50,
    offset: Offset = 0,
    kind: Annotated[str | None, Query(pattern=r"^(person|org|gpe|loc|media)?$")] = None,
    name: Annotated[str | None, Query(max_length=100, description="Part of a name or id.")] = None,
) -> dict[str, Any]:
    page = Q.actors(store_of(request), f, limit, offset, kind=kind or None, name=name or None)
    return _page(page, limit, offset)


@router.get("/actors/{actor_id:path}", summary="An actor's dossier")
def actor(request: Request, actor_id: str) -> dict[str, Any]:
    info = actor_dossier(request, actor_id)
    if info is None:
        raise HTTPException(404, f"no actor {actor_id!r}")
    return info


def actor_dossier(request: Request, actor_id: str) -> dict[str, Any] | None:
    """The store's dossier plus what the knowledge base knows: aliases and roles over time."""
    info = Q.actor(store_of(request), actor_id)
    if info is None:
        return None
    kb = _kb()
    entry = kb.get(actor_id)
    info["aliases"] = list(entry.aliases) if entry else []
    info["aliases_en"] = list(entry.aliases_en) if entry else []
    info["roles"] = []
    if entry:
        for r in sorted(entry.roles, key=lambda r: r.start or dt.date.min):
            of = kb.get(r.of) if r.of else None
            info["roles"].append(
                {"role": r.role, "title_en": r.title_en, "of": r.of, "of_name_ar": of.name_ar if of else None,
                 "of_name_en": of.name_en if of else None, "start": _iso(r.start), "end": _iso(r.end)}
            )  # fmt: skip
    return info


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


@lru_cache(maxsize=1)
def _kb() -> KnowledgeBase:
    return load_kb()


@router.get("/events", summary="Events, newest first, with their actors")
def events(request: Request, f: FiltersDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return _page(Q.events(store_of(request), f, limit, offset), limit, offset)


@router.get("/events/{event_id:path}", summary="One event (id DOC_ID:INDEX) with its article's sources")
def event(request: Request, event_id: str) -> dict[str, Any]:
    doc_id, _, idx = event_id.rpartition(":")
    ev = Q.event(store_of(request), doc_id, int(idx)) if idx.isdigit() and doc_id else None
    if ev is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return ev


@router.get("/quotes", summary="Quotes, newest first (`actor` is the speaker)")
def quotes(request: Request, f: FiltersDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return _page(Q.quotes(store_of(request), f, limit, offset), limit, offset)


@router.get(
    "/search",
    summary="Full-text search",
    description='Words (all must match), "a phrase", a OR b, -exclude; normalised Arabic and clitic-aware.'
    " At most 500 characters and 32 terms; a query that cannot be searched is a 400 with the reason.",
    responses={400: {"description": "The query cannot be searched (the detail says why)."}},
)
def search(request: Request, q: Annotated[str, Query()], limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    hits, total = store_of(request).search(q, limit=limit, offset=offset)
    return {"results": [h.__dict__ for h in hits], "total": total, "limit": limit, "offset": offset}


@router.get("/timeline", summary="Events per day, week (its Monday) or month, with counts per type")
def timeline(request: Request, f: FiltersDep, interval: Literal["day", "week", "month"] = "month") -> dict[str, Any]:
    buckets = Q.timeline(store_of(request), f, interval)
    return {"interval": interval, "buckets": buckets, "total": sum(b["count"] for b in buckets)}


@router.get("/network", summary="Actors as nodes, events as typed weighted edges (actor -> recipient)")
def network(
    request: Request,
    f: FiltersDep,
    max_edges: Annotated[int, Query(ge=1, le=MAX_EDGES, description="Keep the heaviest edges.")] = 300,
    min_weight: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> dict[str, Any]:
    return Q.network(store_of(request), f, max_edges=max_edges, min_weight=min_weight)
