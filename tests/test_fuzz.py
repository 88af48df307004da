"""Fuzzing: random Arabic, mixed and hostile text never crashes the analysis, and every span it reports is exact.

Offsets are Rasd's promise (every fact points at the characters it came from), so each span is checked the
strict way: inside the text, and `text[start:end]` equal to the text reported with it. Readers get random bytes
in every format and must answer with Documents or IngestFailures, never an exception. Normalisation's
idempotence is property-tested in test_normalize.py and not repeated here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd.document import DocMeta, Document, Span
from rasd.events import EventExtractor
from rasd.ingest import IngestFailure, find_boilerplate, iter_documents
from rasd.kb.model import KnowledgeBase
from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig
from rasd.quotes import QuoteFinder, quoted_spans
from rasd.record import to_record
from rasd.time import find_dates
from rasd.time.reference import find_dates_undated
from strategies import mixed_text, news_text

# Modest by default, to keep the suite fast; RASD_FUZZ_EXAMPLES=5000 runs a deeper search (used before releases).
_N = int(os.environ.get("RASD_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=_N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_FEW = settings(max_examples=max(_N * 3 // 5, 1), deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Everything the quote finder and the event extractor need, and nothing after them.
UP_TO_EVENTS = tuple(n for n in DEFAULT_COMPONENTS if n not in ("quotes", "events"))

published = st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)


def in_text(text: str, start: int, end: int, said: str | None = None) -> None:
    """A reported span is inside the text and, when the text of it is reported too, is exactly that text."""
    assert 0 <= start <= end <= len(text), (start, end, len(text))
    if said is not None:
        assert text[start:end] == said, (start, end, text[start:end], said)


def check_spans(text: str, spans: list[Span]) -> None:
    for s in spans:
        in_text(text, s.start, s.end)


def check_record(rec: dict[str, Any]) -> None:
    """Every offset of a record: mentions, quotes, sources, events' evidence and trigger, excluded ranges."""
    text = rec["text"]
    for x in rec["excluded"]:
        in_text(text, x["start"], x["end"])
    for a in rec["actors"]:
        for m in a["mentions"]:
            in_text(text, m["start"], m["end"], m["text"])
    for q in rec["quotes"]:
        in_text(text, q["start"], q["end"], q["text"])
    for s in rec["sources"]:
        if s.get("start") is not None:
            in_text(text, s["start"], s["end"], s["text"])
    for e in rec["events"]:
        ev, tr = e["evidence"], e["trigger"]
        in_text(text, ev["start"], ev["end"], ev["text"])
        in_text(text, tr["start"], tr["end"], tr["text"])
    ids = {a["id"] for a in rec["actors"]}
    assert {q["speaker"] for q in rec["quotes"]} - {None} <= ids
    for e in rec["events"]:
        assert set(e["actors_a"]) | set(e["actors_b"]) | set(e["reported_by"]) <= ids


def make_doc(text: str, published: str | None = None) -> Document:
    """A document as the readers build it (boilerplate found and excluded), with no reader in between."""
    meta = DocMeta(id="fuzz", published=published, published_basis="metadata" if published else None)
    return Document(text, meta, excluded=find_boilerplate(text))


@pytest.fixture(scope="module")
def pipeline(kb: KnowledgeBase) -> Pipeline:
    return Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))


@pytest.fixture(scope="module")
def analysis(kb: KnowledgeBase) -> Pipeline:
    """The pipeline up to (not including) quotes and events, to run those two on their own."""
    return Pipeline(UP_TO_EVENTS, PipelineConfig(kb=kb, ner="none"))


# ------------------------------------------------------------------------------------------------ analysis


@FUZZ
@given(text=mixed_text, published=published)
def test_pipeline_never_raises_and_every_offset_is_exact(pipeline: Pipeline, text: str, published: str | None) -> None:
    doc = pipeline.run(make_doc(text, published))
    for spans in doc.layers.values():
        check_spans(text, spans)
    for d in doc.values["dates"]:
        in_text(text, d.start, d.end, d.text)
    check_record(to_record(doc))


@FUZZ
@given(text=news_text, published=published)
def test_quote_finder_never_raises_and_quotes_are_exact(analysis: Pipeline, text: str, published: str | None) -> None:
    doc = analysis.run(make_doc(text, published))
    finder, atts = doc.values["attribution_finder"], doc.values["attributions"]
    for a in atts:
        in_text(text, a.cue.start, a.cue.end)
        if a.span is not None:
            in_text(text, a.span.start, a.span.end, a.text)
    kinds = {a.key: a.kind for a in doc.values["actors"]}
    quotes = QuoteFinder(doc.analysed, doc.values["tokens"], doc.layer("sentences"), atts, finder, kinds).find()
    for q in quotes:
        in_text(text, q.start, q.end)
        assert q.end - q.start >= 2 and not text[q.start].isspace() and not text[q.end - 1].isspace()
        if q.speaker_span is not None:
            in_text(text, q.speaker_span.start, q.speaker_span.end, q.speaker_text)
        if q.cue is not None:
            in_text(text, q.cue.start, q.cue.end)


@FUZZ
@given(text=st.text(max_size=300))
def test_quotation_marks_pair_up_within_any_text(text: str) -> None:
    for i, j in quoted_spans(text):
        assert 0 <= i < j < len(text)
        assert "\n" not in text[i:j]  # a quote never runs over a paragraph break


@FUZZ
@given(text=news_text, published=published)
def test_event_extractor_never_raises_and_evidence_is_exact(
    analysis: Pipeline, text: str, published: str | None
) -> None:
    doc = analysis.run(make_doc(text, published))
    kinds = {a.key: a.kind for a in doc.values["actors"]}
    ex = EventExtractor(
        doc.analysed, doc.values["tokens"], doc.layer("sentences"), doc.layer("mentions"), kinds,
        doc.values["dates"], doc.values["attributions"],
    )  # fmt: skip
    for e in ex.extract():
        in_text(text, e.evidence.start, e.evidence.end)
        in_text(text, e.trigger.start, e.trigger.end)
        assert e.status in ("occurred", "future", "negated", "failed", "hypothetical")
        assert set(e.actors_a) | set(e.actors_b) <= set(kinds)


# ------------------------------------------------------------------------------------------------ dates


def _valid_value(value: str | None) -> None:
    """A resolved value is an ISO date, month or year (weeks are their Monday)."""
    if value is None:
        return
    parts = value.split("-")
    assert 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts), value
    if len(parts) == 3:
        dt.date.fromisoformat(value)


@FUZZ
@given(text=news_text, reference=st.none() | st.dates())
def test_date_finder_with_any_reference_never_raises(text: str, reference: dt.date | None) -> None:
    """Any reference day, 0001-01-01 to 9999-12-31: "أمس" or "العام المقبل" must not step off the calendar."""
    for d in find_dates(text, reference):
        in_text(text, d.start, d.end, d.text)
        _valid_value(d.value)


@FUZZ
@given(text=news_text)
def test_date_finder_of_undated_articles_never_raises(text: str) -> None:
    found, year = find_dates_undated(text)
    for d in found:
        in_text(text, d.start, d.end, d.text)
        _valid_value(d.value)
    assert year is None or 1 <= year <= 9999


# ------------------------------------------------------------------------------------------------ readers

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60) | news_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
JSON_RECORDS = st.fixed_dictionaries(
    {},
    optional={k: JSON_VALUES for k in ("id", "title", "text", "published", "outlet", "url")}
    | {"text": news_text.map(str)},
)


def _line(value: Any, raw: bytes) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass") if raw == b"" else raw


JSONL_BYTES = st.lists(
    st.tuples(st.one_of(JSON_RECORDS, JSON_VALUES), st.one_of(st.just(b""), st.binary(max_size=80))),
    max_size=6,
).map(lambda rows: b"\n".join(_line(v, raw) for v, raw in rows))
HTML_BYTES = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.sampled_from(["<html><head><title>", "<p>", "<div><article><h1>", "<!--", "<meta charset="]),
              news_text, st.sampled_from(["</title></head><body><p>", "</p>", "", "<div"]), news_text)
    .map(lambda parts: "".join(parts).encode("utf-8")),
)  # fmt: skip
ANY_BYTES = st.one_of(st.binary(max_size=2000), news_text.map(lambda s: s.encode("utf-8", "surrogatepass")))


def _read_all(path: Path) -> list[Document | IngestFailure]:
    items = list(iter_documents([path]))
    for item in items:
        assert isinstance(item, Document | IngestFailure), item
        if isinstance(item, IngestFailure):
            assert item.reason and item.code and item.path == str(path)
        else:
            assert item.text.strip()
            item.text.encode("utf-8")  # storable: no lone surrogates
            item.id.encode("utf-8")
            for s in item.excluded:
                in_text(item.text, s.start, s.end)
    return items


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz_readers")


@FUZZ
@given(data=ANY_BYTES, name=st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.ndjson"]))
def test_readers_answer_random_bytes_with_documents_or_failures(fuzz_dir: Path, data: bytes, name: str) -> None:
    path = fuzz_dir / name
    path.write_bytes(data)
    _read_all(path)


@FUZZ
@given(data=JSONL_BYTES, name=st.sampled_from(["a.jsonl", "a.json"]))
def test_json_readers_answer_random_records(fuzz_dir: Path, data: bytes, name: str) -> None:
    path = fuzz_dir / name
    path.write_bytes(data)
    _read_all(path)


@FUZZ_FEW
@given(data=HTML_BYTES)
def test_html_reader_answers_random_pages(fuzz_dir: Path, data: bytes) -> None:
    path = fuzz_dir / "page.html"
    path.write_bytes(data)
    items = _read_all(path)
    assert len(items) == 1


@FUZZ
@given(data=st.one_of(JSONL_BYTES, ANY_BYTES), how=st.sampled_from(["gzip", "raw", "cut"]), cut=st.floats(0, 1))
def test_gzip_reader_answers_random_and_damaged_archives(fuzz_dir: Path, data: bytes, how: str, cut: float) -> None:
    packed = gzip.compress(data) if how != "raw" else data
    if how == "cut":
        packed = packed[: int(len(packed) * cut)]
    path = fuzz_dir / "a.jsonl.gz"
    path.write_bytes(packed)
    _read_all(path)
