"""Exports of a store: article records, PLOVER events, a CSV table of events, the actor network as GraphML.

Every writer streams to any text file object (stdout, a file, a web response buffer), so the CLI and the web UI
share them::

    with api.open_store("rasd.db") as store:
        export(store, "plover", sys.stdout, type="CONSULT", start="2025-02")

Filters (all optional, the fields of rasd.store.filters.Filters): `type` (PLOVER type), `status`,
`start`/`end` (inclusive ISO dates or prefixes: 2025, 2025-02, 2025-02-18), `actor` (KB id, local key or
Wikidata id) and `outlet`. Event formats apply them to merged events (see `Store.merged_events`);
`records` keeps the articles that have an event of that type and status, name that actor, come from that
outlet and were published in that range.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from rasd.export.graphml import write_graphml
from rasd.export.plover import plover_event, write_plover
from rasd.export.records import write_records
from rasd.export.tabular import CSV_COLUMNS, csv_row, write_csv
from rasd.store import Store
from rasd.store.filters import FILTER_NAMES, Filters

__all__ = ["CSV_COLUMNS", "FILTERS", "FORMATS", "csv_row", "export", "plover_event"]

Writer = Callable[[Store, TextIO, Filters], int]
FORMATS: dict[str, Writer] = {
    "records": write_records,
    "plover": write_plover,
    "csv": write_csv,
    "graphml": write_graphml,
}
FILTERS = FILTER_NAMES


def export(store: Store, fmt: str, out: TextIO, **filters: Any) -> int:
    """Write the store (or the filtered part of it) to `out` in `fmt`; returns how many items were written.

    Raises ValueError for an unknown format or filter, or a malformed date.
    """
    writer = FORMATS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise ValueError(f"unknown export filter(s) {', '.join(unknown)}; known: {', '.join(FILTERS)}")
    return writer(store, out, Filters(**{k: v for k, v in filters.items() if v not in (None, "")}))
