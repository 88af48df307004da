"""Records export: one article record per line (the interchange format of ../shared/eval/RECORDS.md), as stored."""

from __future__ import annotations

import json
from typing import Any, TextIO

from rasd.store import Store
from rasd.store.merged import check_date


def write_records(
    store: Store,
    out: TextIO,
    *,
    type: str | None = None,
    status: str | None = None,
    start: str | None = None,
    end: str | None = None,
    actor: str | None = None,
    outlet: str | None = None,
) -> int:
    """Analysed articles in ingest order (duplicates, which have no analysis of their own, are left out)."""
    check_date(start, "start")
    check_date(end, "end")
    n = 0
    for rec in store.iter_records():
        if (not outlet or rec.get("outlet") == outlet) and _keep(
            rec, type.upper() if type else None, status, start, end, actor
        ):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def _keep(
    rec: dict[str, Any],
    event_type: str | None,
    status: str | None,
    start: str | None,
    end: str | None,
    actor: str | None,
) -> bool:
    events = rec.get("events") or []
    if event_type and not any(e.get("type") == event_type for e in events):
        return False
    if status and not any(e.get("status") == status for e in events):
        return False
    published = rec.get("published") or ""
    if start and not (published and published[: len(start)] >= start):
        return False
    if end and not (published and published[: len(end)] <= end):
        return False
    actors = rec.get("actors") or []
    return not actor or any(actor in (a.get("kb_id"), a.get("local_key"), a.get("wikidata")) for a in actors)
