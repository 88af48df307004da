"""Who says so: reporting verbs and "according to" phrases with the speaker or source they name.

An `Attribution` is a cue (قال، أكد، بحسب، نقلاً عن ...) and the subject found for it: a linked actor, a title
that refers back to a person met earlier ("المتحدث"), or an unnamed source ("مسؤول أمريكي رفيع"). Arabic
puts the subject after the verb (VSO) more often than before it, so the search looks right first, then left;
a verb with no subject ("وأضاف:") continues the previous speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasd.document import Span
from rasd.quotes.lexicon import (
    ANON_HEADS,
    ANON_MODIFIERS,
    ATTRIBUTION_PREPS,
    LABEL_NOUNS,
    NUMBER_WORDS,
    PREPOSITIONS,
    REPORTING_PARTICIPLES,
    REPORTING_VERBS,
    TITLE_NOUNS,
)
from rasd.text.segment import Token

_STOP = frozenset(
    {"ان", "انه", "انها", "انهم", "بان", "انما", "اذ", "عندما", "حيث", "بعد", "قبل", "لكن", "الذي", "التي"}
)
# Words that can follow a reporting verb without being its subject: particles, adverbs of time and manner.
_NOT_SUBJECT = frozenset(
    {"ان", "انه", "انها", "انهم", "بان", "لقد", "قد", "ايضا", "كذلك", "بدوره", "بدورها", "اليوم", "امس", "يوم",
     "خلال", "عقب", "اثناء", "مساء", "صباح", "ليل", "فيه", "فيها", "له", "لها", "لهم", "عنه", "عنها", "لي",
     "لنا", "لكم", "ما", "اذا",
     "لا", "لم", "لن", "هو", "هي", "هم", "انذاك", "حينها", "حينذاك", "مضيفا", "قائلا", "ردا", "تعليقا",
     "سابقا", "مؤخرا", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد", "امام", "منذ",
     "بعد", "قبل", "حين", "عندما", "الذي", "التي", "الذين", "كل", "بعض", "هذا", "هذه", "ذلك", "تلك", "بشكل",
     "بصوره", "صراحه", "بوضوح", "نقلا", "حسب", "بحسب", "وفق", "وفقا", "عبر", "بيان", "تصريح", "تصريحات"}
)  # fmt: skip
_AUX = frozenset({"كان", "كانت", "وكان", "وكانت", "قد", "وقد", "كما", "لقد", "ولقد", "فقد", "بدوره", "بدورها"})
# Within this many words of the cue; a subject further away is unlikely to be the cue's subject.
_MAX_SUBJECT_DISTANCE = 12


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: Span  # the verb or preposition
    cue_kind: str  # "verb" | "participle" | "prep"
    actor: str | None  # kb id of the speaker/source, None when unnamed or unknown
    text: str | None  # the phrase naming the speaker/source as written
    span: Span | None  # where that phrase is
    kind: str | None  # "actor" | "title" | "anonymous" | "continued" | None
    count: int | None = None  # for unnamed sources: how many ("6 مسؤولين" -> 6)


def _bare(word: str) -> str:
    """A word without a leading conjunction (و or ف), for lexicon look-ups."""
    return word[1:] if len(word) > 3 and word[0] in "وف" else word


def cue_kind(tok: Token) -> str | None:
    if not tok.is_word:
        return None
    for w in (tok.norm, _bare(tok.norm)):
        if w in REPORTING_PARTICIPLES:
            return "participle"
        if w in REPORTING_VERBS:
            return "verb"
        if w in ATTRIBUTION_PREPS:
            return "prep"
    return None


class AttributionFinder:
    """Finds attributions in one document, given its tokens and its linked mentions."""

    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        mentions: Sequence[Span],
        actor_kinds: dict[str, str],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.actor_kinds = actor_kinds
        self.mention_at: dict[int, Span] = {}
        self.mention_end_at: dict[int, Span] = {}
        for m in mentions:
            first, last = m.attrs["tokens"]
            self.mention_at[first] = m
            self.mention_end_at[last] = m

    # -- public -------------------------------------------------------------------------------------------
    def find_all(self, quoted: Sequence[tuple[int, int]] = ()) -> list[Attribution]:
        """Attributions in text order. Cues inside `quoted` ranges belong to the quoted speech, not the article."""
        out: list[Attribution] = []
        last_named: Attribution | None = None
        q = 0
        for i, tok in enumerate(self.tokens):
            kind = cue_kind(tok)
            if kind is None:
                continue
            while q < len(quoted) and quoted[q][1] < tok.start:
                q += 1
            if q < len(quoted) and quoted[q][0] < tok.start < quoted[q][1]:
                continue
            att = self.attribution_at(i, kind, last_named)
            if att is None:
                continue
            out.append(att)
            if att.kind in ("actor", "title", "anonymous", "unknown"):
                last_named = att
        return out

    def attribution_at(self, i: int, kind: str, previous: Attribution | None) -> Attribution | None:
        cue = Span(self.tokens[i].start, self.tokens[i].end, "cue")
        found = None
        if kind == "participle" and previous is not None and self.tokens[i].start - previous.cue.end < 600:
            # "، داعياً كييف إلى ...": a circumstantial participle shares the subject of its clause; the noun
            # after it is its object.
            return Attribution(cue, kind, previous.actor, previous.text, previous.span, "continued", previous.count)
        if kind == "verb" and self._after_auxiliary(i):
            found = self._subject_before(i)  # "وكان الوزير قال": the subject sits between كان and the verb
        if found is None:
            found = self._subject_after(i, kind)
        if found is None and kind == "verb":
            found = self._subject_before(i)
        if found is None and kind != "prep":
            found = self._unknown_subject(i)
        if found is not None:
            actor, text, span, skind, count = found
            return Attribution(cue, kind, actor, text, span, skind, count)
        if kind == "prep":
            return None
        if previous is not None and self.tokens[i].start - previous.cue.end < 1500:
            return Attribution(cue, kind, previous.actor, previous.text, previous.span, "continued", previous.count)
        return Attribution(cue, kind, None, None, None, None)

    def _after_auxiliary(self, i: int) -> bool:
        """كان/وكانت ... then up to five words, then the verb, all in one clause."""
        for k in range(i - 1, max(-1, i - 7), -1):
            tok = self.tokens[k]
            if not tok.is_word:
                return False
            if tok.norm in ("كان", "وكان", "كانت", "وكانت"):
                return k < i - 1
        return False

    # -- subject search -----------------------------------------------------------------------------------
    def _subject_after(self, i: int, kind: str) -> tuple | None:
        toks = self.tokens
        n = len(toks)
        j = i + 1
        if kind == "prep" and j < n and toks[j].norm in ("عن", "ل"):
            j += 1
        words = 0
        commas = 0
        while j < n and words <= _MAX_SUBJECT_DISTANCE:
            tok = toks[j]
            if not tok.is_word:
                if tok.norm in (":", "«", "“", '"', "."):
                    return None
                if tok.norm in ("،", ","):
                    commas += 1
                    if commas == 2:  # past a parenthetical ("، في مؤتمر صحفي،"): no longer the subject slot
                        return None
                j += 1
                continue
            words += 1
            bare = _bare(tok.norm)
            if bare in _STOP or tok.norm in _STOP:
                return None
            m = self.mention_at.get(j)
            if m is not None:
                in_pp = m.start > tok.start or (j > 0 and toks[j - 1].norm in PREPOSITIONS)
                if not in_pp or kind == "prep":
                    return self._actor_subject(m)
                j = m.attrs["tokens"][1] + 1
                continue
            anon = self._anonymous_at(j)
            if anon is not None:
                return anon
            if tok.norm in TITLE_NOUNS or bare in TITLE_NOUNS:
                return self._title_subject(j)
            if kind == "prep" and (tok.norm in LABEL_NOUNS or bare in LABEL_NOUNS):
                j += 1
                continue
            if cue_kind(tok) is not None:
                return None
            j += 1
        return None

    def _subject_before(self, i: int) -> tuple | None:
        toks = self.tokens
        j = i - 1
        while j >= 0 and toks[j].is_word and toks[j].norm in _AUX:
            j -= 1
        if j < 0 or not toks[j].is_word:
            return None
        m = self.mention_end_at.get(j)
        if m is not None:
            first = m.attrs["tokens"][0]
            in_pp = m.start > toks[first].start or (first > 0 and toks[first - 1].norm in PREPOSITIONS)
            return None if in_pp else self._actor_subject(m)  # "وصل إلى القاهرة وقال": not the subject
        # "وكان الرئيس الأمريكي قال": a title a few words back.
        for k in range(j, max(-1, j - 4), -1):
            if not toks[k].is_word:
                break
            if toks[k].norm in TITLE_NOUNS or _bare(toks[k].norm) in TITLE_NOUNS:
                return self._title_subject(k, stop=j)
            anon = self._anonymous_at(k)
            if anon is not None:
                return anon
        return None

    def _unknown_subject(self, i: int) -> tuple | None:
        """A noun right after the verb is its subject even when it names no known actor ("وقال جيمس
        سميث، مدير ..."): the speaker is then unknown, and the next "وأضاف" must not inherit an older one."""
        toks = self.tokens
        j = i + 1
        if j >= len(toks) or not toks[j].is_word:
            return None
        first = toks[j].norm
        if first in _NOT_SUBJECT or _bare(first) in _NOT_SUBJECT or first in PREPOSITIONS or first.isdigit():
            return None
        pp = len(first) > 4 and (first.startswith(("بال", "لل", "كال")) or (first[:1] in "بل" and first[1:3] == "ال"))
        if cue_kind(toks[j]) is not None or pp:
            return None  # another verb, or a prepositional phrase ("بالنسبة", "للصحفيين")
        end = j
        for k in range(j + 1, min(len(toks), j + 6)):
            t = toks[k]
            if not t.is_word or t.norm in _NOT_SUBJECT or t.norm in PREPOSITIONS or cue_kind(t) is not None:
                break
            end = k
        span = Span(toks[j].start, toks[end].end, "speaker")
        return None, self.text[span.start : span.end], span, "unknown", None

    def _actor_subject(self, m: Span) -> tuple:
        return m.attrs["actor"], self.text[m.start : m.end], m, "actor", None

    def _title_subject(self, j: int, stop: int | None = None) -> tuple:
        """A title phrase: a person named within it ("وزير الخارجية الروسي سيرغي لافروف"), else the person
        the same title introduced earlier in the article, else just the title."""
        toks = self.tokens
        end = j
        person: Span | None = None
        k = j
        limit = min(len(toks), j + 9) if stop is None else stop + 1
        while k < limit and toks[k].is_word and _bare(toks[k].norm) not in _STOP:
            if k > j and toks[k].norm in PREPOSITIONS:
                break
            m = self.mention_at.get(k)
            if m is not None:
                if self.actor_kinds.get(m.attrs["actor"]) == "person":
                    person = m
                    end = m.attrs["tokens"][1]
                    break
                k = m.attrs["tokens"][1]
            if cue_kind(toks[k]) is not None:
                break
            end = k
            k += 1
        if person is not None:
            return person.attrs["actor"], self.text[person.start : person.end], person, "actor", None
        span = Span(toks[j].start, toks[end].end, "title")
        phrase = self.text[span.start : span.end]
        body = self._spokesbody(j, end)
        if body is not None:
            return body.attrs["actor"], phrase, span, "title", None
        earlier = self._person_introduced_by(j, end)
        if earlier is not None:
            return earlier, phrase, span, "title", None
        return None, phrase, span, "title", None

    def _spokesbody(self, first: int, last: int) -> Span | None:
        """ "المتحدث باسم وزارة الخارجية": a spokesperson with no name speaks for the body named after باسم."""
        for k in range(first, last):
            if _bare(self.tokens[k].norm) == "باسم":
                return self.mention_at.get(k + 1)
        return None

    def _person_introduced_by(self, j: int, end: int | None = None) -> str | None:
        """The person (or, for a spokesperson, the body) most recently named right after the same title
        ("المتحدث باسم الخارجية نيد برايس" ... "وقال المتحدث"). Every word that qualifies the title here must
        qualify it there too: "رئيس الأركان الأمريكي" is not "الرئيس الأمريكي", "الرئيس الأوكراني" not either."""
        toks = self.tokens
        key = _title_key(toks[j].norm)
        wanted = [_title_key(t.norm) for t in toks[j + 1 : (end if end is not None else j) + 1] if t.is_word]
        for k in range(j - 1, -1, -1):
            if not toks[k].is_word or not (_title_key(toks[k].norm) & key):
                continue
            own = self.mention_at.get(k)  # the title was joined to its holder's name
            if own is not None and self.actor_kinds.get(own.attrs["actor"]) == "person":
                return own.attrs["actor"]
            body: Span | None = None
            found: str | None = None
            between: list[frozenset[str]] = []
            for q in range(k + 1, min(len(toks), k + 9)):
                if not toks[q].is_word:
                    break
                m = self.mention_at.get(q)
                if m is None:
                    between.append(_title_key(toks[q].norm))
                    continue
                if self.actor_kinds.get(m.attrs["actor"]) == "person":
                    found = m.attrs["actor"]
                    break
                if body is None and _bare(toks[q - 1].norm) == "باسم":
                    body = m
                between.append(_title_key(toks[q].norm))
            if found is None and body is not None:
                found = body.attrs["actor"]
            if found is not None and all(any(w & b for b in between) for w in wanted):
                return found
        return None

    def _anonymous_at(self, j: int) -> tuple | None:
        """An unnamed-source phrase starting at token j: [count] head [modifiers...]."""
        toks = self.tokens
        count: int | None = None
        start = j
        word = _bare(toks[j].norm)
        if toks[j].norm.isdigit() or word in NUMBER_WORDS:
            count = int(toks[j].norm) if toks[j].norm.isdigit() else NUMBER_WORDS[word]
            j += 1
            if j >= len(toks):
                return None
            word = _bare(toks[j].norm)
        elif word in ("احد", "بعض", "كبار", "عدد") and j + 1 < len(toks):
            nxt = _bare(toks[j + 1].norm)
            if nxt in ANON_HEADS:
                count = 1 if word == "احد" else None
                j += 1
                word = nxt
        if word not in ANON_HEADS:
            return None
        if count is None:
            count = ANON_HEADS[word]
        end = j
        k = j + 1
        while k < len(toks) and k - j <= 6 and toks[k].is_word:
            w = _bare(toks[k].norm)
            if w in NUMBER_WORDS and count is None:
                count = NUMBER_WORDS[w]
                end = k
            elif k == j + 1 and toks[j].norm.endswith(("ي", "و")) and len(toks[j].norm) > 4:
                end = k  # construct state: "مسؤولي الدفاع", "مسؤولو الإدارة"
            elif w in ANON_MODIFIERS or _is_nisba(w) or self.mention_at.get(k) is not None:
                end = k if self.mention_at.get(k) is None else self.mention_at[k].attrs["tokens"][1]
            elif w in ("في", "من", "على", "ب", "لدى") and k + 1 < len(toks) and toks[k + 1].is_word:
                end = k + 1
                k += 1
            else:
                break
            k = max(k, end) + 1
        span = Span(toks[start].start, toks[end].end, "anonymous")
        return None, self.text[span.start : span.end], span, "anonymous", count


def _title_key(word: str) -> frozenset[str]:
    """The readings of a title word without clitics and article ("والوزير" -> {"وزير", ...}).

    Both readings are kept because a leading و may be a conjunction or the word's own letter (وزير).
    """
    keys = set()
    for w in (word, _bare(word)):
        for p in ("ال", "لل"):
            if w.startswith(p) and len(w) > len(p) + 2:
                w = w[len(p) :]
                break
        keys.add(w.removesuffix("ه"))
    return frozenset(keys)


def _is_nisba(word: str) -> bool:
    """Adjectives of origin or affiliation ("أمريكي", "الروسية", "الغربيين") end in ي/يه/يين/يون."""
    w = word[2:] if word.startswith("ال") else word
    return len(w) >= 4 and w.endswith(("ي", "يه", "يين", "يون", "يا"))
