"""Find knowledge-base names in text, seeing through clitics and spelling variants.

Aliases are normalised and split into tokens once; text tokens are normalised by the pipeline. A match
starts at a word whose proclitic-free reading (و ف ب ل ك, ال) begins an alias and continues over the next
words exactly. The longest match wins; the mention span starts after the stripped proclitics.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
        self._index: dict[str, list[_Entry]] = defaultdict(list)
        for (toks, form), ids in forms.items():
            self._index[toks[0]].append(_Entry(toks, tuple(ids), form))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e.tokens))
        self.size = len(forms)
        self._readings: dict[str, tuple[tuple[int, tuple[_Entry, ...]], ...]] = {}

    def readings(self, word: str) -> tuple[tuple[int, tuple[_Entry, ...]], ...]:
        """The aliases a normalised word can begin, per reading: (proclitic length, entries longest first).

        Most words begin none; the answer depends on the word alone, so it is cached (bounded)."""
        hit = self._readings.get(word)
        if hit is not None:
            return hit
        out: list[tuple[int, tuple[_Entry, ...]]] = []
        if word[:1].isalnum():
            for prefix, base in clitic_bases(word):
                entries = self._index.get(base)
                if not entries:
                    continue
                if drops_article(word, prefix, base):
                    entries = [e for e in entries if e.form == "adjective"]
                if entries:
                    out.append((prefix, tuple(entries)))
        if len(self._readings) >= _READINGS_CACHE:
            self._readings.clear()
        found = self._readings[word] = tuple(out)
        return found

    def match(self, tokens: Sequence[Token], nt: NormText) -> list[MentionMatch]:
        """Non-overlapping matches, left to right, longest first (`nt`: the normalised text of the tokens)."""
        out: list[MentionMatch] = []
        i, n = 0, len(tokens)
        readings = self.readings
        while i < n:
            tok = tokens[i]
            cands = readings(tok.norm)
            if not cands:
                i += 1
                continue
            best: tuple[int, int, _Entry] | None = None  # (char length, -prefix, entry)
            for prefix, entries in cands:
                for entry in entries:
                    k = len(entry.tokens)
                    if i + k > n:
                        continue
                    if any(tokens[i + j].norm != entry.tokens[j] for j in range(1, k)):
                        continue
                    if k > 1 and not _contiguous(tokens, i, i + k - 1, nt.text):
                        continue
                    length = tokens[i + k - 1].end - tok.start - prefix
                    if best is None or (length, -prefix) > (best[0], best[1]):
                        best = (length, -prefix, entry)
                    break  # entries are sorted longest first
            if best is None:
                i += 1
                continue
            _, neg_prefix, entry = best
            last = i + len(entry.tokens) - 1
            if entry.form == "blocker":
                i = last + 1
                continue
            start = nt.to_orig(tok.nstart - neg_prefix)
            prev = tokens[i - 1].norm if i > 0 and tokens[i - 1].is_word else None
            proclitic = tok.norm[:-neg_prefix] if neg_prefix else ""
            out.append(MentionMatch(start, tokens[last].end, entry.actor_ids, entry.form, i, last, proclitic, prev))
            i = last + 1
        return out


def _contiguous(tokens: Sequence[Token], first: int, last: int, text: str) -> bool:
    """Alias words must be separated by blanks only: no punctuation or line break between them."""
    for j in range(first, last):
        gap = text[tokens[j].nend : tokens[j + 1].nstart]
        if len(gap) > 3 or "\n" in gap or (gap and not gap.isspace()):
            return False
    return True
