"""Accuracy gates on ../shared (skipped when it is absent): the dev set and the real HTML pages.

Floors sit a little below the current figures (see the README), so a change that lowers accuracy fails CI.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from rasd import api

FLOORS = {"actors": 0.90, "quotes": 0.93, "attributed_quotes": 0.85, "events": 0.50, "wikidata": 0.9}


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_records", shared / "eval" / "score_records.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def dev_records(shared: Path) -> list[dict]:
    seeds = sorted((shared / "samples" / "seeds").glob("*.txt"))
    return [r.record for r in api.extract(seeds) if r.record]


def test_five_records_with_stated_publication_dates(dev_records: list[dict]) -> None:
    assert len(dev_records) == 5
    published = {r["doc_id"][:3]: r["published"] for r in dev_records}
    assert published["002"] == "2022-11-18"
    assert published["003"] == "2023-07-07"


def test_dev_set_scores_stay_above_their_floors(shared: Path, dev_records: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "dev.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dev_records), encoding="utf-8")
    res = _scorer(shared).score(shared / "eval" / "gold_dev", out)
    assert res["actors"]["f1"] >= FLOORS["actors"], res["actors"]
    assert res["quotes"]["f1"] >= FLOORS["quotes"], res["quotes"]
    assert res["quotes"]["attributed_f1"] >= FLOORS["attributed_quotes"], res["quotes"]
    assert res["published_acc"] == 1.0
    assert res["events"]["f1"] >= FLOORS["events"], res["events"]
    assert res["actors"]["wikidata_acc"] >= FLOORS["wikidata"], res["actors"]


def test_html_pages_get_their_gold_publication_dates(shared: Path) -> None:
    html = shared / "data" / "html"
    gold = {
        Path(m["file"]).stem: m.get("gold_publication_date") for m in json.loads((html / "MANIFEST.json").read_text())
    }
    got = {r.record["doc_id"]: r.record["published"] for r in api.extract(sorted(html.glob("*.html"))) if r.record}
    assert set(got) == set(gold)
    for doc_id, date in gold.items():
        if date:
            assert got[doc_id] == date, doc_id
