"""Word clusters learnt from unlabelled news: the CRF's way to generalise beyond the words it saw tagged.

`clusters.tsv.gz` holds, for each frequent normalised word of the shared corpora, a corpus-frequency bucket
and its k-means cluster ids at several granularities. Arabic glues و ف ب ل ك and ال to words, so many surface
forms are rare; `strip_clitics` gives the canonical bare form used both when the vectors were trained and when
features are built, so a rare glued form can borrow the clusters of its frequent bare form.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
CLUSTERS_PATH = DATA_DIR / "clusters.tsv.gz"

_CONJ = "وف"
_PREP = "بلك"


def strip_clitics(word: str, count: Callable[[str], int]) -> str:
    """The bare form of a normalised word: proclitics and the article removed where the corpus supports it.

    A prefix letter is only removed when what remains is itself a common word (at least half as frequent as
    the glued form), so "وزير" keeps its و while "والوزير" becomes "وزير". `count` gives corpus frequencies.
    """
    w = word
    c = count(w)

    def take(rest: str) -> bool:
        nonlocal w, c
        rc = count(rest)
        if len(rest) >= 2 and rc >= 3 and 2 * rc >= c:
            w, c = rest, rc
            return True
        return False

    if len(w) > 2 and w[0] in _CONJ:
        take(w[1:])
    # ل + ال is written لل: try the reading with the article restored first.
    if len(w) > 2 and w[0] in _PREP and not (w.startswith("لل") and len(w) > 3 and take("ا" + w[1:])):
        take(w[1:])
    if w.startswith("ال") and len(w) > 3:
        take(w[2:])
    return w


_DIGITS = str.maketrans("0123456789", "0000000000")


def vec_key(word: str) -> str:
    """The key a normalised word has in the vector vocabulary: digits folded, so numbers share clusters."""
    return word.translate(_DIGITS)


def freq_bucket(n: int) -> int:
    """Corpus frequency on a log2 scale: names sit in the middle band, function words at the top."""
    return 0 if n <= 0 else min(20, int(math.log2(n)) + 1)


@dataclass(frozen=True, slots=True)
class ClusterTable:
    """Cluster ids and corpus counts per word; `names` are the granularities ("c64", "c256", ...)."""

    names: tuple[str, ...]
    ids: Mapping[str, tuple[str, ...]]
    counts: Mapping[str, int]

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def bare(self, word: str) -> str:
        return strip_clitics(word, self.count)


class _Rows(Mapping[str, tuple[str, ...]]):
    """Tab-separated fields per word, split when asked for: the tagger asks for a few words per article
    and every process reads the whole table at start-up, where splitting each row would cost most."""

    __slots__ = ("_raw",)

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw

    def __getitem__(self, word: str) -> tuple[str, ...]:
        return tuple(self._raw[word].split("\t"))

    def get(self, word: str, default: Any = None) -> Any:
        raw = self._raw.get(word)
        return default if raw is None else tuple(raw.split("\t"))

    def __contains__(self, word: object) -> bool:
        return word in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def read_clusters(path: Path) -> ClusterTable:
    """Read a clusters file: a header `word count c64 c256 ...`, then one tab-separated row per word."""
    ids: dict[str, str] = {}
    counts: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = tuple(header[2:])
        tabs = len(header) - 3  # in the cluster ids
        for parts in map(str.split, f.read().splitlines(), repeat("\t"), repeat(2)):
            if len(parts) == 3 and parts[1].isdigit() and parts[2].count("\t") == tabs:
                counts[parts[0]] = int(parts[1])
                ids[parts[0]] = parts[2]
    return ClusterTable(names, _Rows(ids), counts)


@lru_cache(maxsize=4)
def load_clusters(path: Path = CLUSTERS_PATH) -> ClusterTable:
    """The shipped cluster table (read once per process); empty when the file has not been built yet."""
    if not path.exists():
        return ClusterTable((), {}, {})
    return read_clusters(path)


LEXICON_PATH = DATA_DIR / "lexicon.tsv.gz"
LEX_TYPES = ("PERS", "LOC", "ORG", "MISC")


def lexicon_features(n: int, type_counts: tuple[int, ...], begins: int) -> tuple[str, ...]:
    """Feature names for how a word was tagged across unlabelled news: each type's share, coarsely bucketed."""
    feats = []
    ent = sum(type_counts)
    for t, c in zip(LEX_TYPES, type_counts, strict=True):
        share = c / n
        if share >= 0.6:
            feats.append(t + ":hi")
        elif share >= 0.25:
            feats.append(t + ":mid")
        elif share >= 0.05:
            feats.append(t + ":lo")
    if ent == 0:
        feats.append("O")
    elif ent / n >= 0.25:
        feats.append("B" if begins / ent >= 0.7 else ("I" if begins / ent <= 0.3 else "BI"))
    return tuple(feats)


class Lexicon(Mapping[str, tuple[str, ...]]):
    """word -> lexicon feature names, worked out from a word's counts when first asked for (most words of a
    large lexicon are never looked up in one run, and reading it should not cost every process a second)."""

    def __init__(self, counts: dict[str, str]) -> None:
        self._counts = counts  # word -> "n PERS LOC ORG MISC begins", tab-separated
        self._features: dict[str, tuple[str, ...]] = {}

    def get(self, word: str, default: Any = None) -> Any:
        hit = self._features.get(word)
        if hit is not None:
            return hit
        raw = self._counts.get(word)
        if raw is None:
            return default
        fields = raw.split("\t")
        if len(fields) != 6 or not all(x.isdigit() for x in fields) or fields[0] == "0":
            return default  # a damaged row counts as absent
        nums = [int(x) for x in fields]
        found = self._features[word] = lexicon_features(nums[0], tuple(nums[1:5]), nums[5])
        return found

    def __getitem__(self, word: str) -> tuple[str, ...]:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._counts

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def read_lexicon(path: Path) -> Lexicon:
    """The lexicon in rows `word n PERS LOC ORG MISC begins` (counts); a row that is not six whole numbers
    after the word counts as absent."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        f.readline()
        rows = map(str.split, f.read().splitlines(), repeat("\t"), repeat(1))
        return Lexicon({parts[0]: parts[1] for parts in rows if len(parts) == 2})


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Mapping[str, tuple[str, ...]]:
    """The shipped self-trained lexicon (read once per process); empty when absent."""
    return read_lexicon(path) if path.exists() else {}
