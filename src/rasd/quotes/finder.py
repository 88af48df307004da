"""Direct quotes: text inside quotation marks that someone is reported to have said.

A quoted stretch counts as a quote when a reporting verb or "according to" cue in the same sentence
introduces it (or one follows it: "...»، قال لافروف"). Short quoted stretches right after a noun such as
صحيفة or برنامج, or after a preposition, are titles and labels, not speech, and are left out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rasd.document import Span
from rasd.quotes.attribution import Attribution, AttributionFinder, cue_kind
from rasd.quotes.lexicon import LABEL_NOUNS, PREPOSITIONS
from rasd.text.segment import Token, clitic_bases

# Opening mark -> closing marks. Sites often close “ with “ again (a keyboard habit), so both count, but the
# repeated mark only closes when it ends a word ("... نية “.").
_PAIRS = {"“": "”“", "«": "»", "„": "“”", '"': '"', "‘": "’"}
_OPENERS = re.compile("|".join(map(re.escape, _PAIRS)))
_SHORT_WORDS = 3  # quotes this short need a cue close by and no label noun before them
_NEAR_WORDS = 20
_FAR_WORDS = 45


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # the quoted text, marks excluded
    end: int
    speaker: str | None  # kb id
    speaker_text: str | None
    speaker_span: Span | None
    cue: Span | None
    direct: bool = True


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(open mark, close mark) positions of quotation pairs within a paragraph; nested pairs are skipped."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        m = _OPENERS.search(text, i)
        if m is None:
            break
        i = m.start()
        close = _PAIRS[text[i]]
        para_end = text.find("\n", i)
        if para_end < 0:
            para_end = n
        j = _find_close(text, i, close, para_end)
        if j is None:
            i += 1
            continue
        out.append((i, j))
        i = j + 1
    return out


def _find_close(text: str, i: int, closers: str, limit: int) -> int | None:
    opener = text[i]
    depth = 0
    for j in range(i + 1, limit):
        c = text[j]
        if c in closers and depth == 0:
            if c == opener and closers[0] != c and text[j + 1 : j + 2].isalnum():
                continue  # “ before a word opens a quote; only a “ that ends a word closes one
            return j if j > i + 1 else None
        if opener not in closers:
            if c == opener:
                depth += 1
            elif c == closers[0]:
                depth -= 1
    return None


class QuoteFinder:
    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Span],
        attributions: Sequence[Attribution],
        finder: AttributionFinder,
        actor_kinds: dict[str, str],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.tok_starts = [t.start for t in tokens]
        self.sent_starts = [s.start for s in sentences]
        self.sentences = sentences
        self.atts = sorted(attributions, key=lambda a: a.cue.start)
        self.att_starts = [a.cue.start for a in self.atts]
        self.finder = finder
        self.actor_kinds = actor_kinds
        self.mentions = sorted(finder.mention_at.values(), key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]

    def find(self) -> list[Quote]:
        out: list[Quote] = []
        prev_close = 0
        for open_i, close_i in quoted_spans(self.text):
            q = self._quote(open_i, close_i, prev_close)
            if q is not None:
                out.append(q)
                prev_close = close_i + 1  # a rejected title in quotes does not cut the clause
        return out

    def _sentence_start(self, pos: int) -> int:
        k = bisect.bisect_right(self.sent_starts, pos) - 1
        return self.sentences[k].start if k >= 0 else 0

    def _quote(self, open_i: int, close_i: int, prev_close: int) -> Quote | None:
        start, end = open_i + 1, close_i
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end - start < 2:
            return None
        t_open = bisect.bisect_left(self.tok_starts, open_i)
        t_in_end = bisect.bisect_left(self.tok_starts, close_i)
        n_words = sum(1 for t in self.tokens[t_open:t_in_end] if t.is_word)
        if n_words == 0:
            return None
        if self._is_name(start, end):
            return None
        short = n_words <= _SHORT_WORDS
        if short and self._label_before(t_open):
            return None
        region_start = max(self._sentence_start(open_i), prev_close)
        att = self._cue_before(region_start, open_i, t_open, short)
        if att is None:
            att = self._cue_after(close_i)
        if att is None:
            return None
        if short and att.actor and self.actor_kinds.get(att.actor) == "media":
            return None
        return Quote(start, end, att.actor, att.text, att.span, att.cue)

    def _is_name(self, start: int, end: int) -> bool:
        """A quoted stretch that is just a name ("وول ستريت جورنال") is a title, not speech."""
        k = bisect.bisect_left(self.mention_starts, start)
        return k < len(self.mentions) and self.mentions[k].start == start and self.mentions[k].end >= end

    def _label_before(self, t_open: int) -> bool:
        if t_open == 0:
            return False
        prev = self.tokens[t_open - 1]
        if not prev.is_word:
            return False
        if prev.norm in PREPOSITIONS:
            return True
        return any(base in LABEL_NOUNS or base in PREPOSITIONS for _, base in clitic_bases(prev.norm))

    def _cue_before(self, region_start: int, open_i: int, t_open: int, short: bool) -> Attribution | None:
        k = bisect.bisect_left(self.att_starts, open_i) - 1
        while k >= 0 and self.atts[k].cue.start >= region_start:
            att = self.atts[k]
            t_cue = bisect.bisect_left(self.tok_starts, att.cue.start)
            gap = sum(1 for t in self.tokens[t_cue + 1 : t_open] if t.is_word)
            if gap <= (_NEAR_WORDS if short else _FAR_WORDS):
                return att
            return None
        return None

    def _cue_after(self, close_i: int) -> Attribution | None:
        """ "...»، قال الوزير": a cue within two tokens after the closing mark."""
        t = bisect.bisect_right(self.tok_starts, close_i)
        for j in range(t, min(t + 3, len(self.tokens))):
            tok = self.tokens[j]
            if not tok.is_word:
                if tok.norm in "،,-–—":
                    continue
                return None
            if cue_kind(tok) is None:
                return None
            k = bisect.bisect_left(self.att_starts, tok.start)
            if k < len(self.atts) and self.atts[k].cue.start == tok.start:
                return self.atts[k]
            return None
        return None
