"""Tagging speed of the shipped NER models on one core, model loading excluded.

Every cache (CRF features, BiLSTM word inputs) is emptied before timing, so the figure includes computing
every word's features once, as a fresh process tagging new text would. numpy is held to one thread.

Usage: .venv/bin/python scripts/bench_ner.py [FILE.conll] [--ner ensemble|crf+bilstm|crf|bilstm ...] [--repeat 3]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy loads: one core means one BLAS thread
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from rasd.ner.backends import UnionTagger, VoteTagger, make_tagger
from rasd.ner.conll import read_conll

REPO = Path(__file__).resolve().parents[1]
TEST = REPO.parent / "shared" / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"


def clear(tagger: Any) -> None:
    """Empty the per-word caches of a tagger (and of both halves of a union)."""
    if isinstance(tagger, UnionTagger):
        clear(tagger.first)
        clear(tagger.second)
        return
    if isinstance(tagger, VoteTagger):
        for t in tagger.taggers:
            clear(t)
        return
    if hasattr(tagger, "clear_cache"):  # the CRF: features and the decoder's per-word scores
        tagger.clear_cache()
    else:
        tagger.extractor.clear_cache()
    if hasattr(tagger, "_cache"):
        tagger._cache.clear()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path, nargs="?", default=TEST)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ner", nargs="+", default=["crf", "bilstm", "crf+bilstm", "ensemble"])
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sents = [toks for toks, _ in read_conll(args.file)]
    n = sum(len(s) for s in sents)
    for spec in args.ner:
        tagger = make_tagger(spec)
        assert tagger is not None
        tagger.tag_sentences(sents[:2])  # load the models
        best = float("inf")
        for _ in range(args.repeat):
            clear(tagger)
            t0 = time.perf_counter()
            tagger.tag_sentences(sents)
            best = min(best, time.perf_counter() - t0)
        print(f"{spec:11s} {n} tokens in {best:.3f}s: {n / best:,.0f} tokens/s (one core, best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
