"""The neural tagger: a BiLSTM-CRF over the CRF's word features and word vectors, run with numpy alone.

Each word is the sum of the embeddings of its features (the same clitic readings, affixes, clusters and name
lists the CRF sees) joined to its word2vec vector learnt from the shared news corpora; a bidirectional LSTM
reads the sentence, and a CRF layer decodes the tags. Training needs PyTorch (`scripts/train_ner_nn.py`);
tagging needs only numpy, so the package ships no deep-learning dependency. What makes it fast enough: the
LSTM's input projection is linear, so it is computed once per word type and cached; per sentence only the
recurrent part runs, batched over sentences.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rasd.ner.clusters import vec_key
from rasd.ner.crf import DATA_DIR, NerModelMissing
from rasd.ner.features import FeatureConfig, FeatureExtractor
from rasd.text.normalize import normalize_text

NEURAL_PATH = DATA_DIR / "anercorp_bilstm.npz"
_CACHE_MAX = 50_000  # word types, as for the CRF features (each entry: one small vector per model)


VECTORS_NAME = "word_vectors.npz"


def shipped_models() -> list[Path]:
    """The shipped BiLSTM models: one per training seed, averaged when tagging."""
    return sorted(DATA_DIR.glob("anercorp_bilstm*.npz"))


def vocab_path(model: Path) -> Path:
    """The sidecar with the feature and word vocabularies and the configuration."""
    return model.with_suffix(".vocab.json.gz")


def token_features(ex: FeatureExtractor, tokens: Sequence[str]) -> tuple[list[list[str]], list[str | None]]:
    """Per token: the word's own CRF features; and its gazetteer tag in this sentence (or None)."""
    return [ex.word(t).own for t in tokens], ex.gazetteer_tags(tokens)


def gazetteer_features(tag: str | None) -> list[str]:
    return [] if tag is None else ["g=" + tag, "gk=" + tag[2:]]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag sequence for emissions `em` (T, n) under the CRF's transition scores."""
    n_steps = em.shape[0]
    score = start + em[0]
    back = np.zeros(em.shape, dtype=np.int32)
    for t in range(1, n_steps):
        s = score[:, None] + trans
        back[t] = s.argmax(0)
        score = s.max(0) + em[t]
    best = [int((score + end).argmax())]
    for t in range(n_steps - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


_VECTORS: dict[Path, tuple[dict[str, int], np.ndarray]] = {}
_VECTORS_LOCK = threading.Lock()


def _word_vectors(path: Path) -> tuple[dict[str, int], np.ndarray]:
    """The word vectors the models share (frozen in training): word -> row (0: none), and the float32 rows."""
    with _VECTORS_LOCK:
        hit = _VECTORS.get(path)
        if hit is None:
            if not path.exists():
                raise NerModelMissing(f"NER word vectors not found: {path} (run `make train-ner`)")
            w = np.load(path)
            with gzip.open(path.with_suffix(".words.gz"), "rt", encoding="utf-8") as f:
                words = f.read().split("\n")
            vec = w["vec"].astype(np.float32) * w["vec_scale"].astype(np.float32)[:, None]
            hit = ({v: i + 1 for i, v in enumerate(words)}, np.vstack([np.zeros((1, vec.shape[1]), np.float32), vec]))
            _VECTORS[path] = hit
        return hit


class _Model:
    """One trained network's weights, as float32 arrays laid out for row-vector products."""

    def __init__(self, path: Path) -> None:
        if not path.exists() or not vocab_path(path).exists():
            raise NerModelMissing(f"NER model not found: {path} (run `make train-ner`)")
        with gzip.open(vocab_path(path), "rt", encoding="utf-8") as f:
            self.meta: dict[str, Any] = json.load(f)
        w = np.load(path)
        self.features = {f: i for i, f in enumerate(self.meta["features"])}
        words, vec = _word_vectors(path.parent / self.meta["vectors"])
        self.words = words
        self.vec = vec
        self.bag = w["bag"].astype(np.float32) * w["bag_scale"].astype(np.float32)[:, None]
        self.dim = self.bag.shape[1]
        self.hidden = int(w["w_hh_f"].shape[1])
        self.w_ih = {d: w[f"w_ih_{d}"].astype(np.float32).T.copy() for d in ("f", "b")}
        self.bias = {d: w[f"bias_{d}"].astype(np.float32) for d in ("f", "b")}
        self.w_hh = {d: w[f"w_hh_{d}"].astype(np.float32).T.copy() for d in ("f", "b")}
        self.w_out = w["w_out"].astype(np.float32).T.copy()
        self.b_out = w["b_out"].astype(np.float32)
        self.trans = w["trans"].astype(np.float32)
        self.start = w["start"].astype(np.float32)
        self.end = w["end"].astype(np.float32)

    def word_input(self, own: Sequence[str], key: str, bare: str) -> np.ndarray:
        ids = [i for i in (self.features.get(f) for f in own) if i is not None]
        v = self.words.get(key) or self.words.get(bare, 0)
        return np.concatenate([self.bag[ids].sum(0), self.vec[v]])

    def lstm(self, x: np.ndarray, d: str) -> np.ndarray:
        """One direction over a left-aligned padded batch of inputs (B, T, in) -> hidden states (B, T, H)."""
        n, steps, _ = x.shape
        hs = self.hidden
        pre = x @ self.w_ih[d] + self.bias[d]
        w_hh = self.w_hh[d]
        h = np.zeros((n, hs), np.float32)
        c = np.zeros((n, hs), np.float32)
        out = np.empty((n, steps, hs), np.float32)
        for t in range(steps):
            z = pre[:, t] + h @ w_hh
            i = _sigmoid(z[:, :hs])
            f = _sigmoid(z[:, hs : 2 * hs])
            g = np.tanh(z[:, 2 * hs : 3 * hs])
            o = _sigmoid(z[:, 3 * hs :])
            c = f * c + i * g
            h = o * np.tanh(c)
            out[:, t] = h
        return out


class NeuralTagger:
    """BIO tagger with the same interface as the CRF tagger; loaded lazily, shareable across threads."""

    _default: NeuralTagger | None = None
    _default_lock = threading.Lock()

    def __init__(self, model_paths: Path | Sequence[Path] | None = None, extractor: FeatureExtractor | None = None):
        if model_paths is None:
            model_paths = shipped_models() or [NEURAL_PATH]
        self.model_paths = [Path(model_paths)] if isinstance(model_paths, (str, Path)) else list(model_paths)
        self._extractor = extractor
        self._lock = threading.Lock()
        self.models: list[_Model] = []
        self._cache: dict[str, list[np.ndarray]] = {}

    @classmethod
    def default(cls) -> NeuralTagger:
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    def load(self) -> NeuralTagger:
        with self._lock:
            if not self.models:
                models = [_Model(p) for p in self.model_paths]
                self.tags: list[str] = models[0].meta["tags"]
                if self._extractor is None:
                    self._extractor = FeatureExtractor(FeatureConfig(**models[0].meta.get("feature_config", {})))
                self.models = models
        return self

    @property
    def meta(self) -> dict[str, Any]:
        return self.load().models[0].meta

    @property
    def extractor(self) -> FeatureExtractor:
        self.load()
        assert self._extractor is not None
        return self._extractor

    # -- tagging ----------------------------------------------------------------------------------------
    def _word_inputs(self, token: str, own: Sequence[str]) -> list[np.ndarray]:
        """Each model's input vector for one word type (cached)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        key = vec_key(normalize_text(token) or token)
        ct = self.extractor.clusters
        bare = ct.bare(key) if ct.counts else key
        out = [m.word_input(own, key, bare) for m in self.models]
        self._cache[token] = out
        return out

    def _tag_batch(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        ex = self.extractor
        lengths = [len(s) for s in sentences]
        steps = max(lengths)
        xs = [np.zeros((len(sentences), steps, m.dim + m.vec.shape[1]), np.float32) for m in self.models]
        for k, sent in enumerate(sentences):
            owns, gaz = token_features(ex, sent)
            for t, (tok, own) in enumerate(zip(sent, owns, strict=True)):
                for x, v in zip(xs, self._word_inputs(tok, own), strict=True):
                    x[k, t] = v
                for g in gazetteer_features(gaz[t]):
                    for x, m in zip(xs, self.models, strict=True):
                        j = m.features.get(g)
                        if j is not None:
                            x[k, t, : m.dim] += m.bag[j]
        em = np.zeros((len(sentences), steps, len(self.tags)), np.float32)
        for x, m in zip(xs, self.models, strict=True):
            rev = np.zeros_like(x)  # the backward LSTM reads each sentence reversed, left-aligned
            for k, n in enumerate(lengths):
                rev[k, :n] = x[k, :n][::-1]
            hf = m.lstm(x, "f")
            hb_rev = m.lstm(rev, "b")
            hb = np.zeros_like(hb_rev)
            for k, n in enumerate(lengths):
                hb[k, :n] = hb_rev[k, :n][::-1]
            em += np.concatenate([hf, hb], axis=2) @ m.w_out + m.b_out
        n_models = len(self.models)
        em /= n_models
        trans = sum(m.trans for m in self.models) / n_models
        start = sum(m.start for m in self.models) / n_models
        end = sum(m.end for m in self.models) / n_models
        return [[self.tags[j] for j in viterbi(em[k, :n], trans, start, end)] for k, n in enumerate(lengths)]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], batch: int = 64) -> list[list[str]]:
        """BIO tags for several sentences (batched by length, returned in input order)."""
        self.load()
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for a in range(0, len(order), batch):
            idx = order[a : a + batch]
            for i, tags in zip(idx, self._tag_batch([sentences[i] for i in idx]), strict=True):
                out[i] = tags
        return out

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_sentences([tokens])[0]
