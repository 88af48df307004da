"""Build the NER word clusters: word2vec on the shared news corpora, then k-means at several granularities.

The CRF sees only ~125k tagged tokens; clusters learnt from ~60k unlabelled articles let it generalise to
names it never saw tagged. Each paragraph is fed twice, as written and with clitics stripped (Arabic glues
و ف ب ل ك and ال to words, which scatters one word over many rare forms). Training time only: needs gensim and
scikit-learn. Writes src/rasd/ner/data/clusters.tsv.gz (word, corpus count, cluster ids).

Usage: .venv/bin/python scripts/build_clusters.py [--shared ../shared] [--dim 200] [--k 64,256,1024]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from rasd.ner.clusters import CLUSTERS_PATH, strip_clitics, vec_key
from rasd.text import normalize
from rasd.text.segment import tokenize

CORPORA = ("corpora/ant_multisource_2018.jsonl.gz", "corpora/saudinewsnet_2015.jsonl.gz")
REPO = Path(__file__).resolve().parents[1]


def paragraphs(paths: list[Path]) -> Iterator[list[str]]:
    """Token lists of every non-empty paragraph, normalised and tokenised like the pipeline does."""
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text") or ""
                for para in text.split("\n"):
                    toks = [vec_key(t.norm) for t in tokenize(normalize(para))]
                    if len(toks) > 1:
                        yield toks


def write_corpus(paths: list[Path], work: Path) -> tuple[Path, Counter[str]]:
    """Tokenise once into a line-per-paragraph file (gensim's fast corpus_file mode) and count surface words.

    Bare forms need a surface count of at least 3 (`strip_clitics`), so the surface counts written to the
    clusters file are all the tagger needs to strip words the same way."""
    raw = work / "surface.txt"
    counts: Counter[str] = Counter()
    with raw.open("w", encoding="utf-8") as out:
        for toks in paragraphs(paths):
            counts.update(toks)
            out.write(" ".join(toks) + "\n")
    bare = {w: strip_clitics(w, counts.__getitem__) for w, n in counts.items() if n >= 2}
    both = work / "corpus.txt"
    with raw.open(encoding="utf-8") as f, both.open("w", encoding="utf-8") as out:
        for line in f:
            out.write(line)
            toks = line.split()
            stripped = [bare.get(t, t) for t in toks]
            if stripped != toks:
                out.write(" ".join(stripped) + "\n")
    raw.unlink()
    with (work / "counts.tsv").open("w", encoding="utf-8") as f:
        f.writelines(f"{w}\t{n}\n" for w, n in counts.items())
    return both, counts


def cached_corpus(work: Path) -> tuple[Path, Counter[str]] | None:
    """The corpus and counts of an earlier run (--reuse), to try other vector settings quickly."""
    both, cp = work / "corpus.txt", work / "counts.tsv"
    if not (both.exists() and cp.exists()):
        return None
    counts: Counter[str] = Counter()
    with cp.open(encoding="utf-8") as f:
        for line in f:
            w, _, n = line.rstrip("\n").rpartition("\t")
            counts[w] = int(n)
    return both, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--work", type=Path, default=REPO / "build" / "ner")
    ap.add_argument("--out", type=Path, default=CLUSTERS_PATH)
    ap.add_argument("--dim", type=int, default=150)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--sg", type=int, default=1, help="1 skip-gram, 0 CBOW")
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--keep-min", type=int, default=3, help="words rarer than this are left out of the file")
    ap.add_argument("--k", default="64,256,1024,4096")
    ap.add_argument("--workers", type=int, default=2, help="1 makes word2vec bit-for-bit reproducible")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reuse", action="store_true", help="reuse the corpus and vectors of an earlier run")
    ap.add_argument("--keep-corpus", action="store_true")
    args = ap.parse_args()

    from gensim.models import KeyedVectors, Word2Vec
    from sklearn.cluster import MiniBatchKMeans

    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.WARNING)
    t0 = time.time()
    args.work.mkdir(parents=True, exist_ok=True)
    cached = cached_corpus(args.work) if args.reuse else None
    corpus, counts = cached or write_corpus([args.shared / c for c in CORPORA], args.work)
    print(f"corpus: {sum(counts.values()):,} tokens, {len(counts):,} types ({time.time() - t0:.0f}s)", file=sys.stderr)

    vec_path = args.work / "vectors.kv"
    if args.reuse and vec_path.exists():
        wv = KeyedVectors.load(str(vec_path))
    else:
        model = Word2Vec(
            corpus_file=str(corpus),
            vector_size=args.dim,
            window=args.window,
            min_count=args.min_count,
            sg=args.sg,
            negative=args.negative,
            sample=1e-4,
            epochs=args.epochs,
            workers=args.workers,
            seed=args.seed,
        )
        wv = model.wv
        wv.save(str(vec_path))  # kept for re-clustering with --reuse
    print(f"word2vec: {len(wv):,} words ({time.time() - t0:.0f}s)", file=sys.stderr)
    words = [w for w in wv.index_to_key if counts[w] >= args.keep_min]
    vecs = np.asarray([wv[w] for w in words], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    ks = [int(k) for k in args.k.split(",")]
    labels = []
    for k in ks:
        km = MiniBatchKMeans(n_clusters=k, random_state=args.seed, batch_size=8192, n_init=3, max_iter=100)
        labels.append(km.fit_predict(vecs))
        print(f"k-means {k} ({time.time() - t0:.0f}s)", file=sys.stderr)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as gz:
        gz.write(("\t".join(["word", "count", *(f"c{k}" for k in ks)]) + "\n").encode())
        for i, w in enumerate(words):
            if "\t" in w or not w.strip():
                continue
            row = [w, str(counts[w]), *(str(lab[i]) for lab in labels)]
            gz.write(("\t".join(row) + "\n").encode())
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({len(words):,} words, {size:.1f} MB, {time.time() - t0:.0f}s)", file=sys.stderr)
    if not args.keep_corpus:
        corpus.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
