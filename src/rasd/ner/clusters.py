"""Word clusters learnt from unlabelled news: the CRF's way to generalise beyond the words it saw tagged.

`clusters.tsv.gz` holds, for each frequent normalised word of the shared corpora, a corpus-frequency bucket
and its k-means cluster ids at several granularities. Arabic glues و ف ب ل ك and ال to words, so many surface
forms are rare; `strip_clitics` gives the canonical bare form used both when the vectors were trained and when
features are built, so a rare glued form can borrow the clusters of its frequent bare form.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
    if len(w) > 2 and w[0] in _PREP:
        if not (w.startswith("لل") and len(w) > 3 and take("ا" + w[1:])):
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


def read_clusters(path: Path) -> ClusterTable:
    """Read a clusters file: a header `word count c64 c256 ...`, then one tab-separated row per word."""
    ids: dict[str, tuple[str, ...]] = {}
    counts: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = tuple(header[2:])
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(header):
                continue
            counts[parts[0]] = int(parts[1])
            ids[parts[0]] = tuple(parts[2:])
    return ClusterTable(names, ids, counts)


@lru_cache(maxsize=4)
def load_clusters(path: Path = CLUSTERS_PATH) -> ClusterTable:
    """The shipped cluster table (read once per process); empty when the file has not been built yet."""
    if not path.exists():
        return ClusterTable((), {}, {})
    return read_clusters(path)
