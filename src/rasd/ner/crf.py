"""The CRF tagger: loads the shipped crfsuite model once, lazily, and tags token lists with BIO tags."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rasd.ner.features import FeatureConfig, FeatureExtractor

DATA_DIR = Path(__file__).parent / "data"
MODEL_PATH = DATA_DIR / "anercorp_crf.crfsuite"
BASE_MODEL_PATH = DATA_DIR / "anercorp_crf_base.crfsuite"  # without the self-trained lexicon (a voter)


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

    def load(self) -> CrfTagger:
        """Load the model and feature tables now (so that timing excludes it)."""
        self._tagger()
        ex = self.extractor
        if ex.config.gazetteer or ex.config.names:
            ex.sentence(["تحميل"])
        return self

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags for one sentence of tokens (as written; they are normalised here)."""
        if not tokens:
            return []
        return list(self._tagger().tag(self.extractor.sentence(tokens)))

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for several sentences."""
        tagger = self._tagger()
        ex = self.extractor
        return [list(tagger.tag(ex.sentence(s))) if s else [] for s in sentences]
