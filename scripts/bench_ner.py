"""Tagging speed of the shipped NER model on one core: features plus CRF, model loading excluded.

The feature cache is emptied before timing, so the figure includes computing every word's features once,
as a fresh process tagging new text would.

Usage: .venv/bin/python scripts/bench_ner.py [FILE.conll] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rasd.ner.conll import read_conll
from rasd.ner.crf import MODEL_PATH, CrfTagger

REPO = Path(__file__).resolve().parents[1]
TEST = REPO.parent / "shared" / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path, nargs="?", default=TEST)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sents = [toks for toks, _ in read_conll(args.file)]
    n = sum(len(s) for s in sents)
    tagger = CrfTagger(args.model).load()
    best = float("inf")
    for _ in range(args.repeat):
        tagger.extractor.clear_cache()
        t0 = time.perf_counter()
        tagger.tag_sentences(sents)
        best = min(best, time.perf_counter() - t0)
    print(f"{n} tokens in {best:.3f}s: {n / best:,.0f} tokens/s (one core, best of {args.repeat}, cold feature cache)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
