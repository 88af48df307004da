"""Rasd's Python API: the one place the CLI, the HTTP API and the UI call into.

from rasd import api
for result in api.extract(["articles/"]):
    print(result.record["quotes"])

with api.open_store("rasd.db") as store:
    summary = api.ingest(["articles/"], store)
    api.export(store, "plover", sys.stdout, type="CONSULT")
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from rasd.document import Document
from rasd.export import FORMATS as EXPORT_FORMATS
from rasd.export import export
from rasd.ingest import IngestFailure, iter_documents
from rasd.ingest.dedup import DuplicateMatch, Fingerprint, RunDedupIndex, fingerprint
from rasd.parallel import analysed, batches
from rasd.pipeline import Pipeline, PipelineConfig, default_pipeline
from rasd.record import to_record
from rasd.store import Store, open_store

__all__ = [
    "EXPORT_FORMATS",
    "ExtractResult",
    "IngestSummary",
    "export",
    "extract",
    "ingest",
    "open_store",
    "process",
    "process_batch",
]


@dataclass
class ExtractResult:
    """One input's outcome: a record, a duplicate link, or a failure."""

    record: dict[str, Any] | None = None
    duplicate: DuplicateMatch | None = None
    doc_id: str | None = None
    failure: IngestFailure | None = None


@dataclass
class IngestSummary:
    processed: int = 0
    duplicates: int = 0
    already_stored: int = 0
    failed: list[IngestFailure] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    stale_lock_pid: int | None = None  # an earlier ingest (this pid) died holding the store: this run completes it

    @property
    def seen(self) -> int:
        return self.processed + self.duplicates + self.already_stored + len(self.failed)


def body_of(doc: Document) -> str:
    """The analysed text without its title line: what duplicate detection compares."""
    text = doc.analysed
    title = doc.meta.title
    if title and text.startswith(title):
        text = text[len(title) :]
    return text


def process(doc: Document, pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Run the pipeline over one document and return its record."""
    return to_record((pipeline or default_pipeline()).run(doc))


def _safe_process(doc: Document, pipeline: Pipeline) -> dict[str, Any] | IngestFailure:
    """A bug in a component must cost one article, not the run: it becomes a recorded failure."""
    return process_batch([doc], pipeline)[0]


def process_batch(docs: Sequence[Document], pipeline: Pipeline) -> list[dict[str, Any] | IngestFailure]:
    """Records for several documents analysed together (`Pipeline.run_batch`), each the record `process`
    gives; an article a component fails on becomes a recorded failure and costs only itself."""
    out: list[dict[str, Any] | IngestFailure] = []
    for doc, error in zip(docs, pipeline.run_batch(docs), strict=True):
        if error is None:
            try:
                out.append(to_record(doc))
                continue
            except Exception as e:
                error = e
        where = traceback.extract_tb(error.__traceback__)[-1]
        reason = (
            f"internal error while analysing: {type(error).__name__}: {error} "
            f"({Path(where.filename).name}:{where.lineno})"
        )
        out.append(IngestFailure(doc.meta.source_path or doc.id, None, reason, "pipeline"))
    return out


def extract(
    paths: Sequence[str | Path],
    *,
    config: PipelineConfig | None = None,
    stdin: TextIO | None = None,
    dedup: bool = True,
    workers: int = 1,
) -> Iterator[ExtractResult]:
    """Records for every article under `paths`, without a store. Duplicates are linked, not analysed.

    `workers` > 1 analyses on that many processes; the output is the same, in the same order."""
    pipeline = default_pipeline(config)
    pipeline.warm_up(freeze=True)
    index = RunDedupIndex()  # in memory, then on disk past SPILL_AFTER articles
    duplicates: dict[int, DuplicateMatch] = {}  # id() of each document found a duplicate, until yielded

    def first_copies() -> Iterator[Document | IngestFailure]:
        """The input, de-duplicated as it is read (in order), so that no duplicate is analysed."""
        for item in iter_documents(paths, stdin=stdin):
            if dedup and isinstance(item, Document):
                fp = fingerprint(body_of(item))
                dup = index.find(fp)
                if dup is None:
                    index.add(item.id, fp)
                else:
                    duplicates[id(item)] = dup
            yield item

    def wanted(item: Document | IngestFailure) -> bool:
        return isinstance(item, Document) and id(item) not in duplicates

    try:
        for item, pre in analysed(first_copies(), config, workers, wanted, pipeline=pipeline):
            if isinstance(item, IngestFailure):
                yield ExtractResult(failure=item)
                continue
            dup = duplicates.pop(id(item), None)
            if dup is not None:
                yield ExtractResult(duplicate=dup, doc_id=item.id)
                continue
            out = pre if pre is not None else _safe_process(item, pipeline)
            if isinstance(out, IngestFailure):
                yield ExtractResult(failure=out, doc_id=item.id)
            else:
                yield ExtractResult(record=out, doc_id=item.id)
    finally:
        index.close()


ProgressFn = Callable[[str, str], None]  # (event, detail): event in processed|duplicate|stored|failed


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    *,
    config: PipelineConfig | None = None,
    stdin: TextIO | None = None,
    batch_size: int = 200,
    on_item: ProgressFn | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Read, de-duplicate, analyse and store every article under `paths`, committing every `batch_size`.

    Re-running on the same input adds nothing; after an interruption it completes what was lost.
    `workers` > 1 analyses on that many processes; the store ends up the same as with one.
    Raises StoreLocked (a StoreError) at once when another ingest is writing the same store.
    """
    with store.ingest_lock() as lock:
        summary = IngestSummary(stale_lock_pid=getattr(lock, "stale_pid", None))
        pipeline = default_pipeline(config)
        pipeline.warm_up(freeze=True)  # before the workers fork, so they share the loaded models
        notify = on_item or (lambda event, detail: None)

        fingerprints: dict[int, Fingerprint] = {}  # id() of each document -> its fingerprint, until stored

        def wanted(item: Document | IngestFailure) -> bool:
            """Not stored by an earlier run, nor a copy of a stored article: analysing it would be wasted."""
            if not isinstance(item, Document) or store.has_document(item.id, item.content_hash):
                return False
            fp = fingerprints[id(item)] = fingerprint(body_of(item))
            return store.find_duplicate(fp) is None

        stream = analysed(iter_documents(paths, stdin=stdin), config, workers, wanted, pipeline=pipeline)
        for batch in batches(stream, batch_size):
            with store.batch():
                for item, pre in batch:
                    fp = fingerprints.pop(id(item), None)
                    _ingest_one(item, store, pipeline, summary, notify, pre, fp)
    return summary


def _ingest_one(
    item: Document | IngestFailure,
    store: Store,
    pipeline: Pipeline,
    summary: IngestSummary,
    notify: ProgressFn,
    pre: dict[str, Any] | IngestFailure | None = None,
    fp: Fingerprint | None = None,
) -> None:
    if isinstance(item, IngestFailure):
        store.add_failure(item.path, item.line, item.code, item.reason)
        summary.failed.append(item)
        notify("failed", f"{item.path}{f':{item.line}' if item.line else ''}: {item.reason}")
        return
    doc = item
    chash = doc.content_hash
    if store.has_document(doc.id, chash):
        summary.already_stored += 1  # this very article, from an earlier run
        notify("stored", doc.id)
        return
    if store.has_id(doc.id):
        new_id = f"{doc.id}~{chash[:8]}"
        summary.renamed.append((doc.id, new_id))
        doc.meta = dataclasses.replace(doc.meta, id=new_id)
    if fp is None:
        fp = fingerprint(body_of(doc))
    dup = store.find_duplicate(fp)  # the same text under another id is an exact duplicate
    if dup is not None:
        record = {
            "doc_id": doc.id,
            "title": doc.meta.title,
            "outlet": doc.meta.outlet,
            "url": doc.meta.url,
            "published": doc.meta.published,
            "published_basis": doc.meta.published_basis,
            "text": doc.text,
        }
        store.add_document(record, source_path=doc.meta.source_path, content_hash=chash, fp=fp, duplicate=dup)
        summary.duplicates += 1
        notify("duplicate", f"{doc.id} -> {dup.doc_id} ({dup.similarity:.2f})")
        return
    if pre is None:
        out = _safe_process(doc, pipeline)
    elif isinstance(pre, dict) and pre["doc_id"] != doc.id:
        out = {**pre, "doc_id": doc.id}  # renamed above, after a worker analysed it under its first id
    else:
        out = pre
    if isinstance(out, IngestFailure):
        store.add_failure(out.path, out.line, out.code, out.reason)
        summary.failed.append(out)
        notify("failed", f"{out.path}: {out.reason}")
        return
    store.add_document(out, source_path=doc.meta.source_path, content_hash=chash, fp=fp)
    summary.processed += 1
    notify("processed", doc.id)
