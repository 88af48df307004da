"""Benchmark the analysis pipeline on one core: articles/s, tokens/s, peak memory and a per-component breakdown.

Usage: python scripts/bench_pipeline.py [CORPUS.jsonl.gz] [--limit N] [--ner crf|none] [--batch N]
Reading is timed separately from analysis, and loading the models and the knowledge base (once per process)
separately from both; nothing is stored. Documents are analysed `--batch` at a time, as `rasd extract` and
`rasd ingest` do. The end-to-end line adds what `rasd extract` does around the analysis on one core: reading,
the duplicate fingerprint, and turning each analysed article into its JSON record.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from rasd.api import body_of
from rasd.ingest import IngestFailure, iter_documents
from rasd.ingest.dedup import fingerprint
from rasd.pipeline import BATCH_SIZE, PipelineConfig, default_pipeline
from rasd.record import to_record

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant_multisource_2018.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--ner", default="crf")
    ap.add_argument("--batch", type=int, default=BATCH_SIZE)
    args = ap.parse_args()
    t0 = time.perf_counter()
    pipeline = default_pipeline(PipelineConfig(ner=args.ner))
    pipeline.warm_up(freeze=True)  # as extract, ingest and the workers do
    t_load = time.perf_counter() - t0
    pipeline.timings.update(dict.fromkeys(pipeline.timings, 0.0))
    t_read = t_all = t_fp = t_out = 0.0
    n = tokens = 0
    it = iter(iter_documents([args.corpus]))
    done = False
    while not done and n < args.limit:
        batch = []
        t0 = time.perf_counter()
        while len(batch) < min(args.batch, args.limit - n):
            doc = next(it, None)
            if doc is None:
                done = True
                break
            if not isinstance(doc, IngestFailure):
                batch.append(doc)
        t_read += time.perf_counter() - t0
        t0 = time.perf_counter()
        for doc in batch:
            fingerprint(body_of(doc))
        t_fp += time.perf_counter() - t0
        t0 = time.perf_counter()
        errors = pipeline.run_batch(batch)
        t_all += time.perf_counter() - t0
        t0 = time.perf_counter()
        for doc, error in zip(batch, errors, strict=True):
            if error is None:
                json.dumps(to_record(doc), ensure_ascii=False)
        t_out += time.perf_counter() - t0
        n += len(batch)
        tokens += sum(len(doc.values["tokens"]) for doc, e in zip(batch, errors, strict=True) if e is None)
    print(f"loading models and knowledge base: {t_load:.1f} s (once per process)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n} articles, {tokens} tokens: analysis {n / t_all:.0f} articles/s, {tokens / t_all:.0f} tokens/s; "
        f"reading {n / max(t_read, 1e-9):.0f} articles/s; peak memory {peak:.0f} MB (ner={args.ner})"
    )
    t_end = t_read + t_fp + t_all + t_out
    print(
        f"end to end on one core: {n / t_end:.0f} articles/s (reading {1000 * t_read / n:.2f} ms/article, "
        f"fingerprint {1000 * t_fp / n:.2f}, analysis {1000 * t_all / n:.2f}, record and JSON {1000 * t_out / n:.2f})"
    )
    for name, secs in sorted(pipeline.timings.items(), key=lambda kv: -kv[1]):
        print(f"  {name:10s} {secs:7.2f} s  {100 * secs / t_all:5.1f}%  {1000 * secs / max(n, 1):6.2f} ms/article")


if __name__ == "__main__":
    main()
