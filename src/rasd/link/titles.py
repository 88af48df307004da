"""Titles and government phrases that name actors without naming them.

- "وزير الخارجية الأمريكي" / "وزير خارجية روسيا": the person who held that role of that state on the
  article's date (roles carry start and end dates in the knowledge base), or, when the article has no date,
  the one holder of that role whom the article names elsewhere.
- "وزير الخارجية الأمريكي أنتوني بلينكن": the title joins the name's mention, and states the person's role.
- "نظيره الروسي": the counterpart, i.e. the same role as the person just mentioned, of the other state.
- "الإدارة الأمريكية", "الحكومة الروسية", "الوفد الأمريكي", "إدارة بايدن": the state itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rasd.kb.gazetteer import MentionMatch, alias_tokens
from rasd.kb.model import Actor, KnowledgeBase
from rasd.text.normalize import normalize_text
from rasd.text.segment import Token, clitic_bases

# Nouns that, with a state's adjective, stand for its government.
_GOVERNMENT_NOUNS = frozenset(
    normalize_text(w)
    for w in [
        *("الإدارة", "الحكومة", "السلطات", "الجانب", "الوفد", "القيادة", "الدولة", "النظام", "الطرف"),
        # Officials of a state, named by its adjective, act for it ("محادثات مع مسؤولين أوكرانيين").
        *("مسؤولين", "مسؤولون", "المسؤولين", "المسؤولون", "مسؤولي"),
    ]
)
_BEGINS_CACHE = 100_000  # words whose answer `_may_begin` keeps
_ADMINISTRATION = normalize_text("إدارة")  # "إدارة بايدن", "إدارة الرئيس الأمريكي جو بايدن"
_COUNTERPART = frozenset(normalize_text(w) for w in "نظيره نظيرته نظيريه نظراءه نظيرها نظيرهم".split())
# A title after one of these is a complement ("مستشار الرئيس الأمريكي جو بايدن" is the adviser OF the
# president): the name belongs to the inner title, and an unnamed holder is not the one meant.
_RELATIONAL = frozenset(
    normalize_text(w)
    for w in "مستشار مستشارة مساعد مساعدة نائب نائبة مكتب متحدث المتحدث ناطق الناطق مبعوث المبعوث زوجة زوج "
    "ابن ابنة نجل شقيق مقرب مقربون حكومة ديوان".split()
)
_FORMER = frozenset(normalize_text(w) for w in "السابق السابقة الأسبق الأسبقة سابق سابقة".split())


@dataclass(frozen=True)
class TitleMatch:
    """A resolved title or government phrase: `match` is a mention of `actor_id` (or None if unresolved)."""

    match: MentionMatch | None
    role: str | None  # the role key the phrase names
    of: str | None  # the state (actor id) the role belongs to
    absorbed: MentionMatch | None = None  # the name mention the title was joined to


def _adjective_index(kb: KnowledgeBase) -> dict[str, str]:
    """'الامريكي', 'الامريكيه', 'امريكي' ... -> united_states (only countries: gpe without stands_for)."""
    out: dict[str, str] = {}
    for a in kb.actors.values():
        if a.kind != "gpe" or a.stands_for:
            continue
        for adj in a.adjectives:
            n = normalize_text(adj)
            plural = (n + "ين", n + "ون") if n.endswith("ي") else ()  # "أوكرانيين", "الأمريكيون"
            for form in (n, *plural):
                out.setdefault(form, a.id)
                out.setdefault("ال" + form, a.id)
    return out


class TitleResolver:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.adjectives = _adjective_index(kb)
        # title tokens -> role keys; the construct form drops the last word's article ("وزير خارجية").
        self.titles: dict[str, list[tuple[tuple[str, ...], str, bool]]] = defaultdict(list)
        for role, spec in (kb.roles or {}).items():
            for form in (spec or {}).get("ar", []) or []:
                toks = alias_tokens(form)
                if not toks:
                    continue
                self.titles[toks[0]].append((toks, role, False))
                if len(toks) > 1 and toks[-1].startswith("ال") and len(toks[-1]) > 3:
                    construct = (*toks[:-1], toks[-1][2:])
                    self.titles[construct[0]].append((construct, role, True))
                if len(toks) == 1 and not toks[0].startswith("ال"):
                    self.titles["ال" + toks[0]].append((("ال" + toks[0],), role, False))
        for entries in self.titles.values():
            entries.sort(key=lambda e: -len(e[0]))
        # Every word a title, a government phrase or a counterpart can begin with, behind any proclitic:
        # most words begin none, which `_may_begin` settles with one cached look-up.
        self._heads = frozenset(self.titles) | _GOVERNMENT_NOUNS | _COUNTERPART | {_ADMINISTRATION}
        self._begins: dict[str, bool] = {}
        self._holders: dict[tuple[str, str], list[tuple[Actor, object]]] = defaultdict(list)
        for a in kb.actors.values():
            for r in a.roles:
                if r.of:
                    self._holders[(r.role, r.of)].append((a, r))

    # -- role look-ups ----------------------------------------------------------------------------------------
    def holder(self, role: str, of: str, day: dt.date | None, named: set[str]) -> Actor | None:
        """Who held `role` of `of`: on `day` if known; else the one holder the article names."""
        cands = self._holders.get((role, of), [])
        if day is not None:
            on_day = [a for a, r in cands if r.active_on(day)]  # type: ignore[attr-defined]
            if len(on_day) == 1:
                return on_day[0]
            named_on_day = [a for a in on_day if a.id in named]
            return named_on_day[0] if len(named_on_day) == 1 else None
        in_article = {a.id: a for a, _ in cands if a.id in named}
        return next(iter(in_article.values())) if len(in_article) == 1 else None

    def role_of(self, actor: Actor, day: dt.date | None) -> tuple[str, str] | None:
        if day is not None:
            r = actor.role_on(day)
            if r is not None and r.of:
                return r.role, r.of
        for r in actor.roles:  # undated article: the most recent role
            if r.of:
                return r.role, r.of
        return None

    # -- matching -----------------------------------------------------------------------------------------
    def _may_begin(self, word: str) -> bool:
        """Whether a reading of the word (`clitic_bases`) is one a title or government phrase begins with."""
        hit = self._begins.get(word)
        if hit is None:
            if len(self._begins) >= _BEGINS_CACHE:
                self._begins.clear()
            hit = self._begins[word] = any(base in self._heads for _, base in clitic_bases(word))
        return hit

    def _title_at(self, tokens: Sequence[Token], i: int) -> tuple[int, str, bool, int] | None:
        """(last token, role, construct, prefix) of the longest title starting at token i."""
        tok = tokens[i]
        for prefix, base in clitic_bases(tok.norm):
            for toks, role, construct in self.titles.get(base, ()):
                k = len(toks)
                if i + k > len(tokens):
                    continue
                if all(tokens[i + j].norm == toks[j] for j in range(1, k)):
                    return i + k - 1, role, construct, prefix
        return None

    def find(
        self,
        tokens: Sequence[Token],
        matches: Sequence[MentionMatch],
        nt_to_orig: Callable[[int], int],  # NormText.to_orig
        published: dt.date | None,
    ) -> list[TitleMatch]:
        by_first = {m.first_token: m for m in matches}
        kinds = {m.first_token: self.kb.get(m.actor_ids[0]) for m in matches}
        named = {m.actor_ids[0] for m in matches if (a := self.kb.get(m.actor_ids[0])) and a.kind == "person"}
        out: list[TitleMatch] = []
        last_person: Actor | None = None
        # Only the matches and the words a title can begin need a look; the others are passed over.
        known, may_begin = self._begins, self._may_begin
        begin = [
            i for i, t in enumerate(tokens) if known.get(t.norm, False) or (t.norm not in known and may_begin(t.norm))
        ]
        after = 0  # the first token not yet covered by a match or a title
        for i in sorted(set(begin).union(by_first)):
            if i < after:
                continue
            tok = tokens[i]
            m = by_first.get(i)
            if m is not None:
                a = kinds[i]
                if a is not None and a.kind == "person":
                    last_person = a
                if (a is not None and a.kind == "person") or tok.norm != _ADMINISTRATION:
                    after = m.last_token + 1
                    continue
            if not tok.is_word or not may_begin(tok.norm):
                continue
            got = self._government(tokens, i, by_first, kinds, nt_to_orig, published)
            if got is None:
                got = self._counterpart(tokens, i, last_person, nt_to_orig, published, named)
            if got is None:
                got = self._title(tokens, i, by_first, kinds, nt_to_orig, published, named)
            if got is None:
                continue
            out.append(got)
            if got.absorbed is not None:
                a = self.kb.get(got.absorbed.actor_ids[0])
                if a is not None:
                    last_person = a
            elif got.match is not None and (a := self.kb.get(got.match.actor_ids[0])) and a.kind == "person":
                last_person = a
            end = got.absorbed.last_token if got.absorbed else (got.match.last_token if got.match else i)
            after = max(i + 1, end + 1)
        return out

    def _mk(
        self,
        tokens: Sequence[Token],
        first: int,
        last: int,
        prefix: int,
        actor_id: str,
        form: str,
        nt_to_orig: Callable[[int], int],
    ) -> MentionMatch:
        start = nt_to_orig(tokens[first].nstart + prefix)
        prev = tokens[first - 1].norm if first > 0 and tokens[first - 1].is_word else None
        return MentionMatch(start, tokens[last].end, (actor_id,), form, first, last, tokens[first].norm[:prefix], prev)

    def _adjective_at(self, tokens: Sequence[Token], j: int) -> str | None:
        if j < len(tokens) and tokens[j].is_word:
            return self.adjectives.get(tokens[j].norm)
        return None

    def _government(
        self,
        tokens: Sequence[Token],
        i: int,
        by_first: dict[int, MentionMatch],
        kinds: dict[int, Actor | None],
        nt_to_orig: Callable[[int], int],
        published: dt.date | None,
    ) -> TitleMatch | None:
        tok = tokens[i]
        for prefix, base in clitic_bases(tok.norm):
            if base in _GOVERNMENT_NOUNS:
                state = self._adjective_at(tokens, i + 1)
                if state is not None:
                    # "المسؤولون الأمريكيون": the demonym alone is also a mention; the phrase absorbs it.
                    inner = by_first.get(i + 1)
                    absorbed = inner if inner is not None and inner.last_token == i + 1 else None
                    mk = self._mk(tokens, i, i + 1, prefix, state, "government", nt_to_orig)
                    return TitleMatch(mk, None, state, absorbed)
            if base == _ADMINISTRATION:
                # "إدارة بايدن", "إدارة الرئيس الأمريكي جو بايدن": the state whose head the person was.
                for j in range(i + 1, min(len(tokens), i + 6)):
                    m = by_first.get(j)
                    if m is None:
                        if not tokens[j].is_word:
                            break
                        continue
                    a = kinds[j]
                    role = self.role_of(a, published) if a is not None and a.kind == "person" else None
                    if role is not None and role[0] == "head_of_state":
                        return TitleMatch(
                            self._mk(tokens, i, m.last_token, prefix, role[1], "government", nt_to_orig),
                            None, role[1],
                        )  # fmt: skip
                    break
        return None

    def _counterpart(
        self,
        tokens: Sequence[Token],
        i: int,
        last_person: Actor | None,
        nt_to_orig: Callable[[int], int],
        published: dt.date | None,
        named: set[str],
    ) -> TitleMatch | None:
        if last_person is None:
            return None
        for prefix, base in clitic_bases(tokens[i].norm):
            if base not in _COUNTERPART:
                continue
            state = self._adjective_at(tokens, i + 1)
            role = self.role_of(last_person, published)
            if state is None or role is None or state == role[1]:
                return None
            holder = self.holder(role[0], state, published, named)
            if holder is None:
                return TitleMatch(None, role[0], state)
            return TitleMatch(self._mk(tokens, i, i + 1, prefix, holder.id, "title", nt_to_orig), role[0], state)
        return None

    def _title(
        self,
        tokens: Sequence[Token],
        i: int,
        by_first: dict[int, MentionMatch],
        kinds: dict[int, Actor | None],
        nt_to_orig: Callable[[int], int],
        published: dt.date | None,
        named: set[str],
    ) -> TitleMatch | None:
        found = self._title_at(tokens, i)
        if found is None:
            return None
        last, role, construct, prefix = found
        relational = any(base in _RELATIONAL for _, base in clitic_bases(tokens[i].norm))
        if relational and last > i and self._title_at(tokens, i + 1) is not None:
            return None  # "مستشار الرئيس ...": let the inner title ("الرئيس ...") match at the next token
        after_relational = (
            i > 0 and tokens[i - 1].is_word and any(base in _RELATIONAL for _, base in clitic_bases(tokens[i - 1].norm))
        )
        j = last + 1
        state: str | None = None
        if construct:
            m = by_first.get(j)
            a = kinds.get(j) if m is not None else None
            if a is not None and a.kind == "gpe":
                state = self.kb.resolve(a.id).id if a.stands_for else a.id  # type: ignore[union-attr]
                j = m.last_token + 1  # type: ignore[union-attr]
        else:
            state = self._adjective_at(tokens, j)
            if state is not None:
                j += 1
                # "رئيس الأركان المشتركة الأمريكية": a qualifier may sit between title and adjective.
            elif j + 1 < len(tokens) and tokens[j].is_word and self._adjective_at(tokens, j + 1):
                state = self._adjective_at(tokens, j + 1)
                j += 2
        if state is None:
            return None
        # A name right after the title: the title joins its mention and states its role.
        m = by_first.get(j)
        if m is not None and (a := kinds[j]) is not None and a.kind == "person":
            joined = self._mk(tokens, i, m.last_token, prefix, a.id, "title", nt_to_orig)
            return TitleMatch(joined, role, state, absorbed=m)
        former = j < len(tokens) and tokens[j].norm in _FORMER
        holder = None if after_relational or former else self.holder(role, state, published, named)
        if holder is None:
            return TitleMatch(None, role, state)
        return TitleMatch(self._mk(tokens, i, j - 1, prefix, holder.id, "title", nt_to_orig), role, state)
