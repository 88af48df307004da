"""The `rasd` command end to end, on the bundled sample corpus and on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasd.cli import SAMPLES, app

runner = CliRunner()
RECORD_KEYS = {"doc_id", "title", "outlet", "url", "published", "text", "actors", "events", "quotes", "sources"}


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("samples")
    for p in SAMPLES.iterdir():
        if p.suffix in (".txt", ".html", ".jsonl"):
            shutil.copy(p, d / p.name)
    return d


@pytest.fixture(scope="module")
def records(sample_dir: Path) -> list[dict]:
    res = runner.invoke(app, ["extract", str(sample_dir)])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]


def test_extract_prints_one_record_per_distinct_article(records: list[dict]) -> None:
    assert len(records) == 10  # 11 articles, one of which republishes another
    for r in records:
        assert set(r) >= RECORD_KEYS


def test_every_offset_points_at_its_text(records: list[dict]) -> None:
    for r in records:
        text = r["text"]
        for a in r["actors"]:
            for m in a["mentions"]:
                assert text[m["start"] : m["end"]] == m["text"]
        for q in r["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
        for s in r["sources"]:
            assert text[s["start"] : s["end"]] == s["text"]
        ids = {a["id"] for a in r["actors"]}
        assert {q["speaker"] for q in r["quotes"]} - {None} <= ids


def test_publication_dates_and_boilerplate_match_the_expectations(records: list[dict]) -> None:
    import yaml

    expected = yaml.safe_load((Path(__file__).parent / "data" / "sample_expectations.yaml").read_text("utf-8"))
    by_id = {r["doc_id"]: r for r in records}
    for doc_id, exp in expected.items():
        if doc_id not in by_id:
            assert exp.get("near_duplicate_of") or any(
                e.get("near_duplicate_of") == doc_id for e in expected.values()
            ), f"{doc_id} missing"
            continue
        r = by_id[doc_id]
        want = exp["published"]
        assert r["published"] == (str(want) if want else None), doc_id
        excluded = {r["text"][x["start"] : x["end"]] for x in r["excluded"]}
        for line in exp.get("boilerplate") or []:
            if any(line in x for x in excluded):
                continue
            # HTML boilerplate (menus, share bars, footers) is left out by the main-text extractor instead.
            assert line not in r["text"] or r["text"].count(line) == 0, (doc_id, line)


def test_ingest_stats_search_show(tmp_path: Path, sample_dir: Path) -> None:
    db = str(tmp_path / "s.db")
    res = runner.invoke(app, ["ingest", str(sample_dir), "--db", db, "--quiet"])
    assert res.exit_code == 0, res.output
    assert "10 processed" in res.output and "1 duplicates" in res.output
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    for key in ("documents", "duplicates", "failed", "actors", "events", "quotes"):
        assert key in stats
    assert (stats["documents"], stats["duplicates"], stats["failed"]) == (10, 1, 0)
    assert stats["quotes"] > 10 and stats["actors"] > 10
    again = runner.invoke(app, ["ingest", str(sample_dir), "--db", db, "--quiet"])
    assert "0 processed" in again.output and "11 already stored" in again.output
    found = json.loads(runner.invoke(app, ["search", "اسطنبول", "--db", db, "--json"]).stdout)
    assert found["total"] >= 1 and found["results"][0]["doc_id"] == "black_sea_grain_deal_2022"
    bad = runner.invoke(app, ["search", "-", "--db", db])
    assert bad.exit_code == 2 and "error" in bad.output
    shown = runner.invoke(app, ["show", "black_sea_grain_deal_2022", "--db", db])
    assert shown.exit_code == 0 and "Quotes" in shown.output
    assert runner.invoke(app, ["show", "nope", "--db", db]).exit_code == 1


def test_bad_files_are_reported_by_name_and_the_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "خبر\n\nقال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في العاصمة.", "utf-8"
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "x", "text": "نص عربي قصير لكنه يكفي لأن يكون خبرا كاملا هنا"}\n{bad\n', "utf-8"
    )
    db = str(tmp_path / "b.db")
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--quiet"])
    assert res.exit_code == 0
    assert "empty.txt" in res.output and "feed.jsonl:2" in res.output
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert (stats["documents"], stats["failed"]) == (2, 2)


def test_extract_reads_stdin() -> None:
    res = runner.invoke(app, ["extract", "-"], input="عنوان\n\nوقال المتحدث: «سنواصل العمل مع شركائنا في المنطقة»")
    assert res.exit_code == 0
    [rec] = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert rec["quotes"][0]["text"] == "سنواصل العمل مع شركائنا في المنطقة"


def test_demo_builds_the_sample_store(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    res = runner.invoke(app, ["demo", "--db", db])
    assert res.exit_code == 0, res.output
    assert "10 articles analysed, 1 duplicates linked, 0 failed" in res.output


def test_quotes_and_speakers_of_the_sample_corpus_match_the_expectations(records: list[dict]) -> None:
    """The bundled corpus has gold quotes (tests/data/sample_expectations.yaml): a regression gate."""
    import yaml

    def overlap(a: str, b: str) -> float:
        wa, wb = a.split(), b.split()
        common = sum(min(wa.count(w), wb.count(w)) for w in set(wa))
        return 2 * common / (len(wa) + len(wb)) if common else 0.0

    expected = yaml.safe_load((Path(__file__).parent / "data" / "sample_expectations.yaml").read_text("utf-8"))
    by_id = {r["doc_id"]: r for r in records}
    gold = found = right = 0
    for doc_id, exp in expected.items():
        rec = by_id.get(doc_id)
        if rec is None:
            continue
        keys = {a["id"]: a["kb_id"] or a["local_key"] for a in rec["actors"]}
        for q in exp["quotes"]:
            gold += 1
            best = max(rec["quotes"], key=lambda s, q=q: overlap(s["text"], q["text"]), default=None)
            if best is not None and overlap(best["text"], q["text"]) >= 0.5:
                found += 1
                right += keys.get(best["speaker"]) == q["speaker"]
    assert found / gold >= 0.9, (found, gold)
    assert right / found >= 0.75, (right, found)
