"""A PostgreSQL store holds exactly what an SQLite store holds for the same input, and behaves as one for a team:
one ingest at a time (named when refused), concurrent writers that never race, read-only server connections,
no password in any message. The shared store, merge, export and web tests also run on PostgreSQL (db_url)."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasd import api
from rasd.cli import app
from rasd.ingest.dedup import fingerprint
from rasd.pipeline import PipelineConfig
from rasd.store import Store, StoreError, StoreLocked
from rasd.store.postgres import PostgresIngestLock, redact, translate
from stores import dump_store, mixed_corpus

psycopg = pytest.importorskip("psycopg")
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mixed_corpus(tmp_path_factory.mktemp("corpus"))


def test_placeholders_are_translated_outside_quotes_only() -> None:
    assert translate("SELECT ? FROM t WHERE a LIKE '%?%' AND \"b?\" = ?") == (
        "SELECT %s FROM t WHERE a LIKE '%%?%%' AND \"b?\" = %s"
    )


def test_passwords_never_reach_messages() -> None:
    assert redact("postgresql://rasd:s3cret@db.example:5432/news") == "postgresql://rasd:***@db.example:5432/news"
    assert redact("postgresql:///news?host=/run/pg") == "postgresql:///news?host=/run/pg"
    with pytest.raises(StoreError) as e:
        Store("postgresql://rasd:s3cret@127.0.0.1:1/news?connect_timeout=3")
    assert "s3cret" not in str(e.value) and "127.0.0.1" in str(e.value)


def test_same_input_gives_the_same_store_as_sqlite(corpus: Path, pg_url: str, tmp_path: Path) -> None:
    """Every table, row for row (rowids, merged events, search bands), with two workers writing to PostgreSQL."""
    lite = Store(tmp_path / "lite.db")
    want = api.ingest([corpus], lite, config=PipelineConfig())
    lite.close()
    pg = Store(pg_url)
    got = api.ingest([corpus], pg, config=PipelineConfig(), workers=2)
    again = api.ingest([corpus], pg, config=PipelineConfig())  # a re-run adds nothing
    assert (got.processed, got.duplicates, len(got.failed)) == (want.processed, want.duplicates, len(want.failed))
    assert got.processed > 5 and got.duplicates >= 1 and again.processed == again.duplicates == 0
    assert pg.stats() == Store(tmp_path / "lite.db").stats()
    pg.close()
    assert dump_store(pg_url) == dump_store(tmp_path / "lite.db")


def test_exported_records_are_the_records_of_extract(corpus: Path, pg_url: str) -> None:
    extracted = [r.record for r in api.extract([corpus], config=PipelineConfig()) if r.record is not None]
    with Store(pg_url) as store:
        api.ingest([corpus], store, config=PipelineConfig())
        assert list(store.iter_records()) == extracted


def test_cli_on_a_postgresql_url(corpus: Path, pg_url: str) -> None:
    res = runner.invoke(app, ["ingest", str(corpus), "--db", pg_url, "-q", "--ner", "none"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["stats", "--db", pg_url])
    assert res.exit_code == 0 and "schema_version" in res.output
    res = runner.invoke(app, ["search", "روسيا", "--db", pg_url])
    assert res.exit_code == 0 and "documents match" in res.output
    res = runner.invoke(app, ["export", "--db", pg_url, "--format", "plover"])
    assert res.exit_code == 0 and all(json.loads(line)["mentions"] for line in res.stdout.splitlines())


def test_search_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    items = [
        {"id": "a", "title": "مباحثات في جنيف", "text": "قال مسؤول إن الوفد سيتوجه لروسيا لبحث الأسلحة النووية."},
        {"id": "b", "title": "قمة اقتصادية", "text": "افتتح الوزير قمةً تُعنى بالطاقة المتجددة في جنيف."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    with Store(pg_url) as store:
        api.ingest([path], store, config=PipelineConfig(ner="none"))
        assert [h.doc_id for h in store.search("روسيا")[0]] == ["a"]  # clitic-aware: the text has لروسيا
        assert store.search("جنيف")[1] == 2
        assert store.search("جنيف -روسيا")[0][0].doc_id == "b"
        assert store.search('"الأسلحة النووية" OR قمة')[1] == 2
        assert store.search('"النووية الأسلحة"')[1] == 0  # a phrase keeps its order
        hits, _ = store.search("جنيف", limit=1, offset=1)
        assert len(hits) == 1


def test_one_ingest_at_a_time_and_the_holder_is_named(pg_url: str) -> None:
    with Store(pg_url) as store, store.ingest_lock() as held:
        assert isinstance(held, PostgresIngestLock)
        with pytest.raises(StoreLocked) as e:
            PostgresIngestLock(pg_url).acquire()
        assert e.value.holder["pid"] and "wait for it to finish" in str(e.value)
    with PostgresIngestLock(pg_url):  # released with the holder
        pass


def _hold_lock_forever(url: str, ready: multiprocessing.synchronize.Event) -> None:  # pragma: no cover - child
    lock = PostgresIngestLock(url).acquire()
    ready.set()
    threading.Event().wait()
    lock.release()


def test_the_server_releases_the_lock_of_a_killed_ingest(pg_url: str) -> None:
    Store(pg_url).close()
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    child = ctx.Process(target=_hold_lock_forever, args=(pg_url, ready))
    child.start()
    try:
        assert ready.wait(60)
        with pytest.raises(StoreLocked):
            PostgresIngestLock(pg_url).acquire()
    finally:
        child.kill()
        child.join()
    for _ in range(50):  # the server notices the closed connection at once, or nearly
        try:
            PostgresIngestLock(pg_url).acquire().release()
            break
        except StoreLocked:
            threading.Event().wait(0.1)
    else:
        pytest.fail("the lock of a killed process was never released")


def test_concurrent_writers_merge_as_one_writer_would(pg_url: str, kb, tmp_path: Path) -> None:
    """Two connections storing reports of the same meetings at once: the write lock keeps merging consistent."""
    from test_event_merge import ARTICLES

    items = [{**a, "id": f"{a['id']}-{k}"} for k in range(3) for a in ARTICLES]
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    config = PipelineConfig(kb=kb, ner="none")
    records = [r.record for r in api.extract([path], config=config, dedup=False) if r.record is not None]
    assert len(records) == len(items)
    Store(pg_url).close()
    errors: list[BaseException] = []

    def write(part: list[dict]) -> None:
        try:
            with Store(pg_url) as s:
                for rec in part:
                    with s.batch():
                        s.add_document(rec, source_path=None, content_hash=rec["doc_id"], fp=fingerprint(rec["doc_id"]))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(records[k::2],)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store(pg_url) as store:
        merged = sorted(sorted(m.doc_id for m in ev.mentions) for ev in store.merged_events())
        assert sum(len(g) for g in merged) == store.stats()["events"]
        store.rebuild_merged_events()  # what one writer storing them in the same order gives
        assert sorted(sorted(m.doc_id for m in ev.mentions) for ev in store.merged_events()) == merged


def test_server_connections_are_read_only(pg_url: str) -> None:
    with Store(pg_url) as store:
        store.set_read_only()
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.add_failure("x", None, "io", "no")
        assert store.stats()["documents"] == 0


def test_the_cli_and_the_server_never_print_the_password(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    import uvicorn

    with_password = pg_url.replace(":///", f"://{getpass.getuser()}:s3cret@/", 1)  # the server ignores it here
    Store(with_password).close()
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    for args in (["serve", "--port", "8124"], ["stats"], ["show", "nothing-here"]):
        res = runner.invoke(app, [*args, "--db", with_password])
        assert "***" in res.output and "s3cret" not in res.output, args
