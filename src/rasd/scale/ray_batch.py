"""Analyse an archive on a Ray cluster into Parquet tables (`rasd batch`), then store them (`rasd load`).

Reading and analysis run in Ray: one read task per input file (JSON lines, gzipped JSON lines, Parquet, or
anything else `rasd ingest` reads), then `map_batches` over actors that each load the pipeline (NER model,
knowledge base) once. Every article is analysed, duplicates included: de-duplication depends on input order,
so it is left to `load`, which replays the articles in input order through exactly the code `rasd ingest`
runs (`api._ingest_one` with the precomputed record, as `rasd.parallel` does). The store `load` builds is
therefore the one `rasd ingest` builds from the same input.

Each article keeps its place in the input as (`shard`, `pos`): the input file's number and the article's
number in that file. The document as read (metadata before analysis, boilerplate ranges) travels with its
record, because analysis fills in metadata (the stated date, the outlet) and `load` must see it as read.

Ray and pyarrow are imported only here, and only when a command needs them (`pip install 'rasd[scale]'`).
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rasd.document import DocMeta, Document, Span
from rasd.ingest import IngestFailure
from rasd.ingest.readers import _kind, _read_file, _stem, record_to_document
from rasd.pipeline import BATCH_SIZE

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from rasd.api import IngestSummary
    from rasd.store import Store

__all__ = ["TABLES", "BatchSummary", "load", "run_batch"]

TABLES = ("documents", "actors", "mentions", "events", "quotes", "sources", "failures")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_CHUNK = 256  # rows per block a read task emits: a big shard streams instead of sitting in memory


def _require() -> Any:
    """Ray, or an error that says how to get it."""
    try:
        import pyarrow  # noqa: F401
        import ray
        import ray.data
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(f"rasd batch needs Ray Data and pyarrow: pip install 'rasd[scale]' ({e})") from e
    return ray


def _require_pyarrow() -> None:
    """`rasd load` needs pyarrow only, not Ray."""
    try:
        import pyarrow  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(f"reading Parquet tables needs pyarrow: pip install 'rasd[scale]' ({e})") from e


# ---------------------------------------------------------------------------------------------- schemas


def _schemas() -> dict[str, pa.Schema]:
    """Fixed column types: blocks whose optional columns are all null must still write the same schema."""
    import pyarrow as pa

    s, i, f, b, ls = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.list_(pa.string())
    key = [("shard", i), ("pos", i), ("doc_id", s)]
    return {
        "read": pa.schema([("shard", i), ("pos", i), ("doc", s), ("failure", s)]),
        "analysed": pa.schema([("shard", i), ("pos", i), ("doc", s), ("record", s), ("failure", s)]),
        "documents": pa.schema(
            [*key, ("title", s), ("outlet", s), ("url", s), ("published", s), ("published_basis", s),
             ("text", s), ("source_path", s), ("content_hash", s), ("read_as", s), ("record", s)]
        ),
        "actors": pa.schema(
            [*key, ("actor_id", s), ("kb_id", s), ("local_key", s), ("wikidata", s), ("name_en", s),
             ("name_ar", s), ("kind", s), ("role", s), ("mention_count", i)]
        ),
        "mentions": pa.schema([*key, ("actor_id", s), ("text", s), ("start", i), ("end", i)]),
        "events": pa.schema(
            [*key, ("idx", i), ("type", s), ("mode", s), ("status", s), ("actors_a", ls), ("actors_b", ls),
             ("date", s), ("location", s), ("reported_by", ls), ("evidence_text", s), ("evidence_start", i),
             ("evidence_end", i), ("trigger_text", s), ("trigger_start", i), ("trigger_end", i), ("confidence", f)]
        ),
        "quotes": pa.schema(
            [*key, ("idx", i), ("speaker", s), ("speaker_text", s), ("text", s), ("start", i), ("end", i),
             ("direct", b)]
        ),
        "sources": pa.schema(
            [*key, ("idx", i), ("kind", s), ("actor", s), ("text", s), ("count", i), ("named", b), ("start", i),
             ("end", i)]
        ),
        "failures": pa.schema(
            [("shard", i), ("pos", i), ("stage", s), ("path", s), ("line", i), ("code", s), ("reason", s),
             ("doc_id", s)]
        ),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------- documents as rows


def _doc_json(doc: Document) -> str:
    """The document as read, text included (what a worker needs to analyse it and `load` to store it)."""
    return json.dumps({"text": doc.text, **_read_as(doc)}, ensure_ascii=False)


def _read_as(doc: Document) -> dict[str, Any]:
    m = doc.meta
    return {
        "id": m.id,
        "title": m.title,
        "outlet": m.outlet,
        "url": m.url,
        "published": m.published,
        "published_basis": m.published_basis,
        "source_path": m.source_path,
        "excluded": [[s.start, s.end, s.label] for s in doc.excluded],
    }


def _doc_from(d: dict[str, Any], text: str) -> Document:
    meta = DocMeta(
        id=d["id"],
        title=d["title"],
        outlet=d["outlet"],
        url=d["url"],
        published=d["published"],
        published_basis=d["published_basis"],
        source_path=d["source_path"],
    )
    return Document(text, meta, excluded=[Span(a, b, label) for a, b, label in d["excluded"]])


def _failure_json(f: IngestFailure, stage: str, doc_id: str | None = None) -> str:
    return json.dumps(
        {"stage": stage, "path": f.path, "line": f.line, "code": f.code, "reason": f.reason, "doc_id": doc_id},
        ensure_ascii=False,
    )


# ---------------------------------------------------------------------------------------------- inputs


def _is_uri(path: str) -> bool:
    return "://" in path


def _wanted_name(name: str) -> bool:
    return _kind(name) is not None or name.lower().endswith(_PARQUET_SUFFIXES)


def _walk(root: Path, shown: str, seen: set[tuple[int, int]]) -> Iterator[tuple[str, str, str | None]]:
    """(path, shown, error) for the files under a folder in `iter_documents`' order, Parquet included."""
    try:
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
        names = sorted(os.listdir(root))
    except OSError as e:
        yield str(root), shown, f"cannot read folder: {e.strerror or e}"
        return
    for name in names:
        if name.startswith("."):
            continue
        child, child_shown = root / name, os.path.join(shown, name)
        try:
            is_dir = stat.S_ISDIR(os.stat(child).st_mode)
        except OSError as e:
            if _wanted_name(name):
                yield str(child), child_shown, f"cannot read file: {e.strerror or e}"
            continue
        if is_dir:
            yield from _walk(child, child_shown, seen)
        elif _wanted_name(name):
            yield str(child), child_shown, None


def _remote_files(uri: str) -> list[tuple[str, str, str | None]]:
    """Files under a URI (s3://, gs://, hdfs://, file://) that pyarrow can list, sorted by path."""
    from pyarrow import fs as pafs

    try:
        filesystem, root = pafs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(root)
        if info.type == pafs.FileType.NotFound:
            return [(uri, uri, "no such file or folder")]
        if info.type != pafs.FileType.Directory:
            return [(uri, uri, None)]
        found = filesystem.get_file_info(pafs.FileSelector(root, recursive=True))
    except (OSError, ValueError) as e:
        return [(uri, uri, f"cannot list: {e}")]
    scheme = uri.split("://", 1)[0]
    return [
        (f"{scheme}://{fi.path}", f"{scheme}://{fi.path}", None)
        for fi in sorted(found, key=lambda fi: fi.path)
        if fi.type == pafs.FileType.File and _wanted_name(fi.base_name) and not fi.base_name.startswith(".")
    ]


def list_inputs(paths: Sequence[str | Path]) -> list[dict[str, Any]]:
    """One entry per input file (its shard number is its place in the input), or per input that fails."""
    entries: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for given in paths:
        shown = str(given)
        if shown == "-":
            found: Iterable[tuple[str, str, str | None]] = [(shown, shown, "stdin cannot be read by rasd batch")]
        elif _is_uri(shown):
            found = _remote_files(shown)
        elif Path(shown).is_dir():
            found = _walk(Path(shown), shown, seen)
        elif not os.path.lexists(shown):
            found = [(shown, shown, "no such file or folder")]
        else:
            found = [(shown, shown, None)]
        for path, where, error in found:
            entries.append({"shard": len(entries), "path": path, "shown": where, "error": error})
    return entries


def _plain(value: Any) -> Any:
    """Parquet dates and timestamps as the ISO strings JSON lines carry."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _read_parquet(source: Any, shown: str, stem: str) -> Iterator[Document | IngestFailure]:
    """A Parquet shard: one article per row, with the fields of a JSON line (id, title, text, ...)."""
    import pyarrow.parquet as pq

    n = 0
    for batch in pq.ParquetFile(source).iter_batches(batch_size=_CHUNK):
        for row in batch.to_pylist():
            n += 1
            record = {k: _plain(v) for k, v in row.items()}
            yield record_to_document(record, default_id=f"{stem}:{n}", path=shown, line=n, where=f"row {n}")


def _read_one(path: str, shown: str, max_bytes: int) -> Iterator[Document | IngestFailure]:
    """The articles of one file, read by Rasd's own readers (a remote file is copied to local disk first)."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    is_parquet = name.lower().endswith(_PARQUET_SUFFIXES)
    if not _is_uri(path):
        if is_parquet:
            yield from _read_parquet(path, shown, _stem(Path(path)))
        else:
            yield from _read_file(Path(path), shown, max_bytes)
        return
    from pyarrow import fs as pafs

    filesystem, inner = pafs.FileSystem.from_uri(path)
    if is_parquet:
        with filesystem.open_input_file(inner) as f:
            yield from _read_parquet(f, shown, _stem(Path(name)))
        return
    with tempfile.TemporaryDirectory(prefix="rasd-batch-") as tmp:
        local = Path(tmp) / name
        with filesystem.open_input_stream(inner) as src, open(local, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        yield from _read_file(local, shown, max_bytes)


def _read_row(shard: int, pos: int, item: Document | IngestFailure) -> dict[str, Any]:
    if isinstance(item, IngestFailure):
        return {"shard": shard, "pos": pos, "doc": None, "failure": _failure_json(item, "read")}
    return {"shard": shard, "pos": pos, "doc": _doc_json(item), "failure": None}


def _read_entries(batch: pa.Table, max_bytes: int = 20_000_000) -> Iterator[pa.Table]:
    """Ray task: the rows (document or failure) of the input files in `batch`, in blocks of `_CHUNK`."""
    import pyarrow as pa

    schema = _schemas()["read"]
    rows: list[dict[str, Any]] = []
    for entry in batch.to_pylist():
        shard, shown = entry["shard"], entry["shown"]
        items: Iterable[Document | IngestFailure]
        if entry["error"]:
            items = [IngestFailure(shown, None, entry["error"], "io")]
        else:
            items = _read_one(entry["path"], shown, max_bytes)
        pos = 0
        try:
            for item in items:
                rows.append(_read_row(shard, pos, item))
                pos += 1
                if len(rows) >= _CHUNK:
                    yield pa.Table.from_pylist(rows, schema=schema)
                    rows = []
        except Exception as e:  # an unreadable shard costs that shard, never the job
            failure = IngestFailure(shown, None, f"cannot read: {type(e).__name__}: {e}", "io")
            rows.append(_read_row(shard, pos, failure))
    if rows:
        yield pa.Table.from_pylist(rows, schema=schema)


# ---------------------------------------------------------------------------------------------- analysis


class Analyser:
    """Ray actor: the pipeline (models, knowledge base) is built once per actor, then analyses batches."""

    def __init__(self, ner: str, kb_files: Sequence[tuple[str, str]] = ()) -> None:
        from rasd.pipeline import PipelineConfig, default_pipeline

        # The user's knowledge-base files travel as text: a worker node need not see the driver's disk.
        self._kb_dir = tempfile.mkdtemp(prefix="rasd-kb-")
        kb_paths = []
        for n, (name, text) in enumerate(kb_files):
            p = Path(self._kb_dir) / f"{n:03d}-{name}"
            p.write_text(text, encoding="utf-8")
            kb_paths.append(str(p))
        self._pipeline = default_pipeline(PipelineConfig(kb_paths=tuple(kb_paths), ner=ner))
        self._pipeline.warm_up(freeze=True)
        self._schema = _schemas()["analysed"]

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        from rasd.api import process_batch

        rows = batch.to_pylist()
        docs = []
        for row in rows:
            if row["doc"] is not None:
                d = json.loads(row["doc"])
                docs.append(_doc_from(d, d.pop("text")))
        results = iter(zip(docs, process_batch(docs, self._pipeline), strict=True))  # analysed together
        out = []
        for row in rows:
            record = None
            failure = row["failure"]
            if row["doc"] is not None:
                doc, result = next(results)
                if isinstance(result, IngestFailure):
                    failure = _failure_json(result, "pipeline", doc.id)
                else:
                    record = json.dumps(result, ensure_ascii=False)
            out.append({"shard": row["shard"], "pos": row["pos"], "doc": row["doc"], "record": record,
                        "failure": failure})  # fmt: skip
        return pa.Table.from_pylist(out, schema=self._schema)


# ---------------------------------------------------------------------------------------------- tables


def _out_fs(out: str, create: bool = True) -> tuple[Any, str]:
    _require_pyarrow()
    from pyarrow import fs as pafs

    if _is_uri(out):
        filesystem, base = pafs.FileSystem.from_uri(out)
    else:
        filesystem, base = pafs.LocalFileSystem(), str(Path(out).resolve())
    if create:
        filesystem.create_dir(base, recursive=True)
    return filesystem, base.rstrip("/")


class _TableWriter:
    """One Parquet file per table under the output folder, written as batches arrive."""

    def __init__(self, out: str, rows_per_group: int = 2048) -> None:
        self._fs, self._base = _out_fs(out)
        self._schemas = _schemas()
        self._rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self._writers: dict[str, Any] = {}
        self._group = rows_per_group
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self._rows[table].append(row)
        self.counts[table] += 1
        if len(self._rows[table]) >= self._group:
            self._flush(table)

    def _flush(self, table: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if table not in self._writers:
            sink = self._fs.open_output_stream(f"{self._base}/{table}.parquet")
            self._writers[table] = (pq.ParquetWriter(sink, self._schemas[table]), sink)
        rows, self._rows[table] = self._rows[table], []
        if rows:
            self._writers[table][0].write_table(pa.Table.from_pylist(rows, schema=self._schemas[table]))

    def close(self) -> None:
        for table in TABLES:
            self._flush(table)
            writer, sink = self._writers.pop(table)
            writer.close()
            sink.close()

    def add_analysed(self, row: dict[str, Any]) -> None:
        """Split one analysed article into its rows of every table."""
        shard, pos = row["shard"], row["pos"]
        if row["failure"] is not None:
            f = json.loads(row["failure"])
            self.add("failures", {"shard": shard, "pos": pos, **f})
        if row["doc"] is None:
            return
        d = json.loads(row["doc"])
        text = d.pop("text")
        from rasd.document import content_hash

        rec = json.loads(row["record"]) if row["record"] is not None else None
        head = rec if rec is not None else d
        doc_id = d["id"]
        key = {"shard": shard, "pos": pos, "doc_id": doc_id}
        self.add(
            "documents",
            {**key, **{k: head.get(k) for k in ("title", "outlet", "url", "published", "published_basis")},
             "text": text, "source_path": d["source_path"], "content_hash": content_hash(text),
             "read_as": json.dumps(d, ensure_ascii=False), "record": row["record"]},
        )  # fmt: skip
        if rec is None:
            return
        for a in rec["actors"]:
            fields = ("kb_id", "local_key", "wikidata", "name_en", "name_ar", "kind", "role")
            self.add("actors", {**key, "actor_id": a["id"], **{k: a.get(k) for k in fields},
                                "mention_count": len(a["mentions"])})  # fmt: skip
            for m in a["mentions"]:
                self.add("mentions", {**key, "actor_id": a["id"], "text": m["text"], "start": m["start"],
                                      "end": m["end"]})  # fmt: skip
        for n, e in enumerate(rec["events"]):
            ev, tr = e["evidence"], e["trigger"]
            self.add(
                "events",
                {**key, "idx": n, **{k: e.get(k) for k in ("type", "mode", "status", "actors_a", "actors_b", "date",
                 "location", "reported_by")}, "evidence_text": ev["text"], "evidence_start": ev["start"],
                 "evidence_end": ev["end"], "trigger_text": tr["text"], "trigger_start": tr["start"],
                 "trigger_end": tr["end"], "confidence": e.get("confidence")},
            )  # fmt: skip
        for n, q in enumerate(rec["quotes"]):
            fields = ("speaker", "speaker_text", "text", "start", "end", "direct")
            self.add("quotes", {**key, "idx": n, **{k: q.get(k) for k in fields}})
        for n, s in enumerate(rec["sources"]):
            fields = ("kind", "actor", "text", "count", "named", "start", "end")
            self.add("sources", {**key, "idx": n, **{k: s.get(k) for k in fields}})


# ---------------------------------------------------------------------------------------------- batch


@dataclass
class BatchSummary:
    inputs: int = 0  # input files (shards)
    documents: int = 0  # articles read (duplicates included: `load` links them)
    analysed: int = 0
    failed: int = 0  # unreadable inputs or lines, and articles the pipeline failed on
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)  # rows written per table

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def run_batch(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    address: str | None = None,
    num_cpus: int | None = None,
    ner: str = "crf",
    kb_paths: Sequence[str | Path] = (),
    batch_size: int = BATCH_SIZE,
    block_bytes: int = 64 * 1024,
    on_batch: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Analyse every article under `paths` on Ray and write the Parquet tables `TABLES` under `out`.

    Uses the Ray cluster this process is connected to; otherwise connects to `address` (`auto`, `host:6379`,
    `ray://host:10001`) or, without one, starts a local cluster of `num_cpus` CPUs. `num_cpus` is also the
    number of analysing actors (default: one per CPU of the cluster). Failures never stop the job: they are
    rows of the `failures` table.
    """
    ray = _require()
    t0 = time.perf_counter()
    kb_files = [(Path(p).name, Path(p).read_text(encoding="utf-8")) for p in kb_paths]
    started = False
    if not ray.is_initialized():
        ray.init(address=address, num_cpus=None if address else num_cpus, include_dashboard=False, log_to_driver=False)
        started = True
    try:
        actors = num_cpus or max(1, int(ray.cluster_resources().get("CPU", 1)))
        entries = list_inputs(paths)
        summary = BatchSummary(inputs=len(entries))
        writer = _TableWriter(str(out))
        if entries:
            # Small blocks, so one big shard spreads over all the actors. (A `repartition` would need a CPU,
            # and the actors hold every CPU for their whole life.) The dataset keeps the context it was built
            # with, so the caller's own setting is restored at once.
            context = ray.data.DataContext.get_current()
            saved = context.target_max_block_size
            context.target_max_block_size = block_bytes
            try:
                ds = ray.data.from_items(entries, override_num_blocks=len(entries))
                # Reading reserves no CPU either: it is light next to the analysis.
                ds = ds.map_batches(_read_entries, batch_size=1, batch_format="pyarrow", num_cpus=0)
            finally:
                context.target_max_block_size = saved
            ds = ds.map_batches(
                Analyser,
                fn_constructor_kwargs={"ner": ner, "kb_files": kb_files},
                batch_size=batch_size,
                batch_format="pyarrow",
                concurrency=actors,
                num_cpus=1,
            )
            for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                for row in batch.to_pylist():
                    summary.documents += row["doc"] is not None
                    summary.analysed += row["record"] is not None
                    summary.failed += row["failure"] is not None
                    writer.add_analysed(row)
                if on_batch is not None:
                    on_batch(batch.num_rows)
        writer.close()
        summary.tables = writer.counts
    finally:
        if started:
            ray.shutdown()
    summary.seconds = time.perf_counter() - t0
    return summary


# ---------------------------------------------------------------------------------------------- load


def _ordered(folder: str) -> Iterator[tuple[Document | IngestFailure, dict[str, Any] | IngestFailure | None]]:
    """(item, precomputed analysis) in input order, merged from the documents and failures tables."""
    import pyarrow.parquet as pq

    filesystem, base = _out_fs(folder, create=False)
    order = [("shard", "ascending"), ("pos", "ascending")]

    def table(name: str, columns: list[str] | None = None) -> pa.Table:
        with filesystem.open_input_file(f"{base}/{name}.parquet") as f:
            return pq.read_table(f, columns=columns).sort_by(order)

    failures = table("failures").to_pylist()
    failed_analysis: dict[tuple[int, int], IngestFailure] = {}
    read_failures: list[tuple[int, int, int, Any]] = []
    for n, f in enumerate(failures):
        failure = IngestFailure(f["path"], f["line"], f["reason"], f["code"])
        if f["stage"] == "pipeline":
            failed_analysis[(f["shard"], f["pos"])] = failure
        else:
            read_failures.append((f["shard"], f["pos"], n, failure))

    def documents() -> Iterator[tuple[int, int, int, Any]]:
        docs = table("documents", ["shard", "pos", "text", "read_as", "record"])
        for chunk in docs.to_batches(max_chunksize=512):
            for r in chunk.to_pylist():
                yield r["shard"], r["pos"], -1, r

    for shard, pos, _, it in heapq.merge(read_failures, documents(), key=lambda t: (t[0], t[1])):
        if isinstance(it, IngestFailure):
            yield it, None
            continue
        doc = _doc_from(json.loads(it["read_as"]), it["text"])
        pre = json.loads(it["record"]) if it["record"] is not None else failed_analysis.get((shard, pos))
        if pre is None:  # pragma: no cover - every document row has a record or a failure
            pre = IngestFailure(doc.meta.source_path or doc.id, None, "no analysis in the batch output", "pipeline")
        yield doc, pre


def load(
    folder: str | Path,
    store: Store,
    *,
    batch_size: int = 200,
    on_item: Callable[[str, str], None] | None = None,
) -> IngestSummary:
    """Store the tables `run_batch` wrote, as `rasd ingest` of the same input would (same duplicates, ids).

    The articles are replayed in input order through `api._ingest_one`, the code `api.ingest` runs, with the
    record computed by the batch instead of a new analysis. Re-running adds nothing.
    """
    from rasd.api import IngestSummary, _ingest_one
    from rasd.parallel import batches
    from rasd.pipeline import Pipeline

    with store.ingest_lock(purpose="load") as lock:  # one writer, as ingest
        summary = IngestSummary(stale_lock_pid=getattr(lock, "stale_pid", None))
        notify = on_item or (lambda event, detail: None)
        unused = Pipeline(())  # every document comes with its analysis: nothing is analysed here
        for batch in batches(_ordered(str(folder)), batch_size):
            with store.batch():
                for item, pre in batch:
                    _ingest_one(item, store, unused, summary, notify, pre)
    return summary
