"""What a list of events, articles, quotes or actors is narrowed to: one set of filters shared by the store, the
exporters, the CLI and the web API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_date(value: str | None, name: str) -> None:
    """Date filters are ISO prefixes; anything else is an error, not an empty result."""
    if value is None:
        return
    try:
        ok = bool(_DATE_RE.match(value)) and (len(value) < 10 or bool(dt.date.fromisoformat(value)))
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not {value!r}")


@dataclass(frozen=True)
class Filters:
    """None means no restriction. `start` and `end` are inclusive ISO prefixes (2024, 2024-03, 2024-03-05);
    `type` a PLOVER type; `actor` an actor id (KB id or local key) or a Wikidata id; `outlet` an outlet."""

    start: str | None = None
    end: str | None = None
    type: str | None = None
    status: str | None = None
    actor: str | None = None
    outlet: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

    def checked(self) -> Filters:
        """These filters, after raising ValueError for a malformed date."""
        check_date(self.start, "start")
        check_date(self.end, "end")
        return self


FILTER_NAMES = tuple(f.name for f in fields(Filters))
