"""Benchmark the analysis pipeline on one core: articles/s, tokens/s, peak memory and a per-component breakdown.

Usage: python scripts/bench_pipeline.py [CORPUS.jsonl.gz] [--limit N] [--ner crf|none]
Reading and de-duplication are timed separately from analysis; nothing is stored.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from rasd.ingest import IngestFailure, iter_documents
from rasd.pipeline import PipelineConfig, default_pipeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant_multisource_2018.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--ner", default="none")
    args = ap.parse_args()
    pipeline = default_pipeline(PipelineConfig(ner=args.ner))
    t_read = t_all = 0.0
    n = tokens = 0
    it = iter(iter_documents([args.corpus]))
    while n < args.limit:
        t0 = time.perf_counter()
        doc = next(it, None)
        t_read += time.perf_counter() - t0
        if doc is None:
            break
        if isinstance(doc, IngestFailure):
            continue
        t0 = time.perf_counter()
        pipeline.run(doc)
        t_all += time.perf_counter() - t0
        n += 1
        tokens += len(doc.values["tokens"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n} articles, {tokens} tokens: analysis {n / t_all:.0f} articles/s, {tokens / t_all:.0f} tokens/s; "
        f"reading {n / max(t_read, 1e-9):.0f} articles/s; peak memory {peak:.0f} MB (ner={args.ner})"
    )
    for name, secs in sorted(pipeline.timings.items(), key=lambda kv: -kv[1]):
        print(f"  {name:10s} {secs:7.2f} s  {100 * secs / t_all:5.1f}%  {1000 * secs / max(n, 1):6.2f} ms/article")


if __name__ == "__main__":
    main()
