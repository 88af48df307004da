"""Find knowledge-base names in text, seeing through clitics and spelling variants.

Aliases are normalised and split into tokens once; text tokens are normalised by the pipeline. A match
starts at a word whose proclitic-free reading (و ف ب ل ك, ال) begins an alias and continues over the next
words exactly. The longest match wins; the mention span starts after the stripped proclitics.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from rasd.kb.model import KnowledgeBase
from rasd.text.normalize import NormText, normalize_text
from rasd.text.segment import Token, clitic_bases, drops_article

_READINGS_CACHE = 100_000  # words whose readings are kept
_WORD_RE = re.compile(r"[^\W_]+|[^\w\s]")


def alias_tokens(alias: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(normalize_text(alias)))


@dataclass(frozen=True, slots=True)
class MentionMatch:
    """A name found in text: original offsets, the actors it may denote, and what kind of name it was."""

    start: int
    end: int
    actor_ids: tuple[str, ...]
    form: str  # "alias" | "demonym" | "adjective" (blockers are never returned)
    first_token: int
    last_token: int  # inclusive
    proclitic: str = ""  # normalised proclitics glued to the first word ("و", "ب", "وب" ...)
    prev: str | None = None  # the normalised word before, for context rules (locative "في واشنطن")


@dataclass(frozen=True, slots=True)
class _Entry:
    tokens: tuple[str, ...]
    actor_ids: tuple[str, ...]
    form: str


@dataclass(frozen=True, slots=True)
class _Starting:
    """The aliases that begin with one word: those of several words by their second word (longest first),
    and the first one-word entry. A common word ("وزير") begins hundreds of aliases; only those whose
    second word follows it in the text are worth comparing."""

    by_next: dict[str, tuple[_Entry, ...]]
    single: _Entry | None

    @classmethod
    def of(cls, entries: Iterable[_Entry]) -> _Starting:
        """From entries sorted longest first (their order is kept)."""
        by_next: dict[str, list[_Entry]] = defaultdict(list)
        single = None
        for e in entries:
            if len(e.tokens) > 1:
                by_next[e.tokens[1]].append(e)
            elif single is None:
                single = e
        return cls({k: tuple(v) for k, v in by_next.items()}, single)


class Gazetteer:
    """An alias index over a knowledge base."""

    def __init__(
        self, kb: KnowledgeBase, *, include_adjectives: bool = False, blockers: Iterable[str] | None = None
    ) -> None:
        """`blockers`: phrases that contain a name but denote something else ("مجلس الأمن القومي" is not
        the UN Security Council); matched like names and then dropped, so the shorter name cannot match."""
        if blockers is None:
            blockers = kb.blockers
        forms: dict[tuple[tuple[str, ...], str], list[str]] = defaultdict(list)

        def add(text: str, actor_id: str, form: str) -> None:
            toks = alias_tokens(text)
            if not toks or (len(toks) == 1 and len(toks[0]) < 2):
                return
            ids = forms[(toks, form)]
            if actor_id not in ids:
                ids.append(actor_id)

        for a in kb.actors.values():
            for name in (a.name_ar, *a.aliases, *a.aliases_en):
                if name:
                    add(name, a.id, "alias")
            if a.kind != "person" and a.name_en and a.name_en.isupper() and len(a.name_en) >= 3:
                add(a.name_en, a.id, "alias")  # acronyms written in Latin script: NATO, CNN
            for d in a.demonyms:
                add(d, a.id, "demonym")
            if include_adjectives:
                for adj in a.adjectives:
                    add(adj, a.id, "adjective")
                    add("ال" + adj, a.id, "adjective")
        for phrase in blockers:
            toks = alias_tokens(phrase)
            if toks:
                forms.setdefault((toks, "blocker"), [])
        index: dict[str, list[_Entry]] = defaultdict(list)
        for (toks, form), ids in forms.items():
            index[toks[0]].append(_Entry(toks, tuple(ids), form))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e.tokens))
        self._index = dict(index)
        self._starting = {word: _Starting.of(entries) for word, entries in index.items()}
        self.size = len(forms)
        self._readings: dict[str, tuple[tuple[int, _Starting], ...]] = {}

    def readings(self, word: str) -> tuple[tuple[int, _Starting], ...]:
        """The aliases a normalised word can begin, per reading: (proclitic length, the aliases).

        Most words begin none; the answer depends on the word alone, so it is cached (bounded)."""
        hit = self._readings.get(word)
        if hit is not None:
            return hit
        out: list[tuple[int, _Starting]] = []
        if word[:1].isalnum():
            for prefix, base in clitic_bases(word):
                entries = self._index.get(base)
                if not entries:
                    continue
                if drops_article(word, prefix, base):
                    adjectives = [e for e in entries if e.form == "adjective"]
                    if adjectives:
                        out.append((prefix, _Starting.of(adjectives)))
                else:
                    out.append((prefix, self._starting[base]))
        if len(self._readings) >= _READINGS_CACHE:
            self._readings.clear()
        found = self._readings[word] = tuple(out)
        return found

    def match(self, tokens: Sequence[Token], nt: NormText) -> list[MentionMatch]:
        """Non-overlapping matches, left to right, longest first (`nt`: the normalised text of the tokens)."""

        def chars(first: int, last: int) -> int | None:
            if last > first and not _contiguous(tokens, first, last, nt.text):
                return None
            return tokens[last].end - tokens[first].start

        out: list[MentionMatch] = []
        for i, prefix, entry in self._scan([t.norm for t in tokens], chars):
            tok = tokens[i]
            last = i + len(entry.tokens) - 1
            start = nt.to_orig(tok.nstart + prefix)
            prev = tokens[i - 1].norm if i > 0 and tokens[i - 1].is_word else None
            proclitic = tok.norm[:prefix]
            out.append(MentionMatch(start, tokens[last].end, entry.actor_ids, entry.form, i, last, proclitic, prev))
        return out

    def match_words(self, words: Sequence[str]) -> list[tuple[int, int, _Entry]]:
        """`match` over one sentence's normalised words, as if written with one space between them:
        (first word, last word, entry) of each name. The NER features call it for every sentence, so it
        skips the tokens and the offsets `match` needs for mentions."""
        ends = list(accumulate(len(w) + 1 for w in words))  # one past each word's trailing space

        def chars(first: int, last: int) -> int:
            return ends[last] - 1 - (ends[first - 1] if first else 0)

        return [(i, i + len(entry.tokens) - 1, entry) for i, _, entry in self._scan(words, chars)]

    def _scan(self, norms: Sequence[str], chars: Callable[[int, int], int | None]) -> Iterator[tuple[int, int, _Entry]]:
        """(first word, proclitic length, entry) of each name, left to right; a blocker's words are
        skipped and it is not given. Most words begin no alias, which the cached readings settle."""
        known = self._readings
        readings = self.readings
        # The words that begin some alias, found in one pass (most begin none, and are cached as such).
        starts = [i for i, w in enumerate(norms) if known.get(w) or (w not in known and readings(w))]
        free = 0
        for i in starts:
            if i < free:
                continue
            best = self._longest(norms, i, readings(norms[i]), chars)
            if best is None:
                continue
            prefix, entry = best
            free = i + len(entry.tokens)
            if entry.form != "blocker":
                yield i, prefix, entry

    @staticmethod
    def _longest(
        norms: Sequence[str],
        i: int,
        cands: tuple[tuple[int, _Starting], ...],
        chars: Callable[[int, int], int | None],
    ) -> tuple[int, _Entry] | None:
        """The alias starting at word `i` that covers the most characters (then the shortest proclitic):
        (proclitic length, entry). `chars(first, last)`: the characters words first..last span, None when
        they are not written together."""
        best: tuple[int, int, _Entry] | None = None  # (char length, -prefix, entry)
        n = len(norms)
        following = norms[i + 1] if i + 1 < n else None
        for prefix, starting in cands:
            found: _Entry | None = None
            span: int | None = None
            for entry in starting.by_next.get(following, ()) if following is not None else ():
                k = len(entry.tokens)
                if i + k > n or any(norms[i + j] != entry.tokens[j] for j in range(2, k)):
                    continue
                span = chars(i, i + k - 1)
                if span is not None:
                    found = entry
                    break  # longest first
            if found is None and starting.single is not None:
                found, span = starting.single, chars(i, i)
            if found is None or span is None:
                continue
            length = span - prefix
            if best is None or (length, -prefix) > (best[0], best[1]):
                best = (length, -prefix, found)
        return None if best is None else (-best[1], best[2])


def _contiguous(tokens: Sequence[Token], first: int, last: int, text: str) -> bool:
    """Alias words must be separated by blanks only: no punctuation or line break between them."""
    for j in range(first, last):
        gap = text[tokens[j].nend : tokens[j + 1].nstart]
        if len(gap) > 3 or "\n" in gap or (gap and not gap.isspace()):
            return False
    return True
