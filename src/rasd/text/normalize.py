"""Arabic normalisation for matching, with a map from every normalised character back to the original.

The original text is never changed. `normalize()` returns a `NormText` whose `text` folds the variation
that does not change meaning for matching (diacritics, tatweel, alef and hamza seats, ى/ي, ة/ه,
Hindi-Arabic digits, presentation forms, invisible marks, Latin case), and whose `to_orig_span()` maps a
range of the normalised string back to the exact original characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Harakat, Quranic marks, superscript alef, tatweel: removed.
DIACRITICS = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06DD, 0x06DE, 0x06E9)]
    + ["\u0640"]
)
# Invisible formatting characters that break matching: removed.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufeff\u00ad"
)


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in DIACRITICS | INVISIBLE:
        table[c] = ""
    for c in "إأآٱ":
        table[c] = "ا"
    table["ى"] = "ي"
    table["ی"] = "ي"  # Persian yeh
    table["ک"] = "ك"  # Persian kaf
    table["ة"] = "ه"
    table["ؤ"] = "و"
    table["ئ"] = "ي"
    for i, c in enumerate("٠١٢٣٤٥٦٧٨٩"):
        table[c] = str(i)
    for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹"):
        table[c] = str(i)
    table["\u00a0"] = " "
    table["\u2009"] = " "
    table["\u202f"] = " "
    table["٬"] = ","
    table["٫"] = "."
    return table


_TABLE = _build_table()


@lru_cache(maxsize=4096)
def _fold(c: str) -> str:
    """The normalised form of one character (may be empty, or longer for presentation-form ligatures)."""
    if c in _TABLE:
        return _TABLE[c]
    o = ord(c)
    if 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        decomposed = unicodedata.normalize("NFKC", c)
        if decomposed == c:  # unassigned code points in the block stay as they are
            return c
        return "".join(_fold(x) for x in decomposed)
    if "A" <= c <= "Z":
        return c.lower()
    if o > 0x7F and c.isupper():
        return c.lower()
    return c


class _FoldMap(dict[int, str]):
    """`_fold` as a `str.translate` table, filled in as characters are met: translating runs in C."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold(chr(code))
        return folded


_FOLD_MAP = _FoldMap()
# Every character that may fold to more or fewer than one: what is removed, the presentation forms, and
# the one letter whose lower case is two characters (U+0130). Text without them keeps its offsets.
_IRREGULAR = re.compile("[" + "".join(sorted(DIACRITICS | INVISIBLE)) + "\ufb50-\ufdff\ufe70-\ufeff\u0130]")


@dataclass(frozen=True, slots=True)
class NormText:
    """A normalised string and, for each of its characters, the index of the original character it came from."""

    original: str
    text: str
    src: tuple[int, ...] | None  # None: identity map (nothing was deleted or expanded)

    def to_orig(self, i: int) -> int:
        """Original index of normalised position i (i == len(text) maps to len(original))."""
        if self.src is None:
            return i
        return self.src[i] if i < len(self.text) else len(self.original)

    def to_orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised range to the original range that covers exactly its characters.

        Trailing diacritics of the last character are included, so a word keeps its full written form.
        """
        if start >= end:
            o = self.to_orig(start)
            return o, o
        if self.src is None:
            o_start, o_end = start, end
        else:
            o_start = self.src[start]
            o_end = self.src[end - 1] + 1
        orig = self.original
        while o_end < len(orig) and orig[o_end] in DIACRITICS:
            o_end += 1
        return o_start, o_end


def normalize(text: str) -> NormText:
    """Normalise `text` for matching and keep the offset map back to it."""
    norm = text.translate(_FOLD_MAP)
    irregular = [m.start() for m in _IRREGULAR.finditer(text)]
    folds = [len(_FOLD_MAP[ord(text[i])]) for i in irregular]
    if all(n == 1 for n in folds):
        return NormText(text, norm, None)
    sizes = np.ones(len(text), dtype=np.intp)
    sizes[irregular] = folds
    return NormText(text, norm, tuple(np.repeat(np.arange(len(text)), sizes).tolist()))


def normalize_text(text: str) -> str:
    """Just the normalised string (for queries, keys and lexicon entries)."""
    return text.translate(_FOLD_MAP)


@lru_cache(maxsize=200_000)
def normalize_token(token: str) -> str:
    """A token's normalised form, or the token itself when nothing is left of it (a lone diacritic):
    cached, since taggers ask it of every token of every sentence."""
    return token.translate(_FOLD_MAP) or token
