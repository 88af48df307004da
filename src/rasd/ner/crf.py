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
        self._groups = [0, *(k for k, _ in self._offsets)]  # a type's vectors: own, then lent per offset
        self._table = np.zeros((_VECTOR_CACHE, 1 + len(OFFSETS), n_labels))
        self._rows: dict[str, int] = {}
        self._keys: list[str] = []
        vec = weights.vector
        self._edge = {off: vec([f"{off}w=<S>"]) for _, off in self._offsets}
        # What a word lends a neighbour is named with the offset in front ("-1w=..."): per offset, the
        # model's attributes by their unprefixed name, so a word's lent features are looked up as they are.
        self._lent: dict[int, dict[str, int]] = {off: {} for _, off in self._offsets}
        for name, i in weights.attributes.items():
            for off, table in self._lent.items():
                prefix = str(off)
                if name.startswith(prefix):
                    table[name[len(prefix) :]] = i
        self._zero = len(weights.state)  # the id of a row of zeros: where unknown features point
        self._state = np.vstack([weights.state, np.zeros((1, n_labels))])
        self._bos = vec(["BOS"])
        self._eos = vec(["EOS"])
        self._lock = threading.Lock()

    def _add_rows(self, tokens: Sequence[str]) -> None:
        """Score vectors for new word types, summed for all of them in one pass over the weights.

        Each type's features are looked up with unknown ones sent to a row of zeros, and each of its
        groups (own, lent to each neighbour) ends with that row too, so every group is a non-empty run of
        ids and `np.add.reduceat` sums them all at once; adding zeros leaves the sums exactly as they were."""
        own = self.weights.attributes.get
        lent = [(off, self._lent[off].get) for _, off in self._offsets]
        zero = self._zero
        rows = self._rows
        keys = self._keys
        first = len(keys)
        ids: list[int] = []
        starts: list[int] = []
        for token in tokens:
            if token in rows:
                continue
            w = self.extractor.word_features(token)
            rows[token] = len(keys)
            keys.append(w.key)
            starts.append(len(ids))
            ids.extend(map(own, w.own, repeat(zero)))
            ids.append(zero)
            for off, get in lent:
                starts.append(len(ids))
                ids.extend(map(get, w.lent(off), repeat(zero)))
                ids.append(zero)
        if not ids:
            return
        found = np.take(self._state, np.fromiter(ids, dtype=np.intp, count=len(ids)), axis=0)
        sums = np.add.reduceat(found, starts, axis=0)
        self._table[first : len(keys), self._groups] = sums.reshape(len(keys) - first, len(self._groups), -1)

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Scores (tokens × labels) of all the sentences' tokens, and each sentence's token range."""
        total = sum(map(len, sentences))
        if len(self._keys) + total > _VECTOR_CACHE:
            self._rows.clear()
            self._keys.clear()
            self._table[:] = 0.0
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
        self._add_sentence_features(sentences, rows, bounds, emit)
        return emit, bounds

    def _add_sentence_features(
        self,
        sentences: Sequence[Sequence[str]],
        rows: Sequence[int],
        bounds: Sequence[tuple[int, int]],
        emit: np.ndarray,
    ) -> None:
        """Bigram and gazetteer features, which depend on the neighbours' identity."""
        attrs = self.weights.attributes
        at: list[int] = []
        ids: list[int] = []
        cfg = self.config
        if cfg.bigrams:
            keys = self._keys
            for a, b in bounds:
                for i in range(a + 1, b):
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
            for (a, b), gaz in zip(bounds, self.extractor.gazetteer_tags_many(sentences), strict=True):
                for j, g in enumerate(gaz):
                    if g is None:
                        continue
                    i = a + j
                    kind = g[2:]
                    for name, where in (
                        ("g=" + g, i),
                        ("gk=" + kind, i),
                        ("+1g=" + kind, i - 1),
                        ("-1g=" + kind, i + 1),
                    ):
                        if a <= where < b:
                            f = attrs.get(name)
                            if f is not None:
                                at.append(where)
                                ids.append(f)
        if at:
            np.add.at(emit, at, self.weights.state[ids])

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        with self._lock:
            emit, bounds = self.emissions(sentences)
        labels = viterbi(emit, self.weights.transitions, bounds)
        names = self.weights.labels
        tags = [names[i] for i in labels.tolist()]
        return [tags[a:b] for a, b in bounds]
