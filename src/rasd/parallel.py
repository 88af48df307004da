"""Analysis in batches, on one core or several, with the same output either way.

Only the pipeline run (the costly part) is batched and moved to worker processes; reading, de-duplication
and storing stay in the calling process, in input order. Articles the caller marks as wanted are analysed
a batch at a time (`Pipeline.run_batch`: the tagger decodes a whole batch at once), in this process or,
with several workers, in worker processes each with its own pipeline loaded once; the caller then takes
the precomputed record in input order. An article that turns out to be a duplicate of another in the same
batch was analysed for nothing (rare), which is the price of never letting batching or the workers' timing
change a decision.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

from rasd.document import Document
from rasd.ingest import IngestFailure
from rasd.pipeline import BATCH_SIZE, Pipeline, PipelineConfig, default_pipeline

Item = Document | IngestFailure
T = TypeVar("T")
Analysed = dict[str, Any] | IngestFailure | None  # a record, a pipeline failure, or not analysed

_pipeline: Pipeline | None = None


def _init(setup: Pipeline | PipelineConfig | None) -> None:
    """A forked worker takes the caller's pipeline (knowledge base and models already loaded, pages shared);
    a spawned one builds its own from the configuration."""
    global _pipeline
    if isinstance(setup, Pipeline):
        _pipeline = setup
    else:
        _pipeline = default_pipeline(setup)
        _pipeline.warm_up(freeze=True)


def _work(chunk: list[Document | None]) -> list[Analysed]:
    """Records for the wanted documents of a chunk (None marks items not to analyse)."""
    assert _pipeline is not None
    return _analyse(chunk, _pipeline)


def _analyse(chunk: Sequence[Document | None], pipeline: Pipeline) -> list[Analysed]:
    """The chunk's wanted documents analysed together as one batch (`Pipeline.run_batch`)."""
    from rasd.api import process_batch

    docs = [doc for doc in chunk if doc is not None]
    results = iter(process_batch(docs, pipeline))
    return [None if doc is None else next(results) for doc in chunk]


def as_read(doc: Document) -> Document:
    """A copy of a document as the reader made it: the pipeline fills in metadata (the date, the outlet),
    and the caller must see the document as read, exactly as the one-core path does before analysing."""
    return Document(doc.text, doc.meta, doc.excluded)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def analysed(
    items: Iterable[Item],
    config: PipelineConfig | None,
    workers: int,
    wanted: Callable[[Item], bool] = lambda item: isinstance(item, Document),
    chunksize: int = BATCH_SIZE,
    pipeline: Pipeline | None = None,
) -> Iterator[tuple[Item, Analysed]]:
    """(item, its analysis or None when not wanted) in input order.

    Wanted documents are analysed `chunksize` at a time as one batch: here with one worker, in worker
    processes with more. At most `4 × workers` chunks are in flight, so memory stays bounded however long
    the input is (`Pool.imap` would read the whole input ahead)."""
    if workers <= 1:
        here = pipeline if pipeline is not None else default_pipeline(config)
        for chunk in batches(items, chunksize):
            docs = [as_read(item) if isinstance(item, Document) and wanted(item) else None for item in chunk]
            yield from zip(chunk, _analyse(docs, here), strict=True)
        return
    fork = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork" if fork else "spawn")
    setup: Pipeline | PipelineConfig | None = pipeline if fork and pipeline is not None else config
    # The workers get copies: the pipeline fills in a document's metadata (its date), and the caller must
    # see the document as read, exactly as the one-core path does before analysing.
    with ctx.Pool(workers, initializer=_init, initargs=(setup,)) as pool:
        pending: deque[tuple[list[Item], AsyncResult[list[Analysed]]]] = deque()

        for chunk in batches(items, chunksize):
            docs = [item if isinstance(item, Document) and wanted(item) else None for item in chunk]
            pending.append((chunk, pool.apply_async(_work, (docs,))))
            if len(pending) >= 4 * workers:
                done, res = pending.popleft()
                yield from zip(done, res.get(), strict=True)
        while pending:
            done, res = pending.popleft()
            yield from zip(done, res.get(), strict=True)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), read lazily: Python 3.11 lacks itertools.batched."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
