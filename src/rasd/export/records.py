"""Records export: one article record per line (the interchange format of ../shared/eval/RECORDS.md), as stored."""

from __future__ import annotations

import json
from typing import Any, TextIO

from rasd.store import Store
from rasd.store.filters import Filters


def write_records(store: Store, out: TextIO, filters: Filters) -> int:
    """Analysed articles in ingest order (duplicates, which have no analysis of their own, are left out): those
    with an event of `type`/`status`, published within `start`-`end`, naming `actor`, from `outlet`."""
    f = filters.checked()
    n = 0
    for rec in store.iter_records():
        if _keep(rec, f):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def _keep(rec: dict[str, Any], f: Filters) -> bool:
    if f.outlet and rec.get("outlet") != f.outlet:
        return False
    events = rec.get("events") or []
    if f.type and not any(e.get("type") == f.type.upper() for e in events):
        return False
    if f.status and not any(e.get("status") == f.status for e in events):
        return False
    published = rec.get("published") or ""
    if f.start and not (published and published[: len(f.start)] >= f.start):
        return False
    if f.end and not (published and published[: len(f.end)] <= f.end):
        return False
    actors = rec.get("actors") or []
    return not f.actor or any(f.actor in (a.get("kb_id"), a.get("local_key"), a.get("wikidata")) for a in actors)
