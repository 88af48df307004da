"""Media names that are not actors of the story: the outlet's own byline, and photo or wire credits.

"عربي بوست" alone on a header line is the article's outlet; "مارك ميلي/رويترز" under a photo and
"القاهرة (رويترز) -" are credits. Analysts want the outlet in the record's metadata and credits out of the
actor list, so the media names in those positions are taken out of the gazetteer matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rasd.kb.gazetteer import MentionMatch
from rasd.kb.model import KnowledgeBase

_HEADER_LINES = 6
_BYLINE_PUNCT = re.compile(r"^[\s\-–—:|/•·]*$")


@dataclass(frozen=True)
class Credits:
    outlet: str | None  # the byline's text as written, when the header names the outlet
    dropped: list[MentionMatch]  # byline and credit matches, removed from the actors' mentions
    kept: list[MentionMatch]


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def split_credits(text: str, matches: Sequence[MentionMatch], kb: KnowledgeBase) -> Credits:
    header_end = 0
    for _ in range(_HEADER_LINES):
        nl = text.find("\n", header_end)
        if nl < 0:
            header_end = len(text)
            break
        header_end = nl + 1
        while header_end < len(text) and text[header_end] == "\n":
            header_end += 1
    outlet: str | None = None
    kept: list[MentionMatch] = []
    dropped: list[MentionMatch] = []
    for m in matches:
        actor = kb.get(m.actor_ids[0])
        if actor is None or actor.kind != "media":
            kept.append(m)
            continue
        ls, le = _line_bounds(text, m.start)
        before, after = text[ls : m.start], text[m.end : le]
        if m.start < header_end and _BYLINE_PUNCT.match(before) and _BYLINE_PUNCT.match(after):
            outlet = outlet or text[m.start : m.end]
            dropped.append(m)
        elif before.rstrip().endswith("/") and not after.strip(" .)"):
            dropped.append(m)  # photo credit: "... مارك ميلي/رويترز"
        elif (
            before.rstrip().endswith("(")
            and after.lstrip().startswith(")")
            and (not after.lstrip()[1:].strip() or after.lstrip()[1:].lstrip().startswith(("-", "–", "—", ":")))
        ):
            dropped.append(m)  # "(رويترز)" closing a caption, or the wire credit of a dateline
        else:
            kept.append(m)
    return Credits(outlet, dropped, kept)
