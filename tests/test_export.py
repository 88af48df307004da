"""Exports: records, PLOVER and CSV parse and carry merged events with their mentions; GraphML is a valid network.

The store is built from the short reports of test_event_merge (one meeting told by three outlets, a planned
meeting, an accusation).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import new_postgres_db
from rasd import api
from rasd.cli import app
from rasd.export import CSV_COLUMNS, FORMATS, export
from rasd.store import Store
from test_event_merge import ARTICLES, build_store

G = "{http://graphml.graphdrawing.org/xmlns}"
runner = CliRunner()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory, kb) -> Iterator[str]:
    """The merge test articles in an SQLite store, then in PostgreSQL: every export test runs on both."""
    folder = tmp_path_factory.mktemp("export")
    if request.param == "sqlite":
        build_store(str(folder / "e.db"), folder, kb).close()
        yield str(folder / "e.db")
        return
    url, drop = new_postgres_db(request.getfixturevalue("postgres_server"))
    build_store(url, folder, kb).close()
    yield url
    drop()


@pytest.fixture
def store(db: str) -> Store:
    s = Store(db)
    yield s
    s.close()


def run(store: Store, fmt: str, **filters) -> str:
    buf = io.StringIO()
    export(store, fmt, buf, **filters)
    return buf.getvalue()


def test_records_are_the_stored_records_one_per_line(store: Store) -> None:
    lines = [json.loads(line) for line in run(store, "records").splitlines()]
    assert [r["doc_id"] for r in lines] == [a["id"] for a in ARTICLES]
    for r in lines:
        assert r["text"].endswith(next(a["text"] for a in ARTICLES if a["id"] == r["doc_id"]))
        for e in r["events"]:
            assert r["text"][e["evidence"]["start"] : e["evidence"]["end"]] == e["evidence"]["text"]
    assert [json.loads(x)["doc_id"] for x in run(store, "records", type="ACCUSE").splitlines()] == ["site_c"]
    assert len(run(store, "records", start="2024-03-07", end="2024-03-07").splitlines()) == 2
    assert [json.loads(x)["doc_id"] for x in run(store, "records", actor="Q30").splitlines()] == ["site_c"]


def test_plover_lines_use_the_specification_fields(store: Store) -> None:
    events = [json.loads(line) for line in run(store, "plover").splitlines()]
    assert [(e["event"], len(e["mentions"])) for e in events] == [(["CONSULT"], 3), (["ACCUSE"], 1), (["CONSULT"], 1)]
    meeting, accusation, planned = events
    assert meeting["id"].startswith("rasd-") and len({e["id"] for e in events}) == 3
    assert (meeting["date"], meeting["date_basis"], meeting["event_type"], meeting["mode"]) == (
        "2024-03-05", "stated", "CONSULT", ["talks"],  # two of the three reports speak of talks
    )  # fmt: skip
    assert (meeting["quad_code"], meeting["context"], meeting["status"]) == (1, [], "occurred")
    assert [a["kb_id"] for a in meeting["source"]] == ["antony_blinken"]
    assert meeting["recipient"][0]["actor_text"] == "سيرغي لافروف"
    assert [m["doc_id"] for m in meeting["mentions"]] == ["wire_a", "daily_b", "site_c"]
    assert [c["publication"] for c in meeting["cite_info"]] == ["وكالة الشرق", "صحيفة الغد", "موقع النهار"]
    assert meeting["event_text"] == [m["evidence"]["text"] for m in meeting["mentions"]]
    assert meeting["mentions"][1]["reported_by"][0]["identifier_text"] == "Reuters"
    assert [a["identifier_id"] for a in accusation["source"]] == ["Q159"]
    assert [a["identifier_id"] for a in accusation["recipient"]] == ["Q30"]
    assert (accusation["date"], accusation["date_basis"], accusation["quad_code"]) == ("2024-03-07", "published", 3)
    assert (planned["status"], planned["context"], planned["date"]) == ("future", ["future"], "2024-03-26")


def test_plover_offsets_point_into_the_stored_texts(store: Store) -> None:
    texts = {r["doc_id"]: r["text"] for r in store.iter_records()}
    for line in run(store, "plover").splitlines():
        for m in json.loads(line)["mentions"]:
            ev = m["evidence"]
            assert texts[m["doc_id"]][ev["start"] : ev["end"]] == ev["text"]


def test_csv_has_a_stable_header_and_one_row_per_merged_event(store: Store) -> None:
    text = run(store, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(text.splitlines()[0].split(",")) == CSV_COLUMNS
    assert [(r["event_type"], r["n_mentions"], r["status"]) for r in rows] == [
        ("CONSULT", "3", "occurred"), ("ACCUSE", "1", "occurred"), ("CONSULT", "1", "future"),
    ]  # fmt: skip
    meeting = rows[0]
    assert meeting["doc_ids"] == "wire_a;daily_b;site_c"
    assert meeting["outlets"] == "وكالة الشرق;صحيفة الغد;موقع النهار"
    assert meeting["source_names_ar"] == "أنتوني بلينكن" and meeting["recipient_ids"] == "sergey_lavrov"
    assert meeting["source_wikidata"] == ""  # the test KB gives Blinken no Wikidata id
    mentions = json.loads(run(store, "plover").splitlines()[0])["mentions"]
    spans = [f"{m['doc_id']}:{m['evidence']['start']}-{m['evidence']['end']}" for m in mentions]
    assert meeting["evidence_spans"].split(";") == spans
    texts = {r["doc_id"]: r["text"] for r in store.iter_records()}
    first = mentions[0]["evidence"]
    assert meeting["evidence"] == texts["wire_a"][first["start"] : first["end"]]
    assert rows[1]["source_wikidata"] == "Q159" and rows[1]["recipient_wikidata"] == "Q30"
    assert [r["id"] for r in rows] == [json.loads(x)["id"] for x in run(store, "plover").splitlines()]


def test_graphml_is_the_actor_network(store: Store) -> None:
    root = ET.fromstring(run(store, "graphml"))
    graph = root.find(f"{G}graph")
    assert graph is not None
    nodes = {n.get("id"): {d.get("key"): d.text for d in n} for n in graph.findall(f"{G}node")}
    assert set(nodes) == {"antony_blinken", "sergey_lavrov", "russia", "united_states"}
    assert nodes["sergey_lavrov"]["label_ar"] == "سيرغي لافروف"
    assert nodes["sergey_lavrov"]["label_en"] == "Sergey Lavrov"
    assert nodes["russia"]["wikidata"] == "Q159"
    edges = [({d.get("key"): d.text for d in e}, e.attrib) for e in graph.findall(f"{G}edge")]
    consult = next(d | a for d, a in edges if d["event_type"] == "CONSULT")
    assert (consult["source"], consult["target"], consult["symmetric"]) == ("antony_blinken", "sergey_lavrov", "true")
    assert (consult["weight"], consult["mentions"]) == ("2", "4")  # two meetings, four reports
    accuse = next(d | a for d, a in edges if d["event_type"] == "ACCUSE")
    assert (accuse["source"], accuse["target"], accuse["symmetric"]) == ("russia", "united_states", "false")
    keys = {k.get("id"): k.get("attr.type") for k in root.findall(f"{G}key")}
    assert keys["weight"] == "double" and keys["label_ar"] == "string"


def test_filters_apply_to_every_event_format(store: Store) -> None:
    assert len(run(store, "plover", type="CONSULT", status="future").splitlines()) == 1
    assert len(list(csv.DictReader(io.StringIO(run(store, "csv", actor="russia"))))) == 1
    graph = ET.fromstring(run(store, "graphml", type="ACCUSE"))
    assert {n.get("id") for n in graph.iter(f"{G}node")} == {"russia", "united_states"}


def test_bad_format_or_filter_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(store, "parquet", io.StringIO())
    with pytest.raises(ValueError, match="unknown export filter"):
        export(store, "csv", io.StringIO(), country="RUS")
    with pytest.raises(ValueError, match="ISO date"):
        export(store, "plover", io.StringIO(), start="yesterday")
    assert set(FORMATS) == set(api.EXPORT_FORMATS) == {"records", "plover", "csv", "graphml"}


# -- the command --------------------------------------------------------------------------------------------------
def test_cli_export_to_stdout_and_to_a_file(db: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "plover"])
    assert res.exit_code == 0, res.output
    assert [len(json.loads(x)["mentions"]) for x in res.stdout.splitlines()] == [3, 1, 1]
    out = tmp_path / "events.csv"
    res = runner.invoke(app, ["export", "--db", str(db), "-f", "csv", "--out", str(out), "--type", "consult"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["n_mentions"] for r in rows] == ["3", "1"]
    res = runner.invoke(app, ["export", "--db", str(db), "-f", "graphml", "--from", "2024-03-10"])
    assert res.exit_code == 0 and ET.fromstring(res.stdout).tag == f"{G}graphml"
    res = runner.invoke(app, ["export", "--db", str(db)])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == len(ARTICLES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown format"),
        (["--from", "last week"], "ISO date"),
    ],
)
def test_cli_export_errors(db: str, args: list[str], message: str) -> None:
    res = runner.invoke(app, ["export", "--db", str(db), *args])
    assert res.exit_code == 2 and message in res.output


def test_cli_export_needs_an_existing_store(tmp_path: Path) -> None:
    res = runner.invoke(app, ["export", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 2 and "no store" in res.output
    assert not (tmp_path / "missing.db").exists()
