"""Analysing documents in batches gives each one the record it gets alone; a failure costs one document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from rasd import api, parallel
from rasd.document import Document
from rasd.ingest import IngestFailure, iter_documents
from rasd.pipeline import DEFAULT_COMPONENTS, REGISTRY, Batched, Pipeline, PipelineConfig, component
from rasd.record import to_record
from stores import SAMPLES, mixed_corpus


def _docs() -> list[Document]:
    return [d for d in iter_documents([SAMPLES]) if isinstance(d, Document)]


def _records(docs: Sequence[Document]) -> list[str]:
    return [json.dumps(to_record(d), ensure_ascii=False, sort_keys=True) for d in docs]


def test_a_batch_gives_each_document_its_record_alone() -> None:
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig())
    alone = _docs()
    for d in alone:
        pipeline.run(d)
    together = _docs()
    assert len(together) > 3
    assert pipeline.run_batch(together) == [None] * len(together)
    assert _records(together) == _records(alone)


@pytest.fixture
def exploding() -> object:
    """A component that fails on documents whose text mentions "انفجار", in its batch form too."""

    def check(doc: Document) -> None:
        if "انفجار" in doc.text:
            raise RuntimeError("boom")
        doc.values["checked"] = True

    def check_all(docs: Sequence[Document]) -> None:
        for doc in docs:
            check(doc)

    @component("explode", requires=("tokens",))
    def make(config: PipelineConfig) -> Batched:
        return Batched(check, check_all)

    yield make
    del REGISTRY["explode"]


def test_a_failing_document_is_set_aside_and_the_rest_of_the_batch_goes_on(exploding: object) -> None:
    names = [*DEFAULT_COMPONENTS]
    names.insert(names.index("ner"), "explode")
    pipeline = Pipeline(names, PipelineConfig())
    docs = _docs()
    bad = Document("وقع انفجار في المدينة صباح اليوم وقال مسؤول إن التحقيق جار.", docs[0].meta)
    batch = [docs[0], bad, *docs[1:]]
    errors = pipeline.run_batch(batch)
    assert isinstance(errors[1], RuntimeError)
    assert [e for i, e in enumerate(errors) if i != 1] == [None] * len(docs)
    assert "entities" not in bad.values  # it stopped at the failing component
    alone = _docs()
    Pipeline(DEFAULT_COMPONENTS, PipelineConfig()).run_batch(alone)
    assert _records([d for i, d in enumerate(batch) if i != 1]) == _records(alone)
    results = api.process_batch([bad, *_docs()], pipeline)
    assert isinstance(results[0], IngestFailure) and "RuntimeError: boom" in results[0].reason
    assert all(isinstance(r, dict) for r in results[1:])


def test_extract_does_not_analyse_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = mixed_corpus(tmp_path)  # the samples, an exact copy of one of them and a broken file
    analysed: list[str] = []
    real = parallel._analyse

    def spy(chunk, pipeline):  # type: ignore[no-untyped-def]
        analysed.extend(d.id for d in chunk if d is not None)
        return real(chunk, pipeline)

    monkeypatch.setattr(parallel, "_analyse", spy)
    results = list(api.extract([corpus], config=PipelineConfig()))
    dups = [r.doc_id for r in results if r.duplicate is not None]
    assert dups and not set(dups) & set(analysed)
    assert sorted(analysed) == sorted(r.doc_id for r in results if r.record is not None)
