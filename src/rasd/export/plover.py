"""PLOVER export: one JSON line per merged event, with the field names of the PLOVER specification.

Field names follow the "JSON Data Fields" chapter of the PLOVER manual (Open Event Data Alliance, draft 0.8,
github.com/openeventdata/PLOVER, PLOVER_MANUAL.tex); fields marked * are Rasd's additions, which the manual
invites ("providers should feel free to include named fields beyond those provided").

| field            | content                                                                                      |
|------------------|----------------------------------------------------------------------------------------------|
| `id`             | `rasd-<merged event id>`, the same id as the CSV export                                      |
| `date`           | YYYY-MM-DD: the stated day when the reports give one, else the first report's publication date |
| `date_basis` *   | `stated` or `published` (which of the two `date` is)                                         |
| `date_stated` *  | the stated date at its own precision (YYYY, YYYY-MM, YYYY-MM-DD) or null                      |
| `source`         | list of actor objects: the initiator side (`actors_a` of the first report)                   |
| `recipient`      | list of actor objects: the other side (`actors_b`)                                           |
| `event`          | list with the one PLOVER category (Rasd says REQUEST where the manual's table says DEMAND)   |
| `event_type` *   | the same category as a string, the name POLECAT/NGEC data use                                |
| `mode`           | list: the mode of the reports (CONSULT: meeting, talks, visit, phone ...), or []             |
| `context`        | list: PLOVER's special contexts for Rasd's status: future, hypothetical, negation (negated)  |
| `quad_code`      | 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict        |
| `event_loc`      | {"name": place} or null                                                                      |
| `event_text`     | list: the evidence text of every report                                                      |
| `cite_info`      | list of citation objects, one per report: citation (doc id), publication, title, url, language |
| `coder`          | `rasd <version>`                                                                             |
| `coded_date`     | the day the first report was stored                                                          |
| `status` *       | Rasd's status of the merged event: occurred, future, hypothetical, negated, failed           |
| `mentions` *     | every report: doc_id, outlet, title, url, published, status, mode, date, evidence and        |
|                  | trigger ({text, start, end}, code-point offsets into the stored text), reported_by (actor     |
|                  | objects), sources (the cited media and officials inside the evidence)                        |

An actor object has the manual's `actor_text` (the Arabic name), `identifier_id` (the Wikidata id, as the
manual asks, or null) and `identifier_text` (the English name), plus Rasd's `kb_id` and `kind`. The manual's
`code` (ISO country code) and `sector` are not produced. PLOVER codes reciprocal events with all participants
as the source; Rasd keeps the two sides its first report gives (for CONSULT, AGREE and COOPERATE the merge
ignores the sides, see rasd.events.merge).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from rasd import __version__
from rasd.store import Store
from rasd.store.filters import Filters
from rasd.store.merged import ActorRef, EventMention, MergedEvent

QUAD_CODES = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "DEMAND": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip
# PLOVER's special contexts; "occurred" and "failed" have none (failed stays in `status`).
STATUS_CONTEXT = {"future": "future", "hypothetical": "hypothetical", "negated": "negation"}


def actor_object(a: ActorRef) -> dict[str, Any]:
    return {
        "actor_text": a.name_ar,
        "identifier_id": a.wikidata,
        "identifier_text": a.name_en,
        "kb_id": a.id,
        "kind": a.kind,
    }


def _mention(m: EventMention) -> dict[str, Any]:
    return {
        "doc_id": m.doc_id,
        "outlet": m.outlet,
        "title": m.title,
        "url": m.url,
        "published": m.published,
        "status": m.status,
        "mode": m.mode,
        "date": m.date,
        "evidence": m.evidence,
        "trigger": m.trigger,
        "reported_by": [actor_object(a) for a in m.reported_by],
        "sources": m.sources,
    }


def plover_event(ev: MergedEvent) -> dict[str, Any]:
    """The PLOVER record of a merged event (see the module docstring for the fields)."""
    pubs = sorted(m.published[:10] for m in ev.mentions if m.published)
    stated_day = ev.date if ev.date and len(ev.date) == 10 else None
    context = STATUS_CONTEXT.get(ev.status)
    return {
        "id": f"rasd-{ev.id}",
        "date": stated_day or (pubs[0] if pubs else None),
        "date_basis": "stated" if stated_day else ("published" if pubs else None),
        "date_stated": ev.date,
        "source": [actor_object(a) for a in ev.actors_a],
        "recipient": [actor_object(a) for a in ev.actors_b],
        "event": [ev.type],
        "event_type": ev.type,
        "mode": [ev.mode] if ev.mode else [],
        "context": [context] if context else [],
        "quad_code": QUAD_CODES.get(ev.type),
        "event_loc": {"name": ev.location} if ev.location else None,
        "event_text": [m.evidence.get("text") for m in ev.mentions],
        "cite_info": [
            {"citation": m.doc_id, "publication": m.outlet, "title": m.title, "url": m.url, "language": "ar"}
            for m in ev.mentions
        ],
        "coder": f"rasd {__version__}",
        "coded_date": ev.first_seen[:10] or None,
        "status": ev.status,
        "mentions": [_mention(m) for m in ev.mentions],
    }


def write_plover(store: Store, out: TextIO, filters: Filters) -> int:
    n = 0
    for ev in store.merged_events(filters):
        out.write(json.dumps(plover_event(ev), ensure_ascii=False) + "\n")
        n += 1
    return n
