"""The `rasd` command: thin wrappers over rasd.api."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from rasd import api
from rasd.pipeline import PipelineConfig
from rasd.store import SearchError, StoreError, is_postgres, operational_errors

app = typer.Typer(
    help="Rasd (رصد): Arabic political news -> evidence-linked records of actors, quotes, sources and events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        help="The store: an SQLite file, or a postgresql:// URL of a shared server database (keep the password in"
        " ~/.pgpass or PGPASSWORD, not on the command line).",
    ),
]
KbOpt = Annotated[list[Path] | None, typer.Option("--kb", help="Extra knowledge-base YAML file(s).", exists=True)]
NerOpt = Annotated[
    str,
    typer.Option(
        "--ner",
        help="NER backend: crf (shipped, fast), bilstm, crf+bilstm, ensemble (the most accurate: a vote of three"
        " shipped models), transformers:PATH (a local model) or none.",
    ),
]
SAMPLES = Path(__file__).parent / "samples"


WorkersOpt = Annotated[
    int, typer.Option("--workers", "-j", help="Processes that analyse articles (0: one per core). Same output.")
]


def _workers(n: int) -> int:
    from rasd.parallel import default_workers

    return default_workers() if n <= 0 else n


def _config(kb: list[Path] | None, ner: str = "crf") -> PipelineConfig:
    return PipelineConfig(kb_paths=tuple(str(p) for p in kb or ()), ner=ner)


def _shown(db: str) -> str:
    """How messages name a store: its path, or its URL without the password."""
    from rasd.store.postgres import redact

    return redact(db) if is_postgres(db) else db


def _open(db: str):
    try:
        return api.open_store(db)
    except StoreError as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        raise typer.Exit(2) from e


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    db: DbOpt = "rasd.db",
    kb: KbOpt = None,
    ner: NerOpt = "crf",
    batch_size: Annotated[int, typer.Option(help="Documents per commit.")] = 200,
    workers: WorkersOpt = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read, de-duplicate, analyse and store articles. Safe to re-run: stored articles are skipped."""
    store = _open(db)
    t0 = time.perf_counter()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} articles"),
        TextColumn(
            "[green]{task.fields[processed]} new[/] [yellow]{task.fields[dups]} dup[/]"
            " [red]{task.fields[failed]} failed"
        ),
        TextColumn("{task.fields[rate]:.0f}/s"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=False,
    )
    counts = {"processed": 0, "duplicate": 0, "failed": 0, "stored": 0}
    with progress:
        task = progress.add_task("ingest", total=None, processed=0, dups=0, failed=0, rate=0.0)

        def on_item(event: str, detail: str) -> None:
            counts[event] = counts.get(event, 0) + 1
            n = sum(counts.values())
            if event == "failed":
                progress.console.print(f"[red]failed[/] {escape(detail)}", markup=True, highlight=False)
            progress.update(
                task,
                completed=n,
                processed=counts["processed"],
                dups=counts["duplicate"],
                failed=counts["failed"],
                rate=n / max(time.perf_counter() - t0, 1e-9),
            )

        try:
            summary = api.ingest(
                paths,
                store,
                config=_config(kb, ner),
                batch_size=batch_size,
                on_item=on_item,
                stdin=sys.stdin,
                workers=_workers(workers),
            )
        except StoreError as e:  # another ingest holds the store: nothing was done, so it is not a completed run
            progress.stop()
            err.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
            store.close()
            raise typer.Exit(2) from e
        except operational_errors() as e:  # disk full, store made read-only, I/O error: the run cannot go on
            progress.stop()
            err.print(
                f"[red]error:[/] cannot write to store {escape(_shown(db))}: {escape(str(e))}. Every batch committed"
                " before is kept and sound; run the same command again to complete it.",
                highlight=False,
            )
            store.close()
            raise typer.Exit(2) from e
    if summary.stale_lock_pid:
        err.print(
            f"note: an earlier ingest (pid {summary.stale_lock_pid}) ended without releasing the store;"
            " this run completed what it had not stored"
        )
    elapsed = time.perf_counter() - t0
    _print_summary(summary, elapsed)
    store.close()


def _print_summary(summary: api.IngestSummary, elapsed: float) -> None:
    err.print(
        f"[bold]done[/] in {elapsed:.1f} s, peak memory {_peak_mb():.0f} MB: "
        f"[green]{summary.processed} processed[/], [yellow]{summary.duplicates} duplicates[/], "
        f"{summary.already_stored} already stored, [red]{len(summary.failed)} failed[/]"
    )
    for old, new in summary.renamed[:20]:
        err.print(f"  id {escape(repr(old))} was taken by other content: stored as {escape(repr(new))}")
    if summary.failed:
        by_code: dict[str, int] = {}
        for f in summary.failed:
            by_code[f.code] = by_code.get(f.code, 0) + 1
        err.print("  failures by reason: " + ", ".join(f"{k} {v}" for k, v in sorted(by_code.items())))
        for f in summary.failed[:20]:
            where = f"{f.path}:{f.line}" if f.line else f.path
            err.print(f"  [red]✗[/] {escape(where)}: {escape(f.reason)}", highlight=False)
        if len(summary.failed) > 20:
            err.print(f"  ... and {len(summary.failed) - 20} more (see `rasd stats --failures`)")
        err.print(
            f"completed with {len(summary.failed)} failed input(s), recorded in the store; the rest is stored",
            highlight=False,
        )


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    kb: KbOpt = None,
    ner: NerOpt = "crf",
    keep_duplicates: Annotated[bool, typer.Option(help="Also print a stub record for each duplicate.")] = False,
    workers: WorkersOpt = 1,
) -> None:
    """Print one record per article as JSON lines on stdout (no store needed). Problems go to stderr."""
    failed = dups = n = 0
    for res in api.extract(paths, config=_config(kb, ner), stdin=sys.stdin, workers=_workers(workers)):
        if res.failure is not None:
            failed += 1
            f = res.failure
            where = f"{f.path}{f':{f.line}' if f.line else ''}"
            err.print(f"[red]failed[/] {escape(where)}: {escape(f.reason)}", highlight=False)
        elif res.duplicate is not None:
            dups += 1
            d = res.duplicate
            err.print(f"[yellow]duplicate[/] {escape(str(res.doc_id))} of {escape(d.doc_id)} ({d.similarity:.2f})")
            if keep_duplicates:
                sys.stdout.write(
                    json.dumps({"doc_id": res.doc_id, "duplicate_of": d.doc_id}, ensure_ascii=False) + "\n"
                )
        elif res.record is not None:
            n += 1
            sys.stdout.write(json.dumps(res.record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    err.print(f"{n} records, {dups} duplicates, {failed} failed")


@app.command()
def tag(
    conll: Annotated[Path, typer.Option("--conll", help="CoNLL-style file: the first field of each line is a token.")],
    ner: NerOpt = "ensemble",
    window: Annotated[
        int, typer.Option(help="Spread tagged names over this many sentences on either side (0: off).")
    ] = 20,
) -> None:
    """Tag a tokenised file with PERS/LOC/ORG/MISC: writes `token TAG` lines for exactly the same tokens."""
    from rasd.ner.backends import NerSpecError, make_tagger
    from rasd.ner.conll import tag_conll

    if not conll.is_file():
        err.print(f"[red]error:[/] no such file: {escape(str(conll))}")
        raise typer.Exit(2)
    try:
        tagger = make_tagger(ner)
    except (NerSpecError, RuntimeError) as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        raise typer.Exit(2) from e
    if tagger is None:
        err.print("[red]error:[/] --ner none: nothing to tag with")
        raise typer.Exit(2)
    t0 = time.perf_counter()
    n = tag_conll(conll, sys.stdout, tagger, window=max(window, 0))  # type: ignore[arg-type]
    sys.stdout.flush()
    err.print(f"{n} tokens tagged in {time.perf_counter() - t0:.1f} s")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words (all must match), "a phrase", a OR b, -exclude.')],
    db: DbOpt = "rasd.db",
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Full-text search: normalised Arabic (احمد finds أحمد), clitic-aware (روسيا finds لروسيا)."""
    store = _open(db)
    try:
        hits, total = store.search(query, limit=limit)
    except SearchError as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        raise typer.Exit(2) from e
    if as_json:
        payload = {"total": total, "results": [h.__dict__ for h in hits]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    out.print(f"{total} documents match")
    for h in hits:
        out.print(Text(f"{h.doc_id}  {h.published or '????-??-??'}  {h.outlet or ''}  {h.title or ''}", style="bold"))
        t = Text(h.snippet)
        for s, e in h.highlights:
            t.stylize("black on yellow", s, e)
        out.print(t)
        out.print()


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="The document id.")],
    db: DbOpt = "rasd.db",
    as_json: Annotated[bool, typer.Option("--json", help="The raw record.")] = False,
) -> None:
    """Show one stored article: its metadata, actors, quotes and sources."""
    store = _open(db)
    rec = store.get_record(doc_id)
    if rec is None:
        err.print(f"[red]error:[/] no document {escape(repr(doc_id))} in {escape(_shown(db))}")
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=1) + "\n")
        return
    if "duplicate_of" in rec:
        out.print(f"{escape(doc_id)} is a duplicate of {escape(rec['duplicate_of'])}; showing the original.")
        rec = rec["original"]
    from rasd.render import render_record

    render_record(rec, out, duplicates=store.duplicates_of(rec["doc_id"]))


@app.command()
def stats(
    db: DbOpt = "rasd.db",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    failures: Annotated[bool, typer.Option("--failures", help="List every recorded failure.")] = False,
) -> None:
    """Counts of documents, duplicates, failures, actors, events and quotes in a store."""
    store = _open(db)
    s = store.stats()
    if as_json:
        if failures:
            s["failures"] = store.failures()
        sys.stdout.write(json.dumps(s, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"Rasd store {escape(_shown(db))}", show_header=False)
    for k, v in s.items():
        table.add_row(k, escape(str(v)))
    out.print(table)
    if failures:
        for f in store.failures():
            where = f"{f['path']}:{f['line']}" if f["line"] else f["path"]
            out.print(f"[red]✗[/] \\[{f['code']}] {escape(where)}: {escape(f['reason'])}", highlight=False)


@app.command("export")
def export_cmd(
    db: DbOpt = "rasd.db",
    fmt: Annotated[str, typer.Option("--format", "-f", help="records | plover | csv | graphml")] = "records",
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only this PLOVER type, e.g. CONSULT.")] = None,
    status: Annotated[
        str | None, typer.Option(help="Only this status: occurred, future, hypothetical, negated, failed.")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this date (YYYY[-MM[-DD]]), inclusive.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY[-MM[-DD]]), inclusive.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only events of this actor (KB id or Wikidata id).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only events reported by this outlet.")] = None,
) -> None:
    """Export a store: article records (JSONL), PLOVER events (JSONL), events as CSV, the actor network (GraphML).

    Event formats have one item per merged event: the same event reported by several articles is one item
    listing every report.
    """
    from rasd.export import FORMATS, export
    from rasd.store.filters import check_date

    if fmt not in FORMATS:
        err.print(f"[red]error:[/] unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if db != ":memory:" and not is_postgres(db) and not Path(db).is_file():
        err.print(f"[red]error:[/] no store {escape(db)} (build one with `rasd ingest ... --db {escape(db)}`)")
        raise typer.Exit(2)
    try:
        check_date(start, "--from")
        check_date(end, "--to")
    except ValueError as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        raise typer.Exit(2) from e
    store = _open(db)
    filters = {"type": event_type, "status": status, "start": start, "end": end, "actor": actor, "outlet": outlet}
    try:
        if out_path is None:
            n = export(store, fmt, sys.stdout, **filters)
            sys.stdout.flush()
        else:
            with open(out_path, "w", encoding="utf-8", newline="") as f:
                n = export(store, fmt, f, **filters)
    except BrokenPipeError:  # the reader (head, less) stopped reading: not an error
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except (ValueError, OSError) as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        raise typer.Exit(2) from e
    finally:
        store.close()
    what = {"records": "records", "graphml": "edges"}.get(fmt, "events")
    err.print(f"{n} {what} written{f' to {out_path}' if out_path else ''}")


@app.command()
def serve(
    db: DbOpt = "rasd.db",
    host: Annotated[str, typer.Option(help="Interface to listen on (the default is this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the web UI and the JSON API (OpenAPI at /openapi.json) over a store."""
    _serve(db, host, port)


def _serve(db: str, host: str, port: int) -> None:
    import uvicorn

    from rasd.web import create_app

    try:
        web = create_app(db)
    except StoreError as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        raise typer.Exit(2) from e
    shown = f"[{host}]" if ":" in host else host
    out.print(
        f"Rasd is serving {escape(_shown(db))} at [bold]http://{shown}:{port}/[/] (Ctrl+C to stop)", highlight=False
    )
    sys.stdout.flush()
    # Keep-alive longer than uvicorn's 5 s: a browser (or a busy client) reusing a connection the server just
    # dropped sees a reset instead of an answer.
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False, timeout_keep_alive=30)


@app.command()
def demo(
    db: DbOpt = "rasd-demo.db",
    fresh: Annotated[bool, typer.Option(help="Start from an empty store.")] = True,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Then serve the web UI on the store.")] = False,
    host: Annotated[str, typer.Option(help="With --serve: interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="With --serve: TCP port.")] = 8000,
) -> None:
    """Build a store from the bundled sample articles and show what Rasd found in them (--serve: then browse it)."""
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    err.print(f"Sample corpus: {SAMPLES} ({len(list(SAMPLES.iterdir())) - 1} files)")
    # Ingest from a temporary copy so the package folder's README is not read as an article.
    with tempfile.TemporaryDirectory() as tmp:
        for p in SAMPLES.iterdir():
            if p.suffix in (".txt", ".html", ".jsonl"):
                shutil.copy(p, Path(tmp) / p.name)
        ingest([tmp], db=db, kb=None, ner="crf", batch_size=200, quiet=False)
    store = _open(db)
    s = store.stats()
    out.rule("Rasd demo")
    out.print(
        f"{s['documents']} articles analysed, {s['duplicates']} duplicates linked, {s['failed']} failed; "
        f"{s['actors']} actors, {s['quotes']} quotes, {s['sources']} cited sources."
    )
    table = Table("article", "published", "outlet", "actors", "quotes", "sources", title="Articles")
    for rec in store.iter_records():
        table.add_row(
            escape(rec["doc_id"]), rec["published"] or "-", escape(rec["outlet"] or "-"), str(len(rec["actors"])),
            str(len(rec["quotes"])), str(len(rec["sources"])),
        )  # fmt: skip
    out.print(table)
    quotes = store.conn.execute(
        "SELECT COALESCE(a.name_en, q.speaker_id), q.speaker_text, q.text, d.id FROM quotes q"
        " JOIN documents d ON d.rowid = q.doc_rowid LEFT JOIN actors a ON a.id = q.speaker_id"
        " WHERE q.speaker_id IS NOT NULL ORDER BY d.published NULLS FIRST, d.rowid, q.idx LIMIT 6"
    ).fetchall()
    out.rule("Some quotes")
    for speaker, stext, text, doc in quotes:
        quote = escape(text[:160] + ("…" if len(text) > 160 else ""))
        out.print(f"[bold]{escape(speaker)}[/] ({escape(stext or '')}) in {escape(doc)}:\n  «{quote}»")
    out.rule("Try")
    out.print(
        f"  rasd search 'روسيا' --db {db}\n  rasd show <article> --db {db}\n  rasd stats --db {db} --json\n"
        f"  rasd serve --db {db}"
    )
    if serve:
        store.close()
        out.rule("Web UI")
        _serve(db, host, port)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="JSONL, JSONL.gz, Parquet, WARC (files, folders or s3:// URIs).")],
    out_dir: Annotated[str, typer.Option("--out", help="Folder (or URI) for the Parquet tables.")],
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Ray cluster to use (auto, HOST:6379); default: a local one.")
    ] = None,
    num_cpus: Annotated[
        int | None, typer.Option("--num-cpus", help="Analysing actors (and CPUs of a local cluster).", min=1)
    ] = None,
    kb: KbOpt = None,
    ner: NerOpt = "crf",
) -> None:
    """Analyse an archive on Ray into Parquet tables; `rasd load` stores them. Needs `pip install 'rasd[scale]'`."""
    from rasd.scale.ray_batch import run_batch

    try:
        s = run_batch(paths, out_dir, address=ray_address, num_cpus=num_cpus, ner=ner, kb_paths=kb or ())
    except RuntimeError as e:
        err.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from e
    err.print(
        f"[bold]done[/] in {s.seconds:.1f} s ({s.per_second:.1f} articles/s): {s.documents} articles from"
        f" {s.inputs} input(s), {s.analysed} analysed, [red]{s.failed} failed[/]; tables in {escape(out_dir)}: "
        + ", ".join(f"{k} {v}" for k, v in s.tables.items()),
        highlight=False,
    )


@app.command()
def load(
    folder: Annotated[str, typer.Argument(help="The --out folder of `rasd batch`.")],
    db: DbOpt = "rasd.db",
) -> None:
    """Store the tables of `rasd batch`: the same store `rasd ingest` builds from the same input."""
    from rasd.scale.ray_batch import load as load_tables

    store = _open(db)
    t0 = time.perf_counter()
    try:
        summary = load_tables(folder, store)
    except (StoreError, RuntimeError) as e:
        err.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from e
    except OSError as e:  # no such folder, or not the output of `rasd batch`
        err.print(f"[red]error:[/] cannot read the tables in {escape(folder)}: {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from e
    finally:
        store.close()
    _print_summary(summary, time.perf_counter() - t0)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
