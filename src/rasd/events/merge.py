"""Cross-article event merge: when do two reports tell the same event?

The same meeting is told by several outlets, a day apart, each in its own words. Analysts want one event with
several mentions (each keeping its own evidence), not one copy per article: that is the duplicate problem of
GDELT-style data. These are the rules, kept pure so the store, the tests and any batch job apply the same ones:

- Same PLOVER type.
- Same participants, compared by identity: the Wikidata id, else the knowledge-base id, else the local key of
  an actor the knowledge base lacks (an actor with none of these never merges across articles). Both sides
  must be named (two participants at least for the symmetric types): one-sided reports ("the Houthis
  shelled ...", "Trump pledged ...") come every day and would merge distinct events.
- Directed types (ACCUSE, THREATEN, AID, REQUEST, ...): the initiator side and the target side are compared as
  two sets, so "A accused B" and "B accused A" stay two events. Symmetric types (CONSULT, AGREE, COOPERATE):
  which side is named first is the writer's choice ("A met B", "B held talks with A", "talks between A and B"
  all put the actors on different sides), so the participants are compared as one set, as PLOVER itself codes
  reciprocal events with all participants as the source.
- Dates: when both reports state a day, the days are at most `window` days apart (default 2). Otherwise the
  publication dates must both be known and at most `window` days apart, and a coarser stated date ("March
  2022") must contain the other's ("2022-03-15"). An event whose article gives neither date never merges.
- A new report is compared with the merged event's reference dates (the first stated day and the first
  publication date among its reports), not with every report, so a daily series of meetings between the same
  two ministers does not chain into one event.
- A merged event takes at most one report per article: the extractor already keeps a meeting told twice in one
  article once, so two events of one article are two events.

Status is not part of the key: one outlet's "will meet on Tuesday" and another's "met on Tuesday" are the
same meeting; each report keeps its own status and `merged_status` summarises them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_WINDOW_DAYS = 2
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# When no report says the event occurred, the most frequent status wins; ties go to the first in this order.
STATUS_ORDER = ("occurred", "failed", "negated", "future", "hypothetical")


@dataclass(frozen=True)
class When:
    """The dates one report gives an event: stated (any precision) and the article's publication date."""

    stated: str | None  # YYYY, YYYY-MM or YYYY-MM-DD, as extracted
    day: int | None  # ordinal of `stated` when it names a day
    pub: int | None  # ordinal of the publication date


@dataclass
class Cluster:
    """A merged event as matching sees it: its reference dates and the articles it already has a report from."""

    id: int
    stated: str | None = None  # the first stated date among its reports
    day: int | None = None  # the first stated day
    pub: int | None = None  # the first known publication date
    docs: set[Hashable] = field(default_factory=set)

    def absorb(self, doc: Hashable, when: When) -> None:
        """Add a report; the reference dates are set once, by the first report that has them."""
        self.docs.add(doc)
        if self.stated is None:
            self.stated = when.stated
        if self.day is None:
            self.day = when.day
        if self.pub is None:
            self.pub = when.pub


def to_day(iso: str | None) -> int | None:
    """The ordinal of an ISO date that names a day (a time part is ignored); None for coarser or bad values."""
    if not iso or len(iso) < 10:
        return None
    try:
        return dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def when(stated: str | None, published: str | None) -> When:
    return When(stated or None, to_day(stated), to_day(published))


def actor_identity(actor: Mapping[str, Any]) -> str | None:
    """How an actor of a record is recognised in another record: Wikidata id, else KB id, else local key."""
    if actor.get("wikidata"):
        return f"wd:{actor['wikidata']}"
    if actor.get("kb_id"):
        return f"kb:{actor['kb_id']}"
    if actor.get("local_key"):
        return str(actor["local_key"])
    return None


def is_symmetric(event_type: str) -> bool:
    return event_type in SYMMETRIC_TYPES


def actors_key(event_type: str, side_a: Iterable[str | None], side_b: Iterable[str | None]) -> str | None:
    """The participant part of the merge key; None (never merged) when an actor is unidentified or a side is
    missing: "the Houthis attacked" on two days is too little to say it is one attack."""
    raw_a, raw_b = list(side_a), list(side_b)
    a = {x for x in raw_a if x is not None}
    b = {x for x in raw_b if x is not None}
    if len(a) < len(set(raw_a)) or len(b) < len(set(raw_b)):
        return None
    if is_symmetric(event_type):
        return json.dumps(["<>", sorted(a | b)], ensure_ascii=False) if len(a | b) >= 2 else None
    return json.dumps(["->", sorted(a), sorted(b)], ensure_ascii=False) if a and b else None


def _compatible(a: str, b: str) -> bool:
    """A coarse date contains a finer one ("2022-03" and "2022-03-15"); equal dates are compatible."""
    return a.startswith(b) or b.startswith(a)


def distance(cluster: Cluster, w: When, window: int = DEFAULT_WINDOW_DAYS) -> int | None:
    """Days between a report and a merged event, or None when the report cannot belong to it."""
    if w.day is not None and cluster.day is not None:
        d = abs(w.day - cluster.day)
        return d if d <= window else None
    if w.stated and cluster.stated and not _compatible(w.stated, cluster.stated):
        return None
    if w.pub is None or cluster.pub is None:
        return None
    d = abs(w.pub - cluster.pub)
    return d if d <= window else None


def choose(candidates: Iterable[Cluster], doc: Hashable, w: When, window: int = DEFAULT_WINDOW_DAYS) -> Cluster | None:
    """The merged event a report joins: the nearest in days, then the oldest; None: it starts a new one."""
    best: tuple[int, int, Cluster] | None = None
    for c in candidates:
        if doc in c.docs:
            continue
        d = distance(c, w, window)
        if d is not None and (best is None or (d, c.id) < best[:2]):
            best = (d, c.id, c)
    return best[2] if best else None


class MergeIndex:
    """Incremental merging in memory, with the store's semantics (a run without a store, tests, batch jobs)."""

    def __init__(self, window: int = DEFAULT_WINDOW_DAYS) -> None:
        self.window = window
        self.clusters: list[Cluster] = []
        self._groups: dict[tuple[str, str], list[Cluster]] = {}

    def add(self, event_type: str, key: str | None, doc: Hashable, w: When) -> int:
        """File one report; returns the id of the merged event it belongs to (ids count from 0)."""
        group = self._groups.setdefault((event_type, key), []) if key is not None else []
        c = choose(group, doc, w, self.window)
        if c is None:
            c = Cluster(len(self.clusters))
            self.clusters.append(c)
            group.append(c)
        c.absorb(doc, w)
        return c.id


# -- summaries of a merged event's reports ----------------------------------------------------------------------
def merged_status(statuses: Sequence[str | None]) -> str:
    """Occurred if any report says so; else the most frequent status (ties in STATUS_ORDER)."""
    known = [s for s in statuses if s]
    if not known:
        return "occurred"
    if "occurred" in known:
        return "occurred"
    counts = Counter(known)
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return min(counts, key=lambda s: (-counts[s], rank.get(s, len(rank)), s))


def consensus_date(dates: Sequence[str | None]) -> str | None:
    """The most precise stated date, the one most reports give, then the earliest."""
    known = [d for d in dates if d]
    if not known:
        return None
    counts = Counter(known)
    return min(counts, key=lambda d: (-len(d), -counts[d], d))


def most_common(values: Sequence[str | None]) -> str | None:
    """The most frequent known value, the first seen on ties."""
    known = [v for v in values if v]
    if not known:
        return None
    counts = Counter(known)
    return max(known, key=lambda v: (counts[v], -known.index(v)))
