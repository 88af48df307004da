"""Turn gazetteer matches into the actors of one article.

Each knowledge-base actor named in the article becomes one `LinkedActor` carrying all its mentions. Capitals
that stand for a government ("قالت واشنطن", "موسكو ترفض") and demonyms ("الروس") are mentions of the
country, unless the capital is a place ("في واشنطن", "إلى موسكو"), where it stays the city; named
buildings ("الكرملين", "البيت الأبيض") stay actors of their own, as analysts cite them. Ambiguous names
take the reading already established in the article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from rasd.document import Span
from rasd.kb.gazetteer import MentionMatch
from rasd.kb.model import Actor, KnowledgeBase
from rasd.link.local import Entity, local_actors
from rasd.link.titles import TitleMatch


@dataclass
class LinkedActor:
    rid: str  # record-local id: a1, a2, ...
    kb_id: str | None
    kind: str
    name_en: str | None
    name_ar: str | None
    wikidata: str | None
    role: str | None
    mentions: list[Span] = field(default_factory=list)
    local_key: str | None = None  # for actors the knowledge base lacks: the cross-article cluster key

    @property
    def key(self) -> str:
        """The id that mentions, quotes and sources use: the KB id, or the local key."""
        return self.kb_id or self.local_key or self.rid


# "في واشنطن", "إلى موسكو", "بكييف": the city as a place, not its government.
_LOCATIVE_PREPS = frozenset({"في", "الي", "من", "داخل", "قرب", "نحو", "خارج", "حول", "وفي", "والي", "ومن"})


def is_locative(m: MentionMatch) -> bool:
    return m.proclitic.endswith("ب") or (m.prev is not None and m.prev in _LOCATIVE_PREPS)


def _resolve(kb: KnowledgeBase, actor_id: str, m: MentionMatch) -> Actor | None:
    a = kb.get(actor_id)
    if a is not None and a.kind == "gpe" and a.stands_for and not is_locative(m):
        return kb.resolve(actor_id)
    return a


def link_mentions(
    matches: Sequence[MentionMatch],
    kb: KnowledgeBase,
    published: dt.date | None,
    titles: Sequence[TitleMatch] = (),
) -> tuple[list[LinkedActor], list[Span]]:
    """Actors in order of first mention, and the mention spans (attrs: actor = kb id, form).

    `titles` (from `TitleResolver`) add title and government mentions; a title joined to a name replaces
    the name's mention with the longer one and states the person's role.
    """
    absorbed = {id(t.absorbed) for t in titles if t.absorbed is not None}
    stated: dict[str, tuple[str, str | None]] = {}
    for t in titles:
        if t.role and t.absorbed is not None:
            stated.setdefault(t.absorbed.actor_ids[0], (t.role, t.of))
        elif t.role and t.match is not None:
            stated.setdefault(t.match.actor_ids[0], (t.role, t.of))
    matches = sorted(
        [m for m in matches if id(m) not in absorbed] + [t.match for t in titles if t.match is not None],
        key=lambda m: (m.start, -m.end),
    )
    settled: set[str] = {m.actor_ids[0] for m in matches if len(m.actor_ids) == 1}
    by_id: dict[str, LinkedActor] = {}
    spans: list[Span] = []
    for m in matches:
        choice = next((a for a in m.actor_ids if a in settled), m.actor_ids[0])
        actor = _resolve(kb, choice, m)
        if actor is None:
            continue
        la = by_id.get(actor.id)
        if la is None:
            la = LinkedActor(
                rid=f"a{len(by_id) + 1}",
                kb_id=actor.id,
                kind=actor.kind,
                name_en=actor.name_en,
                name_ar=actor.name_ar,
                wikidata=actor.wikidata,
                role=_role_label(kb, actor, published, stated.get(actor.id)),
            )
            by_id[actor.id] = la
        span = Span(
            m.start,
            m.end,
            "mention",
            {"actor": actor.id, "form": m.form, "tokens": (m.first_token, m.last_token)},
        )
        la.mentions.append(span)
        spans.append(span)
    return list(by_id.values()), spans


def _role_label(
    kb: KnowledgeBase, actor: Actor, published: dt.date | None, stated: tuple[str, str | None] | None
) -> str | None:
    """The role on the publication date; for an undated article, the role its text states."""
    role = actor.role_on(published)
    if role is not None:
        return role.title_en or role.role
    if stated is None:
        return None
    key, of = stated
    for r in actor.roles:
        if r.role == key and (of is None or r.of == of):
            return r.title_en or key
    spec = kb.roles.get(key) or {}
    state = kb.get(of) if of else None
    label = spec.get("en") or key
    return f"{label} ({state.name_en})" if state else label


def add_local_actors(
    actors: list[LinkedActor], spans: list[Span], text: str, entities: Sequence[Entity], taken: Sequence[Span]
) -> None:
    """Append actors for NER entities the knowledge base did not cover (in place), with their mentions."""
    for la in local_actors(text, entities, [*spans, *taken]):
        actor = LinkedActor(
            rid=f"a{len(actors) + 1}", kb_id=None, kind=la.kind, name_en=None, name_ar=la.name, wikidata=None,
            role=None, local_key=la.key,
        )  # fmt: skip
        for m in la.mentions:
            span = Span(
                m.start, m.end, "mention", {**m.attrs, "actor": la.key, "form": "ner", "tokens": m.attrs["tokens"]}
            )
            actor.mentions.append(span)
            spans.append(span)
        actors.append(actor)
    spans.sort(key=lambda s: s.start)
