"""Server-rendered pages (Jinja2, right to left, Arabic first with English labels) and the export downloads.

A request sent by HTMX (header HX-Request) gets only the fragment it swaps in; the same URL opened directly
gets the whole page, so every state of a page has a shareable address.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TextIO

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from rasd.store import SearchError, Store
from rasd.store import queries as Q
from rasd.web import labels
from rasd.web.api import MAX_OFFSET, FiltersDep, actor_dossier
from rasd.web.app import render, store_of
from rasd.web.markup import Mark, bar_chart, highlight, highlight_hits

router = APIRouter(include_in_schema=False)
PAGE = 25


def _is_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def _pages(total: int, limit: int, offset: int) -> dict[str, int | None]:
    return {
        "prev": max(0, offset - limit) if offset > 0 else None,
        "next": offset + limit if offset + limit < total and offset + limit <= MAX_OFFSET else None,
        "first": offset + 1 if total else 0,
        "last": min(total, offset + limit),
    }


@router.get("/types.css")
def type_colours() -> Response:
    """The event types' colours as CSS classes, from the one table in rasd.web.labels."""
    rules = []
    for code, (_, _, c) in labels.EVENT_TYPES.items():
        rules.append(f".badge.t-{code}, .swatch.t-{code} {{ background: {c}; color: #fff; }}")
        rules.append(f".vis-item.t-{code} {{ border-color: {c}; background: color-mix(in srgb, {c} 22%, white); }}")
    return Response("\n".join(rules) + "\n", media_type="text/css", headers={"cache-control": "public, max-age=3600"})


@router.get("/")
def overview(request: Request) -> Response:
    store = store_of(request)
    months = Q.timeline(store, Q.Filters(), "month")
    return render(
        request,
        "overview.html",
        {
            "stats": Q.stats(store),
            "chart": bar_chart([(b["period"], b["count"]) for b in months], label="events per month"),
            "latest": Q.events(store, Q.Filters(), limit=10).results,
            "top_actors": Q.actors(store, Q.Filters(), limit=12).results,
            "facets": Q.facets(store),
        },
    )


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query()] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    ctx: dict[str, Any] = {"q": q, "hits": [], "total": 0, "offset": offset}
    status = 200
    if q.strip():
        try:
            hits, total = store_of(request).search(q, limit=PAGE, offset=offset)
        except SearchError as e:
            ctx["error"], status = str(e), 400
        else:
            ctx.update(
                hits=[{**h.__dict__, "snippet_html": highlight_hits(h.snippet, h.highlights)} for h in hits],
                total=total,
                pages=_pages(total, PAGE, offset),
            )
    name = "_search_results.html" if _is_fragment(request) else "search.html"
    return render(request, name, ctx, status)


@router.get("/documents")
def documents(request: Request, f: FiltersDep, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> Response:
    store = store_of(request)
    page = Q.documents(store, f, PAGE, offset)
    ctx = {"page": page, "f": f, "pages": _pages(page.total, PAGE, offset), "facets": Q.facets(store)}
    return render(request, "_documents_rows.html" if _is_fragment(request) else "documents.html", ctx)


@router.get("/documents/{doc_id:path}")
def document(request: Request, doc_id: str) -> Response:
    store = store_of(request)
    rec = store.get_record(doc_id)
    if rec is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    if "duplicate_of" in rec:
        return render(request, "duplicate.html", {"doc_id": doc_id, "original": rec["duplicate_of"]})
    return render(request, "document.html", _document_context(rec, store.duplicates_of(doc_id)))


def actor_key(a: dict[str, Any]) -> str:
    """The store-wide id of a record's actor (the same rule the store applies when it saves the record)."""
    return str(a.get("kb_id") or a.get("local_key") or f"local:?:{a['id']}")


def _document_context(rec: dict[str, Any], duplicates: list[tuple[str, float]]) -> dict[str, Any]:
    """The record with its text highlighted and, for the side panel, each extracted item with its anchor."""
    actors = {a["id"]: {**a, "key": actor_key(a)} for a in rec.get("actors", [])}
    marks = [Mark(x["start"], x["end"], "hl-excluded", title="boilerplate") for x in rec.get("excluded", [])]
    events = []
    for i, e in enumerate(rec.get("events", [])):
        ev = e.get("evidence") or {}
        if ev.get("end"):
            marks.append(Mark(ev["start"], ev["end"], "hl-event", f"e-{i}", f"{e['type']} ({e.get('status')})"))
        tr = e.get("trigger") or {}
        if tr.get("end"):
            marks.append(Mark(tr["start"], tr["end"], "hl-trigger"))
        events.append(
            {**e, "anchor": f"e-{i}", "a": [actors[x] for x in e.get("actors_a", []) if x in actors],
             "b": [actors[x] for x in e.get("actors_b", []) if x in actors],
             "by": [actors[x] for x in e.get("reported_by", []) if x in actors]}
        )  # fmt: skip
    quotes = []
    for i, q in enumerate(rec.get("quotes", [])):
        speaker = actors.get(q.get("speaker") or "")
        marks.append(Mark(q["start"], q["end"], "hl-quote", f"q-{i}", f"quote: {q.get('speaker_text') or '?'}"))
        quotes.append({**q, "anchor": f"q-{i}", "actor": speaker})
    sources = []
    for i, s in enumerate(rec.get("sources", [])):
        if s.get("start") is not None and s.get("end"):
            marks.append(Mark(s["start"], s["end"], "hl-source", f"s-{i}", f"source: {s['kind']}"))
        sources.append({**s, "anchor": f"s-{i}" if s.get("start") is not None else None})
    for a in actors.values():
        a["anchors"] = []
        for j, m in enumerate(a.get("mentions", [])):
            anchor = f"m-{a['id']}-{j}"
            a["anchors"].append(anchor)
            title = a.get("name_en") or a.get("name_ar") or m["text"]
            marks.append(Mark(m["start"], m["end"], f"hl-actor k-{a.get('kind') or 'other'}", anchor, title))
    return {
        "rec": rec,
        "text_html": highlight(rec["text"], marks),
        "actors": sorted(actors.values(), key=lambda a: -len(a.get("mentions", []))),
        "events": events,
        "quotes": quotes,
        "sources": sources,
        "duplicates": duplicates,
    }


@router.get("/actors")
def actors(
    request: Request,
    f: FiltersDep,
    name: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(pattern=r"^(person|org|gpe|loc|media)?$")] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    page = Q.actors(store_of(request), f, PAGE, offset, kind=kind or None, name=name.strip() or None)
    ctx = {"page": page, "name": name, "kind": kind, "pages": _pages(page.total, PAGE, offset)}
    return render(request, "_actors_rows.html" if _is_fragment(request) else "actors.html", ctx)


@router.get("/actors/{actor_id:path}")
def actor(request: Request, actor_id: str) -> Response:
    info = actor_dossier(request, actor_id)
    if info is None:
        raise HTTPException(404, f"no actor {actor_id!r}")
    chart = bar_chart([(m["period"], m["count"]) for m in info["mentions_over_time"]], label="articles per month")
    return render(request, "actor.html", {"a": info, "chart": chart})


@router.get("/timeline")
def timeline(request: Request, f: FiltersDep) -> Response:
    return render(request, "timeline.html", {"f": f, "facets": Q.facets(store_of(request))})


@router.get("/fragments/event/{event_id:path}")
def event_fragment(request: Request, event_id: str) -> Response:
    doc_id, _, idx = event_id.rpartition(":")
    ev = Q.event(store_of(request), doc_id, int(idx)) if idx.isdigit() and doc_id else None
    if ev is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return render(request, "_event_detail.html", {"e": ev})


@router.get("/network")
def network(request: Request, f: FiltersDep) -> Response:
    return render(request, "network.html", {"f": f, "facets": Q.facets(store_of(request))})


# -- exports ------------------------------------------------------------------------------------------------------
EXPORTS = {
    "records": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "plover": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "graphml": ("application/xml; charset=utf-8", "graphml"),
}


@router.get("/export/{fmt}")
def export(request: Request, fmt: str, f: FiltersDep) -> Response:
    """The store (narrowed by the filters) in one of rasd.export's formats, streamed as it is written."""
    if fmt not in EXPORTS:
        raise HTTPException(404, f"no export format {fmt!r} (one of: {', '.join(EXPORTS)})")
    from rasd.export import export as run_export

    path: str = request.app.state.db_path
    filters = f.as_dict()

    def write(out: TextIO) -> None:
        store = Store(path)
        try:
            store.set_read_only()
            run_export(store, fmt, out, **filters)
        finally:
            store.close()

    chunks = _stream(write)
    try:  # the first chunk before the status line: an export that fails at once is a 400, not a cut-off 200
        first = next(chunks, b"")
    except ValueError as e:
        raise HTTPException(400, str(e)) from e
    media_type, ext = EXPORTS[fmt]
    headers = {"content-disposition": f'attachment; filename="rasd-{fmt}.{ext}"'}
    return StreamingResponse(itertools.chain([first], chunks), media_type=media_type, headers=headers)


class _Cancelled(Exception):
    """The client went away: the writer stops."""


class _PipeWriter(io.TextIOBase):
    """A text file whose writes come out, in chunks of about 64 KiB of UTF-8, through a bounded queue."""

    CHUNK = 1 << 16

    def __init__(self, q: queue.Queue[bytes | BaseException | None], cancelled: threading.Event) -> None:
        self._q, self._cancelled = q, cancelled
        self._buf: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self._buf.append(s)
        self._size += len(s)
        if self._size >= self.CHUNK:
            self.flush()
        return len(s)

    def flush(self) -> None:
        if self._buf:
            self._put("".join(self._buf).encode("utf-8"))
            self._buf, self._size = [], 0

    def _put(self, item: bytes | BaseException | None) -> None:
        while True:
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._q.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def _stream(write: Callable[[TextIO], None]) -> Iterator[bytes]:
    """Run `write` in a thread and yield what it writes: memory stays bounded whatever the size of the export."""
    q: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=16)
    cancelled = threading.Event()
    pipe = _PipeWriter(q, cancelled)

    def run() -> None:
        try:
            write(pipe)  # type: ignore[arg-type]
            pipe.flush()
            pipe._put(None)
        except _Cancelled:
            pass
        except BaseException as e:  # handed to the response, which ends early
            with contextlib.suppress(_Cancelled):
                pipe._put(e)

    threading.Thread(target=run, name="rasd-export", daemon=True).start()
    try:
        while (item := q.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        cancelled.set()
