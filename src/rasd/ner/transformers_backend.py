"""Optional NER backend: a token-classification model the user has on disk (e.g. a CAMeLBERT NER checkpoint).

`--ner transformers:PATH` loads it with Hugging Face transformers from PATH only (never from a hub: Rasd runs
offline), tags pre-tokenised sentences in batches, on the GPU when there is one. Each word takes the label
of its first sub-word. Labels are mapped to Rasd's PERS/ORG/LOC/MISC (B-PER -> B-PERS, I-GPE -> I-LOC ...).
Neither torch nor transformers is a dependency of Rasd: install them to use this backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

_LABEL_MAP = {"PER": "PERS", "PERSON": "PERS", "PERS": "PERS", "ORG": "ORG", "ORGANIZATION": "ORG", "LOC": "LOC",
              "LOCATION": "LOC", "GPE": "LOC", "MISC": "MISC"}  # fmt: skip


class BackendUnavailable(RuntimeError):
    """The backend's libraries or model files are missing; the message says what to install or check."""


def map_label(label: str) -> str:
    """'B-PER' -> 'B-PERS', 'I-GPE' -> 'I-LOC', 'B-DATE' -> 'O' (types Rasd does not use)."""
    if label in ("O", "") or "-" not in label:
        return "O"
    prefix, _, typ = label.partition("-")
    mapped = _LABEL_MAP.get(typ.upper())
    if mapped is None or prefix not in ("B", "I"):
        return "O"
    return f"{prefix}-{mapped}"


class TransformersTagger:
    """Tags lists of words with a local token-classification model."""

    def __init__(self, path: str | Path, *, batch_size: int = 16, device: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise BackendUnavailable(f"transformers model folder not found: {self.path}")
        try:
            import torch
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise BackendUnavailable(
                "the transformers backend needs torch and transformers: pip install torch transformers"
            ) from e
        self._torch = torch
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            self.model = AutoModelForTokenClassification.from_pretrained(self.path, local_files_only=True)
        except (OSError, ValueError) as e:
            raise BackendUnavailable(f"cannot load a token-classification model from {self.path}: {e}") from e
        if not getattr(self.tokenizer, "is_fast", False):
            raise BackendUnavailable(f"{self.path}: a fast tokenizer (tokenizer.json) is needed to align words")
        self.model.to(self.device).eval()
        self.batch_size = batch_size
        self.id2label: dict[int, str] = {int(k): v for k, v in self.model.config.id2label.items()}
        self.max_length = min(int(getattr(self.tokenizer, "model_max_length", 512) or 512), 512)

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        out: list[list[str]] = []
        for i in range(0, len(sentences), self.batch_size):
            out.extend(self._tag_batch([list(s) for s in sentences[i : i + self.batch_size]]))
        return out

    def tag(self, words: Sequence[str]) -> list[str]:
        return self.tag_sentences([words])[0]

    def _tag_batch(self, batch: list[list[str]]) -> list[list[str]]:
        nonempty = [s if s else ["."] for s in batch]
        enc: Any = self.tokenizer(
            nonempty, is_split_into_words=True, truncation=True, max_length=self.max_length,
            padding=True, return_tensors="pt",
        )  # fmt: skip
        inputs = {k: v.to(self.device) for k, v in enc.items()}
        with self._torch.no_grad():
            logits = self.model(**inputs).logits
        pred = logits.argmax(-1).cpu().tolist()
        result: list[list[str]] = []
        for b, words in enumerate(batch):
            tags = ["O"] * len(words)
            seen: set[int] = set()
            for t, w in enumerate(enc.word_ids(batch_index=b)):
                if w is None or w in seen or w >= len(words):
                    continue
                seen.add(w)
                tags[w] = map_label(self.id2label.get(pred[b][t], "O"))
            result.append(_repair_bio(tags))
        return result


def _repair_bio(tags: list[str]) -> list[str]:
    """An I- tag that does not continue an entity of its type opens one (conlleval's reading, made explicit)."""
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out
