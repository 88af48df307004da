"""The CRF tagger: loads the shipped crfsuite model once, lazily, and tags token lists with BIO tags.

Training and the reference tagger use crfsuite; tagging uses the same weights through `rasd.ner.decode`,
which caches each word's feature scores and gives the same tags about ten times faster.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from rasd.ner.decode import CrfWeights, viterbi
from rasd.ner.features import OFFSETS, FeatureConfig, FeatureExtractor

DATA_DIR = Path(__file__).parent / "data"
MODEL_PATH = DATA_DIR / "anercorp_crf.crfsuite"
BASE_MODEL_PATH = DATA_DIR / "anercorp_crf_base.crfsuite"  # without the self-trained lexicon (a voter)


_VECTOR_CACHE = 200_000  # word types whose score vectors are kept (72 MB); bounded so memory stays flat


class NerModelMissing(RuntimeError):
    """The model file is not there (run `make train-ner`)."""


def meta_path(model: Path) -> Path:
    """The JSON sidecar that records the feature configuration a model was trained with."""
    return model.with_suffix(".json")


class CrfTagger:
    """BIO tagger for PERS, LOC, ORG and MISC.

    Loading is lazy and guarded by a lock, so a tagger can be created at import time and shared by threads;
    crfsuite taggers are not thread-safe, so each thread gets its own (cheap: the model file is memory-mapped).
    Worker processes each load their own copy.
    """

    _default: CrfTagger | None = None
    _default_lock = threading.Lock()

    def __init__(self, model_path: Path = MODEL_PATH, extractor: FeatureExtractor | None = None) -> None:
        self.model_path = Path(model_path)
        self._extractor = extractor
        self._local = threading.local()
        self._lock = threading.Lock()
        self.meta: dict[str, Any] = {}
        self._scorer: WordScorer | None = None

    @classmethod
    def default(cls) -> CrfTagger:
        """The process-wide tagger for the shipped model."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @property
    def extractor(self) -> FeatureExtractor:
        if self._extractor is None:
            with self._lock:
                if self._extractor is None:
                    mp = meta_path(self.model_path)
                    self.meta = json.loads(mp.read_text(encoding="utf-8")) if mp.exists() else {}
                    self._extractor = FeatureExtractor(FeatureConfig(**self.meta.get("features", {})))
        return self._extractor

    def _tagger(self) -> Any:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            import pycrfsuite

            if not self.model_path.exists():
                raise NerModelMissing(f"NER model not found: {self.model_path} (run `make train-ner`)")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.model_path))
            self._local.tagger = tagger
        return tagger

    @property
    def scorer(self) -> WordScorer:
        if self._scorer is None:
            extractor = self.extractor
            with self._lock:
                if self._scorer is None:
                    if not self.model_path.exists():
                        raise NerModelMissing(f"NER model not found: {self.model_path} (run `make train-ner`)")
                    self._scorer = WordScorer(CrfWeights.load(self.model_path), extractor)
        return self._scorer

    def clear_cache(self) -> None:
        """Forget every word's features and scores (benchmarks use it to time a cold start)."""
        self.extractor.clear_cache()
        if self._scorer is not None:
            self._scorer.clear()

    def load(self) -> CrfTagger:
        """Load the model and feature tables now (so that timing excludes it)."""
        self.tag_sentences([["تحميل"]])
        return self

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags for one sentence of tokens (as written; they are normalised here)."""
        return self.tag_sentences([tokens])[0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for several sentences (one document's, or a batch of a CoNLL file's)."""
        return self.scorer.tag(sentences)

    def tag_reference(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The same tags from crfsuite itself: what `tag_sentences` is tested against."""
        tagger = self._tagger()
        ex = self.extractor
        return [list(tagger.tag(ex.sentence(s))) if s else [] for s in sentences]


class WordScorer:
    """Label scores of sentences under a CRF, built from cached per-word score vectors.

    A token's score is the sum of the weights of its features. Those of `FeatureExtractor.word` depend on
    one word, so each word type gets a row of vectors: its own score and what it adds to each neighbour.
    What depends on the sentence (edges, bigrams, gazetteer names) is looked up per token. The cache is
    shared, so calls from several threads take turns.
    """

    def __init__(self, weights: CrfWeights, extractor: FeatureExtractor) -> None:
        self.weights = weights
        self.extractor = extractor
        self.config = extractor.config
        n_labels = len(weights.labels)
        self._offsets = [(k + 1, off) for k, off in enumerate(OFFSETS) if abs(off) <= self.config.window]
        self._lent_columns = [k for k, _ in self._offsets]  # a type's row: its own vector, then one per offset
        self._table = np.zeros((_VECTOR_CACHE, 1 + len(OFFSETS), n_labels))
        self._rows: dict[str, int] = {}
        self._keys: list[str] = []
        vec = weights.vector
        self._edge = {off: vec([f"{off}w=<S>"]) for _, off in self._offsets}
        self._zero = len(weights.state)  # the id of a row of zeros: where unknown features point
        self._state = np.vstack([weights.state, np.zeros((1, n_labels))])
        self._far, self._near, self._lent_vectors = self._lent_tables(weights)
        self._lent_zero = len(self._lent_vectors) - 1
        # Bigram features are named "bg-=LEFT|RIGHT": the words that can be LEFT or RIGHT (every split at
        # a "|", since a word may be one), and per cached row whether its word can be either.
        pairs = [name[4:] for name in weights.attributes if name.startswith(("bg-=", "bg+="))]
        self._bigram_lefts = frozenset(p[:k] for p in pairs for k, c in enumerate(p) if c == "|")
        self._bigram_rights = frozenset(p[k + 1 :] for p in pairs for k, c in enumerate(p) if c == "|")
        self._begins_bigram = np.zeros(_VECTOR_CACHE, dtype=bool)
        self._ends_bigram = np.zeros(_VECTOR_CACHE, dtype=bool)
        self._gazetteer_features: dict[str, tuple[int | None, ...]] = {}
        self._bos = vec(["BOS"])
        self._eos = vec(["EOS"])
        self._lock = threading.Lock()

    def _lent_tables(self, weights: CrfWeights) -> tuple[dict[str, int], dict[str, int], np.ndarray]:
        """What a word lends its neighbours, as one vector per feature name for all the offsets at once.

        The model names a lent feature with the offset in front ("-1w=..."). A word's `far` features go
        to every offset, its `near` ones to ±1 only, so each name gets a row per kind: the scores it adds
        at each offset (zero where the model has no such feature), and the last row is all zeros."""
        offsets = [off for _, off in self._offsets]
        by_offset: list[dict[str, int]] = [{} for _ in offsets]
        for name, i in weights.attributes.items():
            for table, off in zip(by_offset, offsets, strict=True):
                prefix = str(off)
                if name.startswith(prefix):
                    table[name[len(prefix) :]] = i
        far = {name: r for r, name in enumerate(dict.fromkeys(n for table in by_offset for n in table))}
        beside = [table for table, off in zip(by_offset, offsets, strict=True) if abs(off) == 1]
        near = {name: len(far) + r for r, name in enumerate(dict.fromkeys(n for table in beside for n in table))}
        vectors = np.zeros((len(far) + len(near) + 1, len(offsets), weights.state.shape[1]))
        for j, (table, off) in enumerate(zip(by_offset, offsets, strict=True)):
            for index in (far, near) if abs(off) == 1 else (far,):
                vectors[[index[n] for n in table], j] = weights.state[list(table.values())]
        return far, near, vectors.reshape(len(vectors), -1)

    def clear(self) -> None:
        """Forget every word type's vectors (rows are filled again as words come; nothing else is kept)."""
        self._rows.clear()
        self._keys.clear()

    def _add_rows(self, tokens: Sequence[str]) -> None:
        """Score vectors for new word types, summed for all of them in one pass over the weights.

        Each type's features are looked up with unknown ones sent to a row of zeros, and each of its two
        groups (own, lent) ends with that row too, so every group is a non-empty run of ids and
        `np.add.reduceat` sums them all at once; adding zeros leaves the sums exactly as they were."""
        own, far, near = self.weights.attributes.get, self._far.get, self._near.get
        zero, lent_zero = self._zero, self._lent_zero
        rows = self._rows
        keys = self._keys
        first = len(keys)
        own_ids: list[int] = []
        own_starts: list[int] = []
        lent_ids: list[int] = []
        lent_starts: list[int] = []
        for token in tokens:
            if token in rows:
                continue
            w = self.extractor.word_features(token)
            rows[token] = len(keys)
            keys.append(w.key)
            own_starts.append(len(own_ids))
            own_ids.extend(map(own, w.own, repeat(zero)))
            own_ids.append(zero)
            lent_starts.append(len(lent_ids))
            lent_ids.extend(map(far, w.far, repeat(lent_zero)))
            lent_ids.extend(map(near, w.near, repeat(lent_zero)))
            lent_ids.append(lent_zero)
        new = len(keys) - first
        if not new:
            return
        found = np.take(self._state, np.fromiter(own_ids, dtype=np.intp, count=len(own_ids)), axis=0)
        self._table[first : len(keys), 0] = np.add.reduceat(found, own_starts, axis=0)
        found = np.take(self._lent_vectors, np.fromiter(lent_ids, dtype=np.intp, count=len(lent_ids)), axis=0)
        lent = np.add.reduceat(found, lent_starts, axis=0).reshape(new, len(self._offsets), -1)
        self._table[first : len(keys), self._lent_columns] = lent
        self._begins_bigram[first : len(keys)] = [k in self._bigram_lefts for k in keys[first:]]
        self._ends_bigram[first : len(keys)] = [k in self._bigram_rights for k in keys[first:]]

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Scores (tokens × labels) of all the sentences' tokens, and each sentence's token range."""
        total = sum(map(len, sentences))
        if len(self._keys) + total > _VECTOR_CACHE:
            self.clear()
        self._add_rows([tok for s in sentences for tok in s])
        rows: list[int] = []
        bounds: list[tuple[int, int]] = []
        get = self._rows.__getitem__
        for s in sentences:
            a = len(rows)
            rows.extend(map(get, s))
            bounds.append((a, len(rows)))
        n_labels = self._table.shape[2]
        if not rows:
            return np.zeros((0, n_labels)), bounds
        idx = np.asarray(rows, dtype=np.intp)
        table = self._table[idx]
        emit = table[:, 0].copy()
        sent_start = np.empty(len(rows), dtype=np.intp)
        sent_end = np.empty(len(rows), dtype=np.intp)
        for a, b in bounds:
            sent_start[a:b] = a
            sent_end[a:b] = b
        pos = np.arange(len(rows))
        for k, off in self._offsets:
            j = pos + off
            inside = (j >= sent_start) & (j < sent_end)
            emit[inside] += table[j[inside], k]
            emit[~inside] += self._edge[off]
        starts = [a for a, b in bounds if b > a]
        emit[starts] += self._bos
        emit[[b - 1 for a, b in bounds if b - a > 1]] += self._eos
        # Bigrams join a word to the one before it in its sentence, when the two can begin and end one.
        pairs = self._begins_bigram[idx[:-1]] & self._ends_bigram[idx[1:]] & (sent_start[1:] < pos[1:])
        joined = np.flatnonzero(pairs) + 1
        self._add_sentence_features(sentences, rows, bounds, joined.tolist(), emit)
        return emit, bounds

    def _add_sentence_features(
        self,
        sentences: Sequence[Sequence[str]],
        rows: Sequence[int],
        bounds: Sequence[tuple[int, int]],
        joined: Sequence[int],
        emit: np.ndarray,
    ) -> None:
        """Bigram and gazetteer features, which depend on the neighbours' identity (`joined`: the tokens
        that may make a bigram with the one before)."""
        attrs = self.weights.attributes
        at: list[int] = []
        ids: list[int] = []
        cfg = self.config
        if cfg.bigrams:
            keys = self._keys
            for i in joined:
                pair = f"{keys[rows[i - 1]]}|{keys[rows[i]]}"
                f = attrs.get("bg-=" + pair)
                if f is not None:
                    at.append(i)
                    ids.append(f)
                f = attrs.get("bg+=" + pair)
                if f is not None:
                    at.append(i - 1)
                    ids.append(f)
        if cfg.gazetteer:
            for (a, b), names in zip(bounds, self.extractor.gazetteer_names(sentences), strict=True):
                for first, last, kind in names:
                    begin, inside, kind_here, before, after = self._gazetteer_ids(kind)
                    for i in range(a + first, a + last + 1):
                        for f, where in (
                            (begin if i == a + first else inside, i),
                            (kind_here, i),
                            (before, i - 1),
                            (after, i + 1),
                        ):
                            if f is not None and a <= where < b:
                                at.append(where)
                                ids.append(f)
        if at:
            np.add.at(emit, at, self.weights.state[ids])

    def _gazetteer_ids(self, kind: str) -> tuple[int | None, ...]:
        """The model's ids of the gazetteer features a name of this kind gives: at its first token, at the
        others, at every token of it, and lent to the token before it and after it."""
        hit = self._gazetteer_features.get(kind)
        if hit is None:
            get = self.weights.attributes.get
            hit = (get("g=B-" + kind), get("g=I-" + kind), get("gk=" + kind), get("+1g=" + kind), get("-1g=" + kind))
            self._gazetteer_features[kind] = hit
        return hit

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        with self._lock:
            emit, bounds = self.emissions(sentences)
        labels = viterbi(emit, self.weights.transitions, bounds)
        names = self.weights.labels
        tags = [names[i] for i in labels.tolist()]
        return [tags[a:b] for a, b in bounds]
