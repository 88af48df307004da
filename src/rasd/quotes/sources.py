"""The attribution chain of an article: cited media, official bodies, named people and unnamed officials."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasd.quotes.attribution import Attribution

_KIND_BY_ACTOR = {"media": "media", "person": "person", "org": "official_body", "gpe": "official_body"}


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # media | officials | official_body | person
    actor: str | None  # kb id
    text: str
    start: int
    end: int
    count: int | None
    named: bool


def sources_from(attributions: Sequence[Attribution], actor_kinds: dict[str, str]) -> list[Source]:
    """One source per cited actor or unnamed-source phrase, in order of first citation."""
    out: list[Source] = []
    seen: set[str] = set()
    for a in attributions:
        if a.span is None or a.text is None or a.kind == "continued":
            continue
        if a.kind == "anonymous":
            key = "anon:" + a.text
            kind, named = "officials", False
        elif a.actor is not None:
            key = "actor:" + a.actor
            kind = _KIND_BY_ACTOR.get(actor_kinds.get(a.actor, ""), "person")
            named = True
        else:
            continue  # a bare title we could not resolve
        if key in seen:
            continue
        seen.add(key)
        out.append(Source(kind, a.actor, a.text, a.span.start, a.span.end, a.count, named))
    return out
