"""Entities the knowledge base does not know: local actors, with in-article coreference.

The NER tagger finds names the knowledge base lacks ("جون تيرني", "مجلس العلاقات الخارجية"). Each becomes a
local actor. Within an article, a person named in full and later by surname ("تيرني") is one actor; across
articles, local actors are clustered by a key made of their kind and normalised full name, so the store can
count "جون تيرني" in every article that names him even though no knowledge-base entry exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rasd.document import Span
from rasd.text.normalize import normalize_text

_KINDS = {"PERS": "person", "ORG": "org", "LOC": "loc"}


# Words that make a poor entity on their own (NER noise on titles and function words).
def _strip_article(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


_NOT_NAMES = frozenset(
    _strip_article(normalize_text(w))
    for w in (
        "الرئيس الوزير رئيس وزير الحكومة الدولة الجيش القوات المسؤول المسؤولين مسؤول الأمين العام السيد "
        "الجنرال الشيخ الأمير الملك الدكتور المتحدث الناطق المبعوث السفير مجلس وزارة حزب حركة هيئة لجنة "
        "اليوم أمس العالم المنطقة البلاد العاصمة الحرب السلام"
    ).split()
)


@dataclass(frozen=True, slots=True)
class Entity:
    """An NER entity: original offsets, its label and its token range (inclusive)."""

    start: int
    end: int
    label: str  # PERS | ORG | LOC | MISC
    first_token: int
    last_token: int


@dataclass
class LocalActor:
    key: str  # "local:person:جون تيرني" — the cross-article cluster key
    kind: str
    name: str  # the fullest form met in the article, as written
    mentions: list[Span] = field(default_factory=list)


def _name_tokens(text: str) -> tuple[str, ...]:
    return tuple(_strip_article(w) for w in normalize_text(text).split())


def local_actors(text: str, entities: Iterable[Entity], taken: Sequence[Span]) -> list[LocalActor]:
    """Local actors from NER entities that do not overlap a knowledge-base mention (`taken`)."""
    taken_sorted = sorted((s.start, s.end) for s in taken)
    actors: list[LocalActor] = []
    by_key: dict[str, LocalActor] = {}
    persons: list[tuple[tuple[str, ...], LocalActor]] = []
    for e in sorted(entities, key=lambda e: e.start):
        kind = _KINDS.get(e.label)
        if kind is None or any(s < e.end and e.start < t for s, t in taken_sorted):
            continue
        surface = text[e.start : e.end]
        toks = _name_tokens(surface)
        if not toks or all(t in _NOT_NAMES for t in toks) or sum(len(t) for t in toks) < 3:
            continue
        span = Span(e.start, e.end, "mention", {"label": e.label, "tokens": (e.first_token, e.last_token)})
        actor: LocalActor | None = None
        if kind == "person":
            # "تيرني" after "جون تيرني" (or the full name after the surname): the same person.
            for ptoks, pa in reversed(persons):
                if set(toks) <= set(ptoks) or set(ptoks) <= set(toks):
                    actor = pa
                    break
        if actor is None:
            key = f"local:{kind}:{' '.join(toks)}"
            actor = by_key.get(key)
            if actor is None:
                actor = LocalActor(key, kind, surface)
                by_key[key] = actor
                actors.append(actor)
        if kind == "person":
            persons.append((toks, actor))
            if len(toks) > len(_name_tokens(actor.name)):
                actor.name = surface  # keep the fullest form as the name
                actor.key = f"local:person:{' '.join(toks)}"
        actor.mentions.append(span)
    return actors
