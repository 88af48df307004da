"""CSV export: one row per merged event, for spreadsheets and R/pandas.

The columns and their order are fixed (CSV_COLUMNS), so scripts can rely on them. Arabic stays UTF-8 text.
Multi-valued cells are joined with ';' and kept aligned: the n-th source id, Wikidata id and names describe
the same actor (an unknown value is an empty string between the separators), and the n-th doc id, outlet,
status and evidence span describe the same report. `evidence` is the first report's evidence sentence.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from rasd.export.plover import QUAD_CODES
from rasd.store import Store
from rasd.store.filters import Filters
from rasd.store.merged import ActorRef, MergedEvent

SEP = ";"
CSV_COLUMNS = (
    "id", "date", "date_min", "date_max", "event_type", "mode", "status", "quad_code", "location",
    "source_ids", "source_wikidata", "source_names_en", "source_names_ar",
    "recipient_ids", "recipient_wikidata", "recipient_names_en", "recipient_names_ar",
    "n_mentions", "doc_ids", "outlets", "published", "mention_statuses", "evidence_spans", "evidence",
    "first_seen",
)  # fmt: skip


def _join(values: list[Any]) -> str:
    return SEP.join("" if v is None else str(v) for v in values)


def _actors(prefix: str, actors: list[ActorRef]) -> dict[str, str]:
    return {
        f"{prefix}_ids": _join([a.id for a in actors]),
        f"{prefix}_wikidata": _join([a.wikidata for a in actors]),
        f"{prefix}_names_en": _join([a.name_en for a in actors]),
        f"{prefix}_names_ar": _join([a.name_ar for a in actors]),
    }


def csv_row(ev: MergedEvent) -> dict[str, Any]:
    ms = ev.mentions
    return {
        "id": f"rasd-{ev.id}",
        "date": ev.date or "",
        "date_min": ev.date_min or "",
        "date_max": ev.date_max or "",
        "event_type": ev.type,
        "mode": ev.mode or "",
        "status": ev.status,
        "quad_code": QUAD_CODES.get(ev.type, ""),
        "location": ev.location or "",
        **_actors("source", ev.actors_a),
        **_actors("recipient", ev.actors_b),
        "n_mentions": len(ms),
        "doc_ids": _join([m.doc_id for m in ms]),
        "outlets": _join([m.outlet for m in ms]),
        "published": _join([m.published for m in ms]),
        "mention_statuses": _join([m.status for m in ms]),
        "evidence_spans": _join([f"{m.doc_id}:{m.evidence.get('start')}-{m.evidence.get('end')}" for m in ms]),
        "evidence": ms[0].evidence.get("text", "") if ms else "",
        "first_seen": ev.first_seen,
    }


def write_csv(store: Store, out: TextIO, filters: Filters) -> int:
    """A header row, then one row per merged event (lines end in \\n; open files with newline='')."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for ev in store.merged_events(filters):
        writer.writerow(csv_row(ev))
        n += 1
    return n
