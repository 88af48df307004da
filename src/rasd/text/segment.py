"""Sentence and token segmentation over the normalised text, with spans in original offsets.

Tokens are found on the normalised string (no diacritics or tatweel to split words) and mapped back, so a
token's span covers the word exactly as written, diacritics included. Clitics (و ف ب ل ك and the article ال)
are not split off: `clitic_bases()` lists the readings of a word without them, for matchers to try.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd.document import Span
from rasd.text.normalize import DIACRITICS, NormText

# Letters and digits of the normalised text: \w minus the underscore.
_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)
_SENT_END_RE = re.compile(r"[.!?؟…]+[\"'”»)\]]*(?=\s)|\n+")
# A single letter before a full stop is an initial or an abbreviation ("د.", "U.S."), not a sentence end.
_ABBREV_RE = re.compile(r"(?:^|[\s(])(?:[^\W\d_]|د|م|ص|ج|هـ|ه|ق)\.$")


@dataclass(slots=True, unsafe_hash=True)
class Token:
    """A token: its normalised form and where it sits in both strings.

    Treat it as immutable. It is not declared frozen because every article makes hundreds of tokens, and a
    frozen dataclass takes four times as long to create."""

    norm: str
    nstart: int  # offset in the normalised text
    start: int  # offsets in the original text
    end: int

    @property
    def nend(self) -> int:
        return self.nstart + len(self.norm)

    @property
    def is_word(self) -> bool:
        return self.norm[0].isalnum()


def tokenize(nt: NormText) -> list[Token]:
    """Words, numbers and single punctuation marks, in order.

    The words come from one `findall` and their offsets from `str.find` (between two tokens there is only
    what the pattern skips, white space and underscores, which no token contains), which is faster than
    a match object per token; then each is mapped back as `NormText.to_orig_span` maps it."""
    text = nt.text
    words = _TOKEN_RE.findall(text)
    starts: list[int] = []
    find = text.find
    pos = 0
    for w in words:
        pos = find(w, pos)
        starts.append(pos)
        pos += len(w)
    ends = [a + len(w) for a, w in zip(starts, words, strict=True)]
    if nt.src is None:  # nothing was removed or expanded, so no diacritic trails a word: offsets are equal
        return list(map(Token, words, starts, starts, ends))
    src = nt.src
    orig = nt.original
    n = len(orig)
    o_ends: list[int] = []
    for e in ends:
        o_end = src[e - 1] + 1
        while o_end < n and orig[o_end] in DIACRITICS:  # the word's trailing diacritics are part of it
            o_end += 1
        o_ends.append(o_end)
    return list(map(Token, words, starts, [src[a] for a in starts], o_ends))


def sentences(nt: NormText) -> list[Span]:
    """Sentence spans (original offsets): split at . ! ? ؟ followed by space, and at line breaks."""
    text = nt.text
    spans: list[Span] = []
    start = 0
    for m in _SENT_END_RE.finditer(text):
        if m.group()[0] == "." and _ABBREV_RE.search(text[max(0, m.start() - 3) : m.start() + 1]):
            continue
        end = m.end() if m.group()[0] != "\n" else m.start()
        _add_sentence(nt, start, end, spans)
        start = m.end()
    _add_sentence(nt, start, len(text), spans)
    return spans


def _add_sentence(nt: NormText, start: int, end: int, spans: list[Span]) -> None:
    text = nt.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        s, e = nt.to_orig_span(start, end)
        spans.append(Span(s, e, "sentence"))


_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


@lru_cache(maxsize=65_536)
def clitic_bases(word: str, min_len: int = 2) -> tuple[tuple[int, str], ...]:
    """Readings of a normalised word without its proclitics, as (prefix length, base), longest base first.

    "وللولايات" -> ((0, "وللولايات"), (1, "للولايات"), (2, "لولايات"), (1, "الولايات")...): the article ال
    after ل is written لل, so "لل" + rest also reads as "ال" + rest. Callers try each base against a lexicon.
    Every matcher asks this of every word, so the answers are cached (a bounded cache: memory stays flat).
    """
    out: list[tuple[int, str]] = [(0, word)]
    seen = {word}

    def add(p: int, base: str) -> None:
        if len(base) >= min_len and base not in seen:
            seen.add(base)
            out.append((p, base))

    stems = [(0, word)]
    if word[:1] in _CONJ and len(word) > min_len + 1:
        stems.append((1, word[1:]))
    for p, w in list(stems):
        if w[:1] in _PREP and len(w) > min_len + 1:
            stems.append((p + 1, w[1:]))
            if w[0] == "ل" and w.startswith("لل") and len(w) > 3:
                # ل + ال: "للرئيس" = ل + الرئيس; the alef is not written, so the span keeps the ل.
                add(p, "ا" + w[1:])
    for p, w in stems:
        add(p, w)
    # The article: offer the bare noun too ("الروسي" -> "روسي") after the other readings.
    for p, w in list(out):
        if w.startswith("ال") and len(w) > min_len + 2:
            add(p + 2, w[2:])
    return tuple(out)


def drops_article(word: str, prefix: int, base: str) -> bool:
    """Is this reading of `word` (from `clitic_bases`) the one without the article ال?

    Names of countries and cities never take the article, so "الجدة" (the grandmother) must not read as جدة;
    only adjectives ("الروسي" -> روسي) are matched through this reading.
    """
    return prefix >= 2 and word[prefix - 2 : prefix] == "ال" and base == word[prefix:]
