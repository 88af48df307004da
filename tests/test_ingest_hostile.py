"""Hostile inputs: huge single-line files, decompression bombs, deeply nested HTML, damaged archives, JSON with
the wrong type in every field, file names that are not UTF-8 or look like terminal markup.

Each must come back as a failure that names the file, be recorded in the store, and leave the rest of the batch
stored; `rasd ingest` exits 0 when the run completed (whatever failed) and non-zero only when it could not run.
Big files are written sparse (or compressed), so the tests stay fast and use no real disk.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasd.cli import app
from rasd.document import Document
from rasd.ingest import IngestFailure, iter_documents
from rasd.ingest.html import MAX_HTML_DEPTH, nesting_depth

runner = CliRunner()
MB = 1_000_000
BODY = (
    "قال وزير الخارجية إن المحادثات بين الوفدين ستستأنف الأسبوع المقبل في العاصمة لبحث ملف تبادل الأسرى.\n"
    "وأضاف أن الجولة السابقة انتهت دون اتفاق، لكن الطرفين أبديا استعدادا لمواصلة الحوار."
)
FLAT_BODY = BODY.replace("\n", " ")  # for JSON written by hand, where a raw newline would end the line
OTHER = "أعلنت الحكومة خطة جديدة لدعم المزارعين في المناطق الجنوبية بعد موسم جفاف طويل أضر بالمحاصيل."
GOOD_LINE = json.dumps({"id": "after", "text": OTHER}, ensure_ascii=False).encode("utf-8") + b"\n"


def read(path: Path, **kwargs: int) -> list[Document | IngestFailure]:
    return list(iter_documents([path], **kwargs))  # type: ignore[arg-type]


def sparse_file(path: Path, size: int, head: bytes = b"", tail: bytes = b"") -> Path:
    """`head`, then zero bytes up to `size`, then `tail`: a huge file in no time and no disk blocks."""
    with open(path, "wb") as f:
        f.write(head)
        f.seek(size - len(tail))
        f.write(tail)
        f.truncate(size)
    return path


def huge_jsonl(path: Path) -> Path:
    """A 100 MB first line (a record whose text never ends), then a good record."""
    return sparse_file(path, 100 * MB + len(GOOD_LINE), b'{"id": "huge", "text": "', b'"}\n' + GOOD_LINE)


def gzip_bomb(path: Path) -> Path:
    """A few hundred KB that unpack to a 100 MB single line, then a good record."""
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(b'{"id": "bomb", "text": "')
        chunk = "ا".encode() * (MB // 4)
        for _ in range(200):
            f.write(chunk)
        f.write(b'"}\n' + GOOD_LINE)
    assert path.stat().st_size < 2 * MB
    return path


def deep_html(path: Path, depth: int = 50_000) -> Path:
    page = f"<html><head><title>خبر</title></head><body>{'<div>' * depth}<p>{BODY}</p>{'</div>' * depth}</body></html>"
    path.write_text(page, encoding="utf-8")
    return path


def truncated_gzip(path: Path) -> Path:
    lines = [json.dumps({"id": f"cut{i}", "text": f"{BODY} ({i})"}, ensure_ascii=False) + "\n" for i in range(300)]
    data = gzip.compress("".join(lines).encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])
    return path


# ------------------------------------------------------------------------------------------------ readers


def test_100_mb_single_line_text_file_is_refused_unread(tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "huge.txt", 100 * MB, BODY.encode("utf-8"))
    [failure] = read(path)
    assert isinstance(failure, IngestFailure)
    assert (failure.path, failure.code, failure.reason) == (
        str(path),
        "too_large",
        "file too large: 100 MB (limit 20 MB)",
    )


@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [
        (huge_jsonl, "huge.jsonl", "line 1 too large: 100 MB (limit 2 MB)"),  # one 100 MB line
        (gzip_bomb, "bomb.jsonl.gz", None),  # a gzip that unpacks to 100 MB
    ],
)
def test_huge_lines_are_streamed_in_memory_bounded_by_the_limit(
    tmp_path: Path, make: Callable[[Path], Path], name: str, reason: str | None
) -> None:
    """The huge line fails, the next record is read, and memory follows the line limit, not the file."""
    path = make(tmp_path / name)
    tracemalloc.start()
    try:
        items = read(path, max_bytes=2 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * MB, f"peak {peak / MB:.1f} MB"
    first, second = items
    assert isinstance(first, IngestFailure) and (first.line, first.code) == (1, "too_large")
    if reason is not None:
        assert first.reason == reason
    assert isinstance(second, Document) and second.id == "after"


def test_deeply_nested_html_is_a_failure_that_says_why(tmp_path: Path) -> None:
    [failure] = read(deep_html(tmp_path / "deep.html"))
    assert isinstance(failure, IngestFailure) and failure.code == "no_text"
    assert failure.reason == f"HTML nested too deeply to parse (more than {MAX_HTML_DEPTH} levels): no main text found"
    [doc] = read(deep_html(tmp_path / "shallow.html", depth=200))  # deep, but within what the parser builds
    assert isinstance(doc, Document) and "المحادثات" in doc.text


def test_nesting_depth_ignores_void_and_optional_end_tags() -> None:
    assert nesting_depth("<div><p>a<p>b<br><img src=x><li>c<span>d</span></div>") == 2
    assert nesting_depth("<div/>" * 500) == 0
    assert nesting_depth("<div>" * 10_000) == MAX_HTML_DEPTH + 1  # stops counting past the limit


FIELDS = ("id", "title", "text", "published", "outlet", "url")
WRONG = {"list": ["نص"], "object": {"a": 1}, "boolean": True, "float": 1.5, "int": 7}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("kind", sorted(WRONG))
def test_a_wrong_type_in_any_field_is_a_schema_failure(tmp_path: Path, field: str, kind: str) -> None:
    record: dict[str, object] = {"id": "x", "title": "عنوان", "text": BODY, "published": "2024-05-01"}
    record[field] = WRONG[kind]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n" + GOOD_LINE)
    first, second = read(path)
    assert isinstance(second, Document) and second.id == "after"  # the next line is still read
    if field == "id" and kind == "int":
        assert isinstance(first, Document) and first.id == "7"  # integer ids are fine
        return
    assert isinstance(first, IngestFailure), first
    assert (first.line, first.code) == (1, "schema")
    expected = "a string or an integer" if field == "id" else "a string"
    assert first.reason == f"line 1: field '{field}' must be {expected}, got {kind}"


def test_every_field_wrong_at_once_in_every_json_shape(tmp_path: Path) -> None:
    record = {"id": [1], "title": {}, "text": 5, "published": 20240501, "outlet": False, "url": 3.5}
    (tmp_path / "all.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (tmp_path / "list.json").write_text(json.dumps([record, {"text": OTHER}]), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(record), encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    got = [(Path(x.path).name, x.code) if isinstance(x, IngestFailure) else x.id for x in items]
    assert got == [("all.jsonl", "schema"), ("list.json", "schema"), "list:2", ("one.json", "schema")]
    assert all("field 'text' must be a string, got int" in x.reason for x in items if isinstance(x, IngestFailure))


def test_json_that_python_cannot_hold(tmp_path: Path) -> None:
    """A 5,000-digit number (int conversion limit), NaN, 100,000 nested lists: failures, not exceptions."""
    lines = [
        b'{"text": "' + FLAT_BODY.encode() + b'", "id": ' + b"1" * 5000 + b"}",
        b'{"text": "' + FLAT_BODY.encode() + b'", "id": NaN}',
        b"[" * 100_000 + b"]" * 100_000,
    ]
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n" + GOOD_LINE)
    items = read(path)
    assert [(x.line, x.code) for x in items if isinstance(x, IngestFailure)] == [
        (1, "json"),
        (2, "schema"),
        (3, "json"),
    ]
    assert items[0].reason == "invalid JSON at line 1: number with too many digits"  # type: ignore[union-attr]
    assert items[2].reason == "invalid JSON at line 3: nested too deeply"  # type: ignore[union-attr]
    assert isinstance(items[3], Document)
    big = tmp_path / "big.json"
    big.write_bytes(b'[{"text": "x", "id": ' + b"9" * 5000 + b"}]")
    [failure] = read(big)
    assert isinstance(failure, IngestFailure) and failure.reason == "invalid JSON: number with too many digits"


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    r"""JSON may escape half a surrogate pair ("\ud800"): unencodable, it would stop the run when stored."""
    path = tmp_path / "s.jsonl"
    line = '{"id": "a\\udc00", "title": "\\ud800 عنوان", "text": "BODY \\ud83d"}\n'.replace("BODY", FLAT_BODY)
    path.write_text(line, encoding="utf-8")
    [doc] = read(path)
    assert isinstance(doc, Document)
    assert doc.id == "a\ufffd" and doc.meta.title == "\ufffd عنوان"
    assert doc.text == f"\ufffd عنوان\n\n{FLAT_BODY} \ufffd"  # one for one: offsets do not move
    doc.text.encode("utf-8")


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/\xff\xfe-news.txt"
    with open(raw, "wb") as f:
        f.write(BODY.encode("utf-8"))
    with open(os.fsencode(tmp_path) + b"/\xff-empty.txt", "wb"):
        pass
    failure, doc = list(iter_documents([tmp_path]))
    assert isinstance(doc, Document) and doc.id == "\ufffd\ufffd-news"
    assert isinstance(failure, IngestFailure) and failure.path.endswith("/\ufffd-empty.txt")
    failure.path.encode("utf-8")


# ------------------------------------------------------------------------------------------------ the command


@pytest.fixture
def hostile_batch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Good articles among hostile files; returns the folder and, per failing file, the code it must get."""
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate((BODY, OTHER)):
        (src / f"good{i}.txt").write_text(f"خبر {i}\n\n{text}", encoding="utf-8")
    sparse_file(src / "huge.txt", 100 * MB, BODY.encode("utf-8"))
    huge_jsonl(src / "huge.jsonl")
    gzip_bomb(src / "bomb.jsonl.gz")
    deep_html(src / "deep.html")
    truncated_gzip(src / "cut.jsonl.gz")
    (src / "types.jsonl").write_text(json.dumps({"text": BODY, "url": ["x"]}) + "\n", encoding="utf-8")
    (src / "bin.txt").write_bytes(bytes(range(256)) * 8)
    markup_dir = src / "x["
    markup_dir.mkdir()
    (markup_dir / "b].txt").write_bytes(b"")  # shown as .../x[/b].txt: rich markup if printed unescaped
    with open(os.fsencode(src) + b"/\xff.txt", "wb") as f:
        f.write(f"خبر آخر\n\n{BODY} {OTHER}".encode())
    expected = {
        "huge.txt": "too_large",
        "huge.jsonl": "too_large",
        "bomb.jsonl.gz": "too_large",
        "deep.html": "no_text",
        "cut.jsonl.gz": "gzip",
        "types.jsonl": "schema",
        "bin.txt": "binary",
        "x[/b].txt": "empty",
    }
    return src, expected


def test_ingest_reports_each_hostile_file_records_it_and_stores_the_rest(
    tmp_path: Path, hostile_batch: tuple[Path, dict[str, str]]
) -> None:
    src, expected = hostile_batch
    db = tmp_path / "h.db"
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--ner", "none", "--quiet"])
    assert res.exit_code == 0, res.output
    for name in expected:
        assert name in res.output, name
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT path, code FROM failures").fetchall()
    recorded = {os.path.relpath(path, src): code for path, code in rows}
    assert recorded == expected
    n_failed = len(expected)
    assert f"{n_failed} failed" in res.output
    assert f"completed with {n_failed} failed input(s)" in res.output
    stored = {r[0] for r in conn.execute("SELECT id FROM documents")}
    assert {"good0", "good1", "after", "\ufffd"} <= stored  # good files, good lines after huge ones, odd names
    assert {f"cut{i}" for i in range(5)} <= stored  # the archive's lines before the damage
    conn.close()
    again = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--ner", "none", "--quiet"])
    assert again.exit_code == 0 and "0 processed" in again.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == n_failed  # recorded once
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(stored)
    conn.close()


def test_ingest_of_nothing_but_bad_files_still_completes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.db"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "0 processed" in res.output and "completed with 2 failed input(s)" in res.output


def test_ingest_fails_only_when_it_cannot_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"خبر\n\n{BODY}", encoding="utf-8")
    no_folder = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "missing" / "s.db")])
    assert no_folder.exit_code == 2 and "does not exist" in no_folder.output
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an SQLite file" * 100)
    not_a_store = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(garbage)])
    assert not_a_store.exit_code == 2 and "cannot open store" in not_a_store.output
    assert garbage.read_bytes() == b"this is not an SQLite file" * 100  # left as it was


def test_markup_in_articles_and_file_names_is_printed_as_text(tmp_path: Path) -> None:
    """Article text and file names reach the terminal through rich: "[/x]" must print as itself, not raise."""
    src = tmp_path / "in"
    (src / "a[").mkdir(parents=True)
    (src / "a[" / "b].txt").write_bytes(b"")
    quote = "[/x] لن نقبل [red]أي شروط[/red] مسبقة في المفاوضات"
    text = f"خبر [bold]عاجل[/bold]\n\nقال وزير الخارجية الروسي سيرغي لافروف: «{quote}».\n"
    (src / "m.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "m.db")
    assert runner.invoke(app, ["ingest", str(src), "--db", db, "--ner", "none", "--quiet"]).exit_code == 0
    shown = runner.invoke(app, ["show", "m", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "خبر [bold]عاجل[/bold]" in shown.output and f"«{quote}»" in shown.output
    listed = runner.invoke(app, ["stats", "--db", db, "--failures"])
    assert listed.exit_code == 0 and "[empty] " in listed.output and "a[/b].txt: empty file" in listed.output
    missing = runner.invoke(app, ["show", "[/nope]", "--db", db])
    assert missing.exit_code == 1 and "[/nope]" in missing.output


def test_a_store_that_stops_accepting_writes_ends_the_run_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full mid-run: not a crash with a traceback, but exit 2, a reason, and the committed batches kept."""
    from rasd.store import Store

    texts = [
        BODY,
        OTHER,
        "افتتح رئيس البلدية جسرا جديدا فوق النهر يربط الحيين الشرقي والغربي بعد ثلاث سنوات من الأشغال المتواصلة.",
        "حذرت هيئة الأرصاد الجوية من موجة حر شديدة تضرب المناطق الساحلية خلال الأيام الخمسة المقبلة وتستمر طويلا.",
    ]
    for i, text in enumerate(texts):
        (tmp_path / f"a{i}.txt").write_text(f"خبر {i}\n\n{text}", encoding="utf-8")
    real = Store.add_document
    calls = {"n": 0}

    def full_disk(self: Store, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "add_document", full_disk)
    db = tmp_path / "full.db"
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "--ner", "none", "-q", "--batch-size", "2"])
    assert res.exit_code == 2, res.output
    assert "cannot write to store" in res.output and "database or disk is full" in res.output
    assert not Path(f"{db}.lock").exists()  # released on the way out
    monkeypatch.setattr(Store, "add_document", real)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2  # the first batch
    again = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "--ner", "none", "-q"])
    assert again.exit_code == 0 and "2 processed" in again.output and "2 already stored" in again.output
