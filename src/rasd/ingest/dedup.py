"""Exact and near-duplicate detection across a corpus (MinHash over word shingles, LSH banding).

The same wire story republished by several outlets with a new title and a few words changed should be
stored once and linked, not analysed twice. Exact copies are caught by a hash of the normalised body;
near copies by MinHash signatures whose LSH bands collide, confirmed by the estimated Jaccard similarity.
Indexes are small classes with one interface: in memory (then in a temporary file) for `rasd extract`, in the
store for `ingest`.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from datasketch import MinHash

from rasd.text.normalize import normalize_text

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
THRESHOLD = 0.7
_SEED = 1
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Fingerprint:
    norm_hash: str
    signature: np.ndarray  # uint64[NUM_PERM]
    n_words: int

    def bands(self) -> list[int]:
        """One signed 64-bit key per LSH band (fits an SQLite INTEGER)."""
        return list(self._band_keys)

    @cached_property
    def _band_keys(self) -> tuple[int, ...]:
        """Worked out once: an index is asked for them to look an article up, then again to add it."""
        keys = []
        for b in range(BANDS):
            chunk = self.signature[b * ROWS : (b + 1) * ROWS].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8, person=b"rasd-lsh").digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return tuple(keys)

    def similarity(self, other_signature: np.ndarray) -> float:
        return float(np.count_nonzero(self.signature == other_signature)) / NUM_PERM


@lru_cache(maxsize=1)
def _empty_minhash() -> MinHash:
    """Drawing the 128 permutations takes longer than hashing an article, so they are drawn once and
    every fingerprint starts from a copy (which shares them)."""
    return MinHash(num_perm=NUM_PERM, seed=_SEED)


def fingerprint(body: str) -> Fingerprint:
    """Fingerprint the analysed body of an article (title excluded, boilerplate blanked)."""
    words = _WORD_RE.findall(normalize_text(body))
    norm_hash = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()
    encoded = [w.encode("utf-8") for w in words]  # joined as bytes: the same bytes as encoding each shingle
    if len(words) <= SHINGLE_WORDS:
        shingles = {b" ".join(encoded)}
    else:
        shingles = {b" ".join(encoded[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    m = _empty_minhash().copy()
    m.update_batch(list(shingles))
    return Fingerprint(norm_hash, m.hashvalues.astype(np.uint64), len(words))


def signature_to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


@dataclass(frozen=True)
class DuplicateMatch:
    doc_id: str
    similarity: float  # 1.0 for an exact copy
    exact: bool


def best_match(
    fp: Fingerprint, candidates: Iterable[tuple[str, np.ndarray]], threshold: float = THRESHOLD
) -> DuplicateMatch | None:
    """The near copy among (id, signature) candidates: the most similar at `threshold` or above, the first
    of equals in the candidates' order."""
    best: DuplicateMatch | None = None
    for doc_id, signature in candidates:
        sim = fp.similarity(signature)
        if sim >= threshold and (best is None or sim > best.similarity):
            best = DuplicateMatch(doc_id, sim, False)
    return best


class DedupIndex(Protocol):
    def find(self, fp: Fingerprint) -> DuplicateMatch | None: ...

    def add(self, doc_id: str, fp: Fingerprint) -> None: ...


class MemoryDedupIndex:
    """An in-memory index, for one run over a set of files.

    Kept compact, since `rasd extract` holds one entry per article for the whole run: per band a dict from
    band key to the first article's number (further articles with the same key, which are rare, in a
    side table), and the signatures in one array. A dict of small tuples and lists per band key took
    about 9 KB an article and gave the garbage collector a million containers to walk per 30,000 articles."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._ids: list[str] = []
        self._hashes: list[str] = []
        self._exact: dict[str, int] = {}
        self._bands: list[dict[int, int]] = [{} for _ in range(BANDS)]
        self._more: dict[tuple[int, int], list[int]] = {}  # (band, key) -> later articles with that key
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._ids)

    def find(self, fp: Fingerprint) -> DuplicateMatch | None:
        """The most similar article indexed (at least `threshold`), the earliest on a tie."""
        exact = self._exact.get(fp.norm_hash)
        if exact is not None:
            return DuplicateMatch(self._ids[exact], 1.0, True)
        found: dict[int, None] = {}  # candidates in the order met: by band, then in the order added
        for b, key in enumerate(fp.bands()):
            first = self._bands[b].get(key)
            if first is not None:
                found.update(dict.fromkeys((first, *self._more.get((b, key), ()))))
        return best_match(fp, ((self._ids[i], self._sigs[i]) for i in found), self.threshold)

    def add(self, doc_id: str, fp: Fingerprint) -> None:
        i = len(self._ids)
        self._ids.append(doc_id)
        self._hashes.append(fp.norm_hash)
        self._exact.setdefault(fp.norm_hash, i)
        if i == len(self._sigs):
            self._sigs = np.concatenate([self._sigs, np.empty_like(self._sigs)])
        self._sigs[i] = fp.signature
        for b, key in enumerate(fp.bands()):
            first = self._bands[b].setdefault(key, i)
            if first != i:
                self._more.setdefault((b, key), []).append(i)

    def entries(self) -> Iterator[tuple[str, Fingerprint]]:
        """What was added, in order (to move it to another index)."""
        for i, (doc_id, norm_hash) in enumerate(zip(self._ids, self._hashes, strict=True)):
            yield doc_id, Fingerprint(norm_hash, self._sigs[i].copy(), 0)  # the word count is not kept


class DiskDedupIndex:
    """The in-memory index's answers from an SQLite file (a temporary one, deleted when closed), for runs
    too long to keep in memory: the same candidates in the same order, so the same duplicate is found."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._dir = tempfile.TemporaryDirectory(prefix="rasd-dedup-")
        self.conn = sqlite3.connect(Path(self._dir.name) / "dedup.sqlite")
        self.conn.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE docs (n INTEGER PRIMARY KEY, id TEXT NOT NULL, norm_hash TEXT NOT NULL, sig BLOB NOT NULL);
            CREATE INDEX docs_hash ON docs (norm_hash);
            CREATE TABLE bands (band INTEGER NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL);
            CREATE INDEX bands_key ON bands (band, key);
            """
        )
        self._count = 0
        self._match = " OR ".join("(band = ? AND key = ?)" for _ in range(BANDS))

    def __len__(self) -> int:
        return self._count

    def find(self, fp: Fingerprint) -> DuplicateMatch | None:
        """As `MemoryDedupIndex.find`: candidates by their first shared band, then in the order added."""
        row = self.conn.execute("SELECT id FROM docs WHERE norm_hash = ? ORDER BY n LIMIT 1", (fp.norm_hash,))
        exact = row.fetchone()
        if exact is not None:
            return DuplicateMatch(exact[0], 1.0, True)
        params = [v for b, key in enumerate(fp.bands()) for v in (b, key)]
        rows = self.conn.execute(
            f"SELECT d.id, d.sig, MIN(m.band) AS first FROM bands m JOIN docs d ON d.n = m.n "
            f"WHERE {self._match} GROUP BY d.n ORDER BY first, d.n",
            params,
        )
        return best_match(fp, ((doc_id, signature_from_bytes(blob)) for doc_id, blob, _ in rows), self.threshold)

    def add(self, doc_id: str, fp: Fingerprint) -> None:
        n = self._count
        self._count += 1
        self.conn.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?)", (n, doc_id, fp.norm_hash, signature_to_bytes(fp.signature))
        )
        self.conn.executemany("INSERT INTO bands VALUES (?, ?, ?)", [(b, k, n) for b, k in enumerate(fp.bands())])

    def close(self) -> None:
        self.conn.close()
        self._dir.cleanup()


SPILL_AFTER = 50_000  # articles a run's duplicate index keeps in memory (about 150 MB) before moving to disk


class RunDedupIndex:
    """The duplicate index of one `rasd extract` run: in memory while it is small, then in a temporary
    SQLite file, so memory stays bounded however long the input. The answers are the same either way."""

    def __init__(self, threshold: float = THRESHOLD, spill_after: int = SPILL_AFTER) -> None:
        self.threshold = threshold
        self.spill_after = spill_after
        self._index: MemoryDedupIndex | DiskDedupIndex = MemoryDedupIndex(threshold)

    @property
    def on_disk(self) -> bool:
        return isinstance(self._index, DiskDedupIndex)

    def __len__(self) -> int:
        return len(self._index)

    def find(self, fp: Fingerprint) -> DuplicateMatch | None:
        return self._index.find(fp)

    def add(self, doc_id: str, fp: Fingerprint) -> None:
        index = self._index
        if isinstance(index, MemoryDedupIndex) and len(index) >= self.spill_after:
            disk = DiskDedupIndex(self.threshold)
            with disk.conn:
                for old_id, old_fp in index.entries():
                    disk.add(old_id, old_fp)
            self._index = index = disk
        index.add(doc_id, fp)

    def close(self) -> None:
        if isinstance(self._index, DiskDedupIndex):
            self._index.close()
