"""Document -> article record (the interchange format of ../shared/eval/RECORDS.md)."""

from __future__ import annotations

from typing import Any

from rasd.document import Document

RECORD_VERSION = 1


def to_record(doc: Document) -> dict[str, Any]:
    """The record of a processed document. Offsets point into `text`, the stored original text."""
    text = doc.text
    actors = doc.values.get("actors", [])
    rid = {a.key: a.rid for a in actors}
    rec_actors = [
        {
            "id": a.rid,
            "kb_id": a.kb_id,
            "local_key": a.local_key,
            "wikidata": a.wikidata,
            "name_en": a.name_en,
            "name_ar": a.name_ar,
            "kind": a.kind,
            "role": a.role,
            "mentions": [{"text": text[m.start : m.end], "start": m.start, "end": m.end} for m in a.mentions],
        }
        for a in actors
    ]
    quotes = [
        {
            "speaker": rid.get(q.speaker) if q.speaker else None,
            "speaker_text": q.speaker_text,
            "text": text[q.start : q.end],
            "start": q.start,
            "end": q.end,
            "direct": q.direct,
        }
        for q in doc.values.get("quotes", [])
    ]
    sources = [
        {
            "kind": s.kind,
            "actor": rid.get(s.actor) if s.actor else None,
            "text": s.text,
            "count": s.count,
            "named": s.named,
            "start": s.start,
            "end": s.end,
        }
        for s in doc.values.get("sources", [])
    ]
    by_key = {a.key: a for a in actors}
    events = []
    for e in doc.values.get("events", []):
        place = by_key.get(e.location) if e.location else None
        events.append(
            {
                "type": e.type,
                "mode": e.mode,
                "status": e.status,
                "actors_a": [rid[k] for k in e.actors_a if k in rid],
                "actors_b": [rid[k] for k in e.actors_b if k in rid],
                "date": e.date,
                "location": (place.name_en or place.name_ar) if place else None,
                "reported_by": [rid[k] for k in e.reported_by if k in rid],
                "evidence": {"text": text[e.evidence.start : e.evidence.end], "start": e.evidence.start,
                             "end": e.evidence.end},
                "trigger": {"text": text[e.trigger.start : e.trigger.end], "start": e.trigger.start,
                            "end": e.trigger.end},
                "confidence": e.confidence,
            }
        )  # fmt: skip
    meta = doc.meta
    return {
        "doc_id": meta.id,
        "title": meta.title,
        "outlet": meta.outlet,
        "url": meta.url,
        "published": meta.published,
        "published_basis": meta.published_basis,
        "text": text,
        "excluded": [{"start": s.start, "end": s.end, "reason": s.label} for s in doc.excluded],
        "actors": rec_actors,
        "events": events,
        "quotes": quotes,
        "sources": sources,
        "rasd_version": RECORD_VERSION,
    }
