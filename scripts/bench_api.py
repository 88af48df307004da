"""Latency of the web API and pages on a store: p50/p95 per endpoint, over real HTTP to a local uvicorn.

    python scripts/bench_api.py --db /tmp/ant.db [--repeat 30]
    python scripts/bench_api.py --db /tmp/synthetic.db --synthetic 31500   # build a store of copies first

The issue asks for each page to load in under a second on the 31,500 ANT articles: rows over 1,000 ms are marked.
`--synthetic N` fills a new store with N copies of the bundled sample articles (new ids, spread publication dates,
no NLP), a rough stand-in when the ANT store has not been built; its actors recur far more than real news does.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import uvicorn

from rasd import api
from rasd.cli import SAMPLES
from rasd.ingest.dedup import fingerprint
from rasd.store import queries as Q
from rasd.web import create_app


def build_synthetic(db: str, n: int) -> None:
    """N copies of the sample records with new ids, dates spread over 2018-2025 and the outlets shuffled."""
    with tempfile.TemporaryDirectory() as tmp:
        for p in SAMPLES.iterdir():
            if p.suffix in (".txt", ".html", ".jsonl"):
                shutil.copy(p, Path(tmp) / p.name)
        records = [r.record for r in api.extract([tmp]) if r.record]
    rng = random.Random(7)
    outlets = ["BBC Arabic", "CNN Arabic", "France 24", "Sky News Arabia", "Al Arabiya"]
    t0 = time.perf_counter()
    with api.open_store(str(db)) as store:
        for i in range(n):
            rec = dict(records[i % len(records)])
            day = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            rec.update(doc_id=f"syn-{i:06d}", published=day, outlet=rng.choice(outlets))
            rec["text"] = rec["text"] + f"\n{i}"  # distinct content, same offsets
            with store.batch():
                store.add_document(rec, source_path=None, content_hash=f"syn{i}", fp=fingerprint(rec["text"] + str(i)))
            if i and i % 2000 == 0:
                print(f"  {i} documents ({i / (time.perf_counter() - t0):.0f}/s)", file=sys.stderr)


def endpoints(db: str) -> list[str]:
    """Realistic requests for this store: its busiest actor, newest article, commonest event type."""
    with api.open_store(str(db)) as store:
        actor = Q.actors(store, Q.Filters(), limit=1).results[0]
        doc = Q.documents(store, Q.Filters(), limit=1).results[0]["id"]
        types = Q.facets(store)["types"]
        last = store.stats()["last_published"] or "2025-12-31"
    a = urllib.parse.quote(actor["id"], safe="")
    word = urllib.parse.quote((actor["name_ar"] or actor["name_en"] or "").split()[-1] if actor["name_ar"] else "")
    t = types[0] if types else "CONSULT"
    year = last[:4]
    d = urllib.parse.quote(doc, safe="")
    return [
        "/api/stats",
        "/api/facets",
        "/api/documents?limit=50",
        f"/api/documents?actor={a}&limit=50",
        f"/api/documents/{d}",
        "/api/actors?limit=50",
        f"/api/actors/{a}",
        "/api/events?limit=50",
        f"/api/events?actor={a}&limit=50",
        f"/api/events?type={t}&start={year}-01-01&limit=200",
        "/api/quotes?limit=50",
        f"/api/search?q={word}",
        "/api/timeline?interval=month",
        "/api/timeline?interval=day",
        "/api/network",
        f"/api/network?type={t}&start={year}",
        "/",
        f"/search?q={word}",
        f"/documents/{d}",
        f"/actors/{a}",
        "/documents",
        "/actors",
        "/timeline",
        "/network",
    ]


def serve(db: str) -> tuple[str, uvicorn.Server, threading.Thread]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def measure(url: str, repeat: int) -> dict[str, Any]:
    times, size = [], 0
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as r:
            size = len(r.read())
        if i:  # the first request warms caches and the thread's connection
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
        "bytes": size,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="the store to serve: an SQLite file or a postgresql:// URL")
    ap.add_argument("--repeat", type=int, default=30, help="timed requests per endpoint")
    ap.add_argument("--synthetic", type=int, metavar="N", help="first build --db (must not exist) from N sample copies")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if args.synthetic:
        if Path(args.db).exists():
            ap.error(f"{args.db} exists: --synthetic builds a new store")
        build_synthetic(args.db, args.synthetic)
    base, server, thread = serve(args.db)
    try:
        with api.open_store(str(args.db)) as store:
            s = store.stats()
        counts = ", ".join(f"{s[k]} {k}" for k in ("documents", "events", "actors", "mentions", "quotes"))
        print(f"store {args.db}: {counts}; {args.repeat} requests each", file=sys.stderr)
        print(f"{'p50':>9} {'p95':>9} {'max':>9}    {'bytes':>9}    request", file=sys.stderr)
        results = {}
        for path in endpoints(args.db):
            results[path] = measure(base + path, args.repeat)
            r = results[path]
            flag = "  > 1 s" if r["p95"] > 1000 else ""
            if not args.json:
                times = f"{r['p50']:9.1f} {r['p95']:9.1f} {r['max']:9.1f} ms"
                print(f"{times} {r['bytes']:>9} B  {urllib.parse.unquote(path)}{flag}")
        if args.json:
            print(json.dumps(results, ensure_ascii=False, indent=1))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
