"""Crash safety and concurrency: `kill -9` in the middle of an ingest, two ingests at once, serving while ingesting.

A real `rasd ingest` runs in a subprocess over a few hundred generated articles. Killed with SIGKILL (no
cleanup, no atexit), it must leave a store that passes SQLite's integrity check, holds no half-stored article,
and that a rerun completes into exactly the store a clean one-shot ingest builds. A second ingest into the
same store is refused at once with a message naming the first; the web API keeps answering while one writes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rasd import api
from rasd.cli import app
from rasd.ingest.dedup import BANDS
from rasd.kb.model import KnowledgeBase
from rasd.pipeline import PipelineConfig
from rasd.store import IngestLock, Store, StoreLocked
from rasd.store import lock as lock_module
from rasd.web import create_app

runner = CliRunner()
N_ARTICLES = 300

ACTORS = [
    "وزير الخارجية",
    "رئيس الوزراء",
    "المتحدث باسم الحكومة",
    "رئيس الوفد البرلماني",
    "سفير الاتحاد الأوروبي",
    "قائد الجيش",
    "محافظ البنك المركزي",
    "وزيرة الصحة",
    "رئيس البرلمان",
    "الأمين العام للجامعة العربية",
]
PLACES = ["القاهرة", "عمّان", "الرباط", "تونس", "الدوحة", "مسقط", "بغداد", "بيروت", "الجزائر", "الخرطوم", "نواكشوط"]
TOPICS = [
    "أزمة المياه",
    "أسعار القمح",
    "تبادل الأسرى",
    "إعادة الإعمار",
    "أمن الحدود",
    "الطاقة المتجددة",
    "ملف اللاجئين",
    "التجارة البينية",
    "الانتخابات المحلية",
    "مكافحة الفساد",
    "النقل البحري",
    "الديون الخارجية",
]
DAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
SENTENCES = [
    "التقى {a} في {p} يوم {d} وفدا من {q} لبحث {t}.",
    "وقال {a} إن «{t} يحتاج إلى حلول عاجلة قبل نهاية العام».",
    "وأضاف أن الجانبين اتفقا على عقد جولة جديدة من المحادثات في {m} المقبل.",
    "من جهته، أكد {b} أن بلاده لن تقبل أي شروط مسبقة بشأن {u}.",
    "وذكرت مصادر مطلعة أن الاجتماع استمر {h} ساعات وتناول ملفات عدة بينها {u}.",
    "ويأتي اللقاء بعد أسابيع من التوتر بين {p} و{q} حول {t}.",
    "ودعا {b} المجتمع الدولي إلى دعم جهود {p} في مجال {u}.",
    "ورفض {a} التعليق على تقارير تحدثت عن خلافات داخل الحكومة بشأن {t}.",
]  # fmt: skip


def article(i: int) -> str:
    """A short made-up news item, different for every i (and the same for the same i)."""
    r = random.Random(i)
    a, b = r.sample(ACTORS, 2)
    p, q = r.sample(PLACES, 2)
    t, u = r.sample(TOPICS, 2)
    slots = {"a": a, "b": b, "p": p, "q": q, "t": t, "u": u, "d": r.choice(DAYS), "m": r.choice(MONTHS)}
    body = [s.format(h=r.randint(2, 9), **slots) for s in r.sample(SENTENCES, r.randint(4, 6))]
    body.append(f"وشارك في الاجتماع {i + 11} مسؤولا من الجانبين.")
    dateline = f"{p} - {r.randint(1, 28)} {r.choice(MONTHS)} {r.choice([2023, 2024, 2025])}"
    return f"{a} يبحث {t} في {p}\n\n{dateline}\n" + " ".join(body) + "\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("crash_corpus")
    for i in range(N_ARTICLES):
        (src / f"art{i:03d}.txt").write_text(article(i), encoding="utf-8")
    return src


def snapshot(db: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The store's counts and every stored record by document id (what must not depend on how it was built)."""
    with Store(db) as store:
        stats = {k: v for k, v in store.stats().items() if k != "schema_version"}
        records = {r["doc_id"]: r for r in store.iter_records()}
        dups = {r[0]: r[1] for r in store.conn.execute("SELECT id, duplicate_of FROM documents WHERE record IS NULL")}
    return stats, {"records": records, "duplicates": dups}


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """A clean one-shot ingest of the corpus, to compare with."""
    db = tmp_path_factory.mktemp("crash_reference") / "ref.db"
    with Store(db) as store:
        summary = api.ingest([corpus], store, config=PipelineConfig(ner="none"))
    assert summary.seen == N_ARTICLES and not summary.failed
    return snapshot(db)


def start_ingest(corpus: Path, db: Path, batch_size: int = 5) -> subprocess.Popen[bytes]:
    """`rasd ingest` in its own process, as a user runs it."""
    cmd = [sys.executable, "-m", "rasd.cli", "ingest", str(corpus), "--db", str(db), "--ner", "none", "--quiet"]
    cmd += ["--batch-size", str(batch_size)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def documents_in(db: Path) -> int:
    """How many documents a running ingest has committed so far (0 before the schema exists)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def wait_for_documents(proc: subprocess.Popen[bytes], db: Path, at_least: int = 1, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = documents_in(db)
        if n >= at_least:
            return n
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"ingest ended before storing {at_least} documents: {proc.returncode} {err.decode()[-2000:]}")
        time.sleep(0.01)
    proc.kill()
    pytest.fail("ingest stored nothing in time")


def assert_no_partial_article(db: Path) -> None:
    """Every analysed document has its record, its facts as the record lists them, its search entry, its
    MinHash bands and its merged events; every duplicate links to a stored original."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT rowid, id, record, duplicate_of FROM documents").fetchall()
    stored_ids = {r[1] for r in rows}
    for rowid, doc_id, record, duplicate_of in rows:
        if duplicate_of is not None:
            assert record is None and duplicate_of in stored_ids, doc_id
            continue
        assert record is not None, doc_id
        rec = json.loads(record)

        def count(table: str, rid: int = rowid) -> int:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table} WHERE doc_rowid = ?", (rid,)).fetchone()[0])

        assert count("mentions") == sum(len(a["mentions"]) for a in rec["actors"]), doc_id
        assert count("quotes") == len(rec["quotes"]), doc_id
        assert count("sources") == len(rec["sources"]), doc_id
        assert count("events") == count("event_mentions") == len(rec["events"]), doc_id
        assert count("minhash_bands") == BANDS, doc_id
        fts = conn.execute("SELECT COUNT(*) FROM documents_fts WHERE rowid = ?", (rowid,)).fetchone()[0]
        assert fts == 1, doc_id
    conn.close()


# ------------------------------------------------------------------------------------------------ kill -9


def test_kill_9_mid_ingest_leaves_a_sound_store_that_a_rerun_completes(
    corpus: Path, reference: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    proc = start_ingest(corpus, db)
    wait_for_documents(proc, db)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL  # it was still running: killed, not finished
    assert (db.parent / "killed.db.lock").exists()  # left behind, naming a pid that is gone

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = documents_in(db)
    assert 0 < stored < N_ARTICLES
    assert_no_partial_article(db)

    res = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--ner", "none", "--quiet"])
    assert res.exit_code == 0, res.output
    assert f"an earlier ingest (pid {proc.pid}) ended without releasing the store" in res.output
    assert f"{stored} already stored" in res.output
    assert not (db.parent / "killed.db.lock").exists()  # released by the run that completed

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in conn.execute("SELECT id FROM documents")]
    assert sorted(ids) == sorted(f"art{i:03d}" for i in range(N_ARTICLES))  # each article exactly once
    assert_no_partial_article(db)
    assert snapshot(db) == reference  # the same store as a clean one-shot ingest


# ------------------------------------------------------------------------------------------------ two ingests


def test_a_second_ingest_is_refused_while_one_runs(
    corpus: Path, reference: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "busy.db"
    first = start_ingest(corpus, db, batch_size=1)  # slower: the second has time to try while it runs
    try:
        wait_for_documents(first, db)
        second = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--ner", "none", "--quiet"])
        still_running = first.poll() is None
    finally:
        _, err = first.communicate(timeout=120)
    assert still_running, "the first ingest ended before the second started: the test proves nothing"
    assert second.exit_code == 2, second.output
    assert f"is being written by another ingest (pid {first.pid}" in second.output
    assert "processed" not in second.output  # it did nothing
    assert first.returncode == 0, err.decode()[-2000:]
    assert snapshot(db) == reference  # the first completed undisturbed


def test_ingest_lock_in_process(tmp_path: Path, kb: KnowledgeBase) -> None:
    config = PipelineConfig(kb=kb, ner="none")
    db = tmp_path / "s.db"
    (tmp_path / "a.txt").write_text("خبر\n\nقال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل.", "utf-8")
    with Store(db) as store, IngestLock(db) as held:
        assert json.loads(held.path.read_text())["pid"] == os.getpid()
        with pytest.raises(StoreLocked, match=f"another ingest \\(pid {os.getpid()}"):
            api.ingest([tmp_path / "a.txt"], store, config=config)
        assert store.stats()["documents"] == 0
    assert not held.path.exists()
    with Store(db) as store:
        assert api.ingest([tmp_path / "a.txt"], store, config=config).processed == 1  # free again
    with Store(":memory:") as memory:  # nothing to lock: no other process can reach it
        assert api.ingest([tmp_path / "a.txt"], memory, config=config).processed == 1


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(params=["flock", "file"])
def lock_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of locking: flock, and the lock file alone (where flock is missing: Windows, some NFS)."""
    if request.param == "file":
        monkeypatch.setattr(lock_module, "fcntl", None)
    return str(request.param)


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path, lock_kind: str) -> None:
    db = tmp_path / "s.db"
    gone = dead_pid()
    assert not lock_module.pid_alive(gone)
    (tmp_path / "s.db.lock").write_text(json.dumps({"pid": gone, "since": "2025-01-01T00:00:00+00:00"}))
    with IngestLock(db) as held:
        assert held.stale_pid == gone
        assert json.loads(held.path.read_text())["pid"] == os.getpid()
    assert not (tmp_path / "s.db.lock").exists()


def test_a_live_holder_is_never_taken_over(tmp_path: Path, lock_kind: str) -> None:
    db = tmp_path / "s.db"
    script = (
        "import sys\nimport rasd.store.lock as L\n"
        + ("L.fcntl = None\n" if lock_kind == "file" else "")
        + f"with L.IngestLock({str(db)!r}):\n    print('held', flush=True)\n    sys.stdin.read()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(StoreLocked) as refused:
            IngestLock(db).acquire()
        assert refused.value.holder["pid"] == holder.pid
        assert str(db) in str(refused.value) and "wait for it to finish" in str(refused.value)
    finally:
        holder.communicate(b"", timeout=30)
    with IngestLock(db):
        pass  # released when the holder ended


# ------------------------------------------------------------------------------------------------ serving


@pytest.fixture
def client_of() -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(db: Path) -> TestClient:
        c = TestClient(create_app(db))
        c.__enter__()
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def test_the_api_keeps_answering_while_an_ingest_writes(
    corpus: Path, reference: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path, client_of: Any
) -> None:
    db = tmp_path / "live.db"
    Store(db).close()  # `rasd serve` needs a store; the ingest fills it while we read
    client = client_of(db)
    proc = start_ingest(corpus, db, batch_size=1)  # a commit per article: as many writes as can be
    urls = ["/api/documents?limit=5", "/api/stats", "/api/search?q=المحادثات", "/api/events?limit=5", "/api/actors"]
    errors: list[str] = []
    totals: list[int] = []
    requests = 0
    try:
        while proc.poll() is None:
            for url in urls:
                r = client.get(url)
                requests += 1
                if r.status_code != 200:
                    errors.append(f"{url}: {r.status_code} {r.text[:200]}")
                elif url.startswith("/api/documents"):
                    totals.append(r.json()["total"])
    finally:
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert errors == []
    assert requests >= 50 and len(set(totals)) > 2, (requests, totals)  # it really read while the store grew
    assert totals == sorted(totals)  # each answer a consistent snapshot, never going back
    assert client.get("/api/documents").json()["total"] == reference[0]["documents"]
