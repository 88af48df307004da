"""Load test of `rasd serve`: many concurrent clients on mixed endpoints; requests, errors, latency percentiles.

    python scripts/bench_load.py --db /tmp/ant_full.db [--clients 50] [--duration 30] [--json]

Starts `rasd serve` on a free local port in its own process (so the clients do not share its interpreter), waits
until it answers, then runs `--clients` clients for `--duration` seconds. Each client sends its next request as
soon as the previous one is answered, drawn from a weighted mix of the API and the pages, with ids sampled from
the store (read-only), after one untimed request of each kind (--no-warmup: none). An error is any answer other
than 200, or no answer within `--timeout`. Opt-in: pytest never runs it. Exits 1 when there was any error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from rasd.store import Store, is_postgres


@dataclass
class Tally:
    """Every request's latency (ms) by endpoint group, and the errors seen."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    error_examples: dict[str, str] = field(default_factory=dict)

    def all(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not sorted_ms:
        return 0.0
    k = max(0, min(len(sorted_ms) - 1, round(p / 100 * len(sorted_ms) + 0.5) - 1))
    return sorted_ms[k]


def sample_ids(db: str, n: int, seed: int) -> dict[str, list[str]]:
    """Document ids, actor ids and search words to request, read from the store without writing to it."""
    store = Store(db)
    store.set_read_only()
    conn = store.conn
    try:
        docs = [r[0] for r in conn.execute("SELECT id FROM documents WHERE duplicate_of IS NULL ORDER BY rowid")]
        actors = [
            r[0]
            for r in conn.execute(
                "SELECT actor_id FROM mentions GROUP BY actor_id ORDER BY COUNT(*) DESC LIMIT ?", (n,)
            )
        ]
        names = [
            r[0] for r in conn.execute("SELECT name_ar FROM actors WHERE name_ar IS NOT NULL ORDER BY id LIMIT 2000")
        ]
        types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM events ORDER BY type LIMIT 50")]
    finally:
        store.close()
    rng = random.Random(seed)
    words = sorted({w for name in names for w in name.split() if len(w) > 3})
    return {
        "docs": rng.sample(docs, min(n, len(docs))),
        "actors": actors,
        "words": rng.sample(words, min(n, len(words))) or ["الرئيس"],
        "types": types or ["CONSULT"],
    }


def request_mix(ids: dict[str, list[str]]) -> list[tuple[str, int, Any]]:
    """(group, weight, url maker): what an analyst's browser and scripts ask for, roughly in that proportion."""

    def q(s: str) -> str:
        return urllib.parse.quote(s, safe="")

    def pick(key: str):
        return lambda rng: q(rng.choice(ids[key]))

    doc, actor, word, etype = pick("docs"), pick("actors"), pick("words"), pick("types")
    return [
        ("GET /api/documents", 12, lambda r: f"/api/documents?limit=20&offset={r.randrange(0, 2000)}"),
        ("GET /api/documents?actor", 6, lambda r: f"/api/documents?actor={actor(r)}&limit=20"),
        ("GET /api/documents/{id}", 14, lambda r: f"/api/documents/{doc(r)}"),
        ("GET /api/actors", 5, lambda r: "/api/actors?limit=50"),
        ("GET /api/actors/{id}", 8, lambda r: f"/api/actors/{actor(r)}"),
        ("GET /api/events", 8, lambda r: f"/api/events?limit=50&offset={r.randrange(0, 500)}"),
        ("GET /api/events?type", 5, lambda r: f"/api/events?type={etype(r)}&limit=50"),
        ("GET /api/quotes", 5, lambda r: "/api/quotes?limit=50"),
        ("GET /api/search", 10, lambda r: f"/api/search?q={word(r)}"),
        ("GET /api/timeline", 3, lambda r: "/api/timeline?interval=month"),
        ("GET /api/network", 2, lambda r: "/api/network"),
        ("GET /api/stats", 3, lambda r: "/api/stats"),
        ("GET / (page)", 3, lambda r: "/"),
        ("GET /documents/{id} (page)", 8, lambda r: f"/documents/{doc(r)}"),
        ("GET /actors/{id} (page)", 4, lambda r: f"/actors/{actor(r)}"),
        ("GET /search (page)", 4, lambda r: f"/search?q={word(r)}"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, wait: float) -> subprocess.Popen[bytes]:
    """`rasd serve` in its own process; returns once it answers /api/stats."""
    cmd = [sys.executable, "-m", "rasd.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"rasd serve exited with {proc.returncode}: {err[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"rasd serve did not answer within {wait:.0f} s")


async def client(
    http: httpx.AsyncClient, mix: list[tuple[str, int, Any]], rng: random.Random, until: float, tally: Tally
) -> None:
    groups = [m[0] for m in mix]
    weights = [m[1] for m in mix]
    makers = {m[0]: m[2] for m in mix}
    while time.monotonic() < until:
        group = rng.choices(groups, weights)[0]
        url = makers[group](rng)
        t0 = time.perf_counter()
        try:
            r = await http.get(url)
            ok, detail = r.status_code == 200, f"HTTP {r.status_code}"
            await r.aclose()
        except httpx.HTTPError as e:
            ok, detail = False, f"{type(e).__name__}: {e}"
        tally.latencies[group].append((time.perf_counter() - t0) * 1000)
        if not ok:
            key = f"{group}: {detail.split(':')[0]}"
            tally.errors[key] += 1
            tally.error_examples.setdefault(key, f"{url} -> {detail[:200]}")


async def run_load(
    base: str,
    mix: list[tuple[str, int, Any]],
    clients: int,
    duration: float,
    timeout: float,
    seed: int,
    warmup: bool = True,
) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as http:
        if warmup:  # once per kind, not counted: the first dossier loads the knowledge base, pages compile templates
            rng = random.Random(seed)
            for _, _, make in mix:
                await (await http.get(make(rng))).aclose()
        until = time.monotonic() + duration
        t0 = time.perf_counter()
        await asyncio.gather(*(client(http, mix, random.Random(seed + i), until, tally) for i in range(clients)))
        elapsed = time.perf_counter() - t0
    return tally, elapsed


def summary(tally: Tally, elapsed: float, clients: int) -> dict[str, Any]:
    def figures(ms: list[float]) -> dict[str, float]:
        s = sorted(ms)
        return {
            "requests": len(s),
            "p50": percentile(s, 50),
            "p95": percentile(s, 95),
            "p99": percentile(s, 99),
            "max": s[-1] if s else 0.0,
            "mean": statistics.fmean(s) if s else 0.0,
        }

    total = figures(tally.all())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total["requests"],
        "requests_per_s": round(total["requests"] / elapsed, 1) if elapsed else 0.0,
        "errors": sum(tally.errors.values()),
        "latency_ms": {k: round(v, 1) for k, v in total.items() if k != "requests"},
        "by_endpoint": {g: figures(v) for g, v in sorted(tally.latencies.items())},
        "error_kinds": dict(tally.errors),
        "error_examples": tally.error_examples,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="the store to serve (only read): a file or a postgresql:// URL")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as an error")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-warmup", action="store_true", help="count the first request of each kind too")
    ap.add_argument("--url", help="load an already running server instead of starting one (e.g. http://host:8000)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if not is_postgres(args.db) and not Path(args.db).is_file():
        ap.error(f"no store at {args.db}")
    ids = sample_ids(args.db, 500, args.seed)
    mix = request_mix(ids)
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        port = free_port()
        proc = start_server(args.db, port, wait=120)
        base = f"http://127.0.0.1:{port}"
    try:
        print(f"{args.clients} clients for {args.duration:.0f} s against {base} ({args.db})", file=sys.stderr)
        tally, elapsed = asyncio.run(
            run_load(base, mix, args.clients, args.duration, args.timeout, args.seed, not args.no_warmup)
        )
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    s = summary(tally, elapsed, args.clients)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=1))
    else:
        lat = s["latency_ms"]
        print(f"requests {s['requests']} in {s['seconds']} s ({s['requests_per_s']}/s), errors {s['errors']}")
        print(f"latency ms: p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}  mean {lat['mean']}")
        print(f"{'requests':>9} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  endpoint (ms)")
        for group, f in s["by_endpoint"].items():
            print(f"{f['requests']:>9} {f['p50']:8.1f} {f['p95']:8.1f} {f['p99']:8.1f} {f['max']:8.1f}  {group}")
        for kind, n in s["error_kinds"].items():
            print(f"error {n}x {kind}  e.g. {s['error_examples'][kind]}")
    sys.exit(1 if s["errors"] else 0)


if __name__ == "__main__":
    main()
