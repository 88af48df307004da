"""Train the ANERcorp CRF tagger (and score it on the dev split carved from the training file).

`--dev-only` trains on the first 90% of the training sentences and scores the last 10% (for tuning);
without it the shipped model is trained on the whole training file with the same settings.

Usage: .venv/bin/python scripts/train_ner.py [--shared ../shared] [--c1 0.05 --c2 0.01] [--dev-only]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rasd.ner.clusters import LEXICON_PATH
from rasd.ner.crf import MODEL_PATH
from rasd.ner.features import FeatureConfig, FeatureExtractor
from rasd.ner.train import (
    SHARED_CORPORA,
    TrainParams,
    corpus_sentences,
    evaluate,
    load_sentences,
    split_dev,
    train,
    train_two_stage,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULTS = TrainParams()
TRAIN = "data/ner/anercorp/ANERCorp_CamelLab_train.txt"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--train", type=Path, help="CoNLL training file (default: the ANERcorp train split)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--dev-frac", type=float, default=0.1)
    ap.add_argument("--dev-block", type=int, help="hold out this slice instead of the last one (0 = first)")
    ap.add_argument("--dev-only", action="store_true", help="train on the train part, score the dev part, ship nothing")
    ap.add_argument("--c1", type=float, default=DEFAULTS.c1)
    ap.add_argument("--c2", type=float, default=DEFAULTS.c2)
    ap.add_argument("--max-iter", type=int, default=DEFAULTS.max_iterations)
    ap.add_argument("--min-freq", type=float, default=DEFAULTS.min_freq)
    ap.add_argument("--no-possible-transitions", action="store_true")
    ap.add_argument("--features", default="{}", help='JSON overrides of FeatureConfig, e.g. {"window": 1}')
    ap.add_argument("--lexicon", action="store_true", help="two-stage: add self-trained lexicon features")
    ap.add_argument("--lexicon-every", type=int, default=4, help="tag every n-th corpus article for the lexicon")
    ap.add_argument("--lexicon-folds", type=int, default=0, help="cross-fit the training lexicons over n folds")
    ap.add_argument("--lexicon-rounds", type=int, default=1, help="re-tag the corpus with the lexicon model n-1 times")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    sents = load_sentences(args.train or args.shared / TRAIN)
    params = TrainParams(
        c1=args.c1,
        c2=args.c2,
        max_iterations=args.max_iter,
        min_freq=args.min_freq,
        possible_transitions=not args.no_possible_transitions,
    )
    config = FeatureConfig(**json.loads(args.features))
    work = REPO / "build" / "ner"
    t0 = time.time()
    tr, dev = split_dev(sents, args.dev_frac, args.dev_block) if args.dev_only else (sents, [])
    out = work / f"dev_model_{os.getpid()}.crfsuite" if args.dev_only else args.out
    if args.lexicon:
        corpus = corpus_sentences([args.shared / c for c in SHARED_CORPORA], args.lexicon_every)
        lex_path = work / f"dev_lexicon_{os.getpid()}.tsv.gz" if args.dev_only else LEXICON_PATH
        meta, ex = train_two_stage(
            tr,
            out,
            lex_path,
            corpus,
            params,
            config,
            work / f"stages_{os.getpid()}",
            args.lexicon_folds,
            args.workers,
            log=lambda m: print(m, file=sys.stderr),
            rounds=args.lexicon_rounds,
        )
    else:
        ex = FeatureExtractor(config)
        meta = train(tr, out, params, ex, verbose=args.verbose)
    if args.dev_only:
        res = evaluate(out, dev, ex)
        for k, (p, r, f) in res.items():
            print(f"{k:5s} P {p:6.2f} R {r:6.2f} F1 {f:6.2f}")
        print(f"dev F1 {res['ALL'][2]:.2f}  train {time.time() - t0:.0f}s  {json.dumps(meta['params'])}")
        return 0
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
