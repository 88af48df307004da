"""Several workers give exactly the output of one: same records, same order, same store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd import api
from rasd.pipeline import PipelineConfig
from rasd.store import Store
from stores import dump_store, mixed_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mixed_corpus(tmp_path_factory.mktemp("corpus"))


def _extract(corpus: Path, workers: int) -> list[str]:
    out = []
    for res in api.extract([corpus], config=PipelineConfig(), workers=workers):
        if res.record is not None:
            out.append(json.dumps(res.record, ensure_ascii=False, sort_keys=True))
        elif res.duplicate is not None:
            out.append(f"dup {res.doc_id} {res.duplicate.doc_id} {res.duplicate.similarity:.6f}")
        else:
            assert res.failure is not None
            out.append(f"failed {res.failure.path} {res.failure.code}")
    return out


def test_extract_is_identical_with_two_workers(corpus: Path) -> None:
    one = _extract(corpus, 1)
    assert any(x.startswith("dup ") for x in one) and any(x.startswith("failed ") for x in one)
    assert _extract(corpus, 2) == one


def test_ingest_stores_the_same_with_two_workers(corpus: Path, tmp_path: Path) -> None:
    for workers, name in ((1, "one.db"), (2, "two.db")):
        store = Store(tmp_path / name)
        summary = api.ingest([corpus], store, config=PipelineConfig(), workers=workers)
        assert summary.processed > 5 and summary.duplicates >= 1 and len(summary.failed) == 1
        again = api.ingest([corpus], store, config=PipelineConfig(), workers=workers)  # a re-run adds nothing
        assert again.processed == 0 and again.duplicates == 0
        store.close()
    assert dump_store(tmp_path / "one.db") == dump_store(tmp_path / "two.db")
