"""Analysis on several cores, with output identical to one core.

Only the pipeline run (the costly part) moves to worker processes; reading, de-duplication and storing stay
in the calling process, in input order, running exactly the code the one-core path runs. Workers analyse
every article the caller marks as wanted, in order (`Pool.imap`), each with its own pipeline loaded once;
the caller then takes the precomputed record where the one-core path would have computed it. An article
that later turns out to be a duplicate was analysed for nothing (a few percent of a news archive), which is
the price of never letting the workers' timing change a decision.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any

from rasd.document import Document
from rasd.ingest import IngestFailure
from rasd.pipeline import Pipeline, PipelineConfig, default_pipeline

Item = Document | IngestFailure
Analysed = dict[str, Any] | IngestFailure | None  # a record, a pipeline failure, or not analysed

_pipeline: Pipeline | None = None


def _init(setup: Pipeline | PipelineConfig | None) -> None:
    """A forked worker takes the caller's pipeline (knowledge base and models already loaded, pages shared);
    a spawned one builds its own from the configuration."""
    global _pipeline
    _pipeline = setup if isinstance(setup, Pipeline) else default_pipeline(setup)


def _work(chunk: list[Document | None]) -> list[Analysed]:
    """Records for the wanted documents of a chunk (None marks items not to analyse)."""
    from rasd.api import _safe_process

    assert _pipeline is not None
    return [None if doc is None else _safe_process(doc, _pipeline) for doc in chunk]


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
    chunksize: int = 8,
    pipeline: Pipeline | None = None,
) -> Iterator[tuple[Item, Analysed]]:
    """(item, its analysis or None) in input order; with one worker nothing is analysed here (the caller does).

    At most `4 × workers` chunks are in flight, so memory stays bounded however long the input is
    (`Pool.imap` would read the whole input ahead)."""
    if workers <= 1:
        for item in items:
            yield item, None
        return
    fork = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork" if fork else "spawn")
    setup: Pipeline | PipelineConfig | None = pipeline if fork and pipeline is not None else config
    # The workers get copies: the pipeline fills in a document's metadata (its date), and the caller must
    # see the document as read, exactly as the one-core path does before analysing.
    with ctx.Pool(workers, initializer=_init, initargs=(setup,)) as pool:
        pending: deque[tuple[list[Item], AsyncResult[list[Analysed]]]] = deque()
        chunk: list[Item] = []

        def submit() -> None:
            docs = [item if isinstance(item, Document) and wanted(item) else None for item in chunk]
            pending.append((chunk, pool.apply_async(_work, (docs,))))

        for item in items:
            chunk.append(item)
            if len(chunk) >= chunksize:
                submit()
                chunk = []
                if len(pending) >= 4 * workers:
                    done, res = pending.popleft()
                    yield from zip(done, res.get(), strict=True)
        if chunk:
            submit()
        while pending:
            done, res = pending.popleft()
            yield from zip(done, res.get(), strict=True)
