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


class LazyTable(Mapping[str, tuple[str, ...]]):
    """A word table whose rows stay as read (a string per word) until a word is asked for.

    Every process reads the whole cluster table and lexicon at start-up, and the tagger then asks for a
    few words per article, so decoding each row up front would cost most of the loading time. `decode`
    turns a row into its value, or None for a damaged row (which counts as absent); with `keep`, decoded
    values are kept (for rows dearer to decode than to hold)."""

    def __init__(self, rows: dict[str, str], decode: Callable[[str], tuple[str, ...] | None], keep: bool) -> None:
        self._rows = rows
        self._decode = decode
        self._kept: dict[str, tuple[str, ...]] | None = {} if keep else None

    def get(self, word: str, default: Any = None) -> Any:
        kept = self._kept
        if kept is not None:
            hit = kept.get(word)
            if hit is not None:
                return hit
        raw = self._rows.get(word)
        value = None if raw is None else self._decode(raw)
        if value is None:
            return default
        if kept is not None:
            kept[word] = value
        return value

    def __getitem__(self, word: str) -> tuple[str, ...]:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return word in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _cluster_ids(raw: str) -> tuple[str, ...]:
    return tuple(raw.split("\t"))


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
    return ClusterTable(names, LazyTable(ids, _cluster_ids, keep=False), counts)


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


def _lexicon_entry(raw: str) -> tuple[str, ...] | None:
    """Feature names from a lexicon row's counts ("n PERS LOC ORG MISC begins"); None for a damaged row."""
    fields = raw.split("\t")
    if len(fields) != 6 or not all(x.isdigit() for x in fields) or fields[0] == "0":
        return None
    nums = [int(x) for x in fields]
    return lexicon_features(nums[0], tuple(nums[1:5]), nums[5])


def read_lexicon(path: Path) -> LazyTable:
    """The lexicon in rows `word n PERS LOC ORG MISC begins` (counts); a row that is not six whole numbers
    after the word counts as absent."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        f.readline()
        rows = map(str.split, f.read().splitlines(), repeat("\t"), repeat(1))
        return LazyTable({parts[0]: parts[1] for parts in rows if len(parts) == 2}, _lexicon_entry, keep=True)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Mapping[str, tuple[str, ...]]:
    """The shipped self-trained lexicon (read once per process); empty when absent."""
    return read_lexicon(path) if path.exists() else {}
