"""Read article files (text, HTML, JSON, JSON lines, gzipped JSON lines, WARC web archives) and stdin into
Documents.

A corpus always has bad files. Reading never stops at one: every input yields either a `Document` or an
`IngestFailure` that names the file, the line when there is one, and a specific reason, so a run over
thousands of files reports exactly what it skipped and why.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from rasd.document import DocMeta, Document
from rasd.ingest.boilerplate import find_boilerplate
from rasd.ingest.encodings import DecodeError, arabic_letter_count, decode_bytes
from rasd.ingest.html import MAX_HTML_DEPTH, decode_html, extract_article, nesting_depth

__all__ = ["MIN_ARABIC_LETTERS", "IngestFailure", "iter_documents", "record_to_document"]

MIN_ARABIC_LETTERS = 20  # below this a "document" is a stub, an error page or not Arabic at all
_MAX_TITLE = 250
_FIELDS = ("id", "title", "text", "published", "outlet", "url")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_JSON_SUFFIXES = (".json",)
_GZ_SUFFIXES = (".jsonl.gz", ".ndjson.gz", ".json.gz")
_TEXT_SUFFIXES = (".txt",)
_HTML_SUFFIXES = (".html", ".htm")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_]|[+-]\d|Z)")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T)")
_WS = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not become a Document: where (path, line) and why (reason for people, code)."""

    path: str
    line: int | None
    reason: str
    code: str  # empty | binary | encoding | too_large | json | gzip | no_arabic | no_text | schema | warc | io


Result = Document | IngestFailure  # what the readers yield for each input


class _Failed(Exception):
    """Internal: carries a failure out of nested helpers."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


# ---------------------------------------------------------------------------------------------- helpers


def _mb(n: int) -> str:
    """52_400_000 → "52.4 MB", 20_000_000 → "20 MB" (small limits keep enough digits to differ)."""
    value = n / 1_000_000
    text = f"{value:.1f}" if value >= 1 else f"{value:.6f}"
    return (text.rstrip("0").rstrip(".") or "0") + " MB"


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {_mb(size)} (limit {_mb(limit)})"


def _clean(value: str) -> str:
    """Lone surrogates (JSON "\\ud800", undecodable file names) → U+FFFD, one for one: they cannot be encoded,
    so stored, hashed or printed they would stop the whole run; replacing them keeps every offset."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _clean_optional(value: str | None) -> str | None:
    return None if value is None else _clean(value)


def _first_title_line(text: str) -> str | None:
    """The first non-empty line when it is short enough to be a headline."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) < _MAX_TITLE else None
    return None


def _build(path: str, line: int | None, text: str, meta: DocMeta, *, what: str = "file") -> Result:
    """Final checks shared by every format, then the Document with its boilerplate spans."""
    text = _clean(text)
    meta = dataclasses.replace(
        meta,
        id=_clean(meta.id),
        title=_clean_optional(meta.title),
        outlet=_clean_optional(meta.outlet),
        url=_clean_optional(meta.url),
        source_path=_clean_optional(meta.source_path),
    )
    if not text.strip():
        return IngestFailure(path, line, f"empty {what}", "empty")
    letters = arabic_letter_count(text, up_to=MIN_ARABIC_LETTERS)
    if letters < MIN_ARABIC_LETTERS:
        detail = "no Arabic text" if letters == 0 else f"no Arabic text ({letters} Arabic letters)"
        return IngestFailure(path, line, detail, "no_arabic")
    return Document(text, meta, excluded=find_boilerplate(text))


def _kind(name: str) -> str | None:
    """The reader for a file name, or None for extensions we do not read."""
    lower = name.lower()
    if lower.endswith(_WARC_SUFFIXES):
        return "warc"
    if lower.endswith(_GZ_SUFFIXES):
        return "gz"
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(_JSON_SUFFIXES):
        return "json"
    if lower.endswith(_TEXT_SUFFIXES):
        return "txt"
    if lower.endswith(_HTML_SUFFIXES):
        return "html"
    return None


def _stem(path: Path) -> str:
    """File name without its format extension ("a.jsonl.gz" → "a", "x.y.txt" → "x.y")."""
    name = path.name
    lower = name.lower()
    for suffix in _WARC_SUFFIXES + _GZ_SUFFIXES + _JSONL_SUFFIXES + _JSON_SUFFIXES + _TEXT_SUFFIXES + _HTML_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return path.stem or name


# ---------------------------------------------------------------------------------------------- records


def normalize_published(value: str | None) -> str | None:
    """The calendar date as written ("2018-02-18T21:35:43+04:00" → "2018-02-18"), no time-zone shift."""
    if not value:
        return None
    m = _ISO_DATE.match(value) or _COMPACT_DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _type_name(value: Any) -> str:
    return {
        bool: "boolean",
        int: "int",
        float: "float",
        list: "list",
        dict: "object",
        str: "string",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _optional_str(record: dict[str, Any], name: str) -> str | None:
    """A string field, stripped; absent, null or blank → None; any other type is a schema error."""
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    raise _Failed(f"field '{name}' must be a string, got {_type_name(value)}", "schema")


def record_to_document(
    record: Any, *, default_id: str, path: str, line: int | None, where: str = ""
) -> Document | IngestFailure:
    """One JSON record → Document. Fields: id, title, text, published, outlet, url; the rest → `extra`."""
    prefix = f"{where}: " if where else ""
    if not isinstance(record, dict):
        reason = f"{prefix}expected a JSON object, got {_type_name(record)}"
        return IngestFailure(path, line, reason, "schema")
    try:
        if "text" not in record or record["text"] is None:
            raise _Failed("record has no 'text' field", "schema")
        text = record["text"]
        if not isinstance(text, str):
            raise _Failed(f"field 'text' must be a string, got {_type_name(text)}", "schema")
        raw_id = record.get("id")
        if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
            doc_id = default_id
        elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
            doc_id = str(raw_id).strip()
        else:
            raise _Failed(f"field 'id' must be a string or an integer, got {_type_name(raw_id)}", "schema")
        title = _optional_str(record, "title")
        published_raw = _optional_str(record, "published")
        outlet = _optional_str(record, "outlet")
        url = _optional_str(record, "url")
    except _Failed as e:
        return IngestFailure(path, line, prefix + e.reason, e.code)
    if not text.strip():
        return IngestFailure(path, line, f"{prefix}field 'text' is empty", "empty")
    if title and not _WS.sub(" ", text.lstrip()).startswith(_WS.sub(" ", title)):
        text = f"{title}\n\n{text}"
    published = normalize_published(published_raw)
    meta = DocMeta(
        id=doc_id,
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        published_basis="metadata" if published else None,
        source_path=path,
        extra={k: v for k, v in record.items() if k not in _FIELDS},
    )
    result = _build(path, line, text, meta, what="text")
    if isinstance(result, IngestFailure) and prefix:
        return IngestFailure(path, line, prefix + result.reason, result.code)
    return result


# ---------------------------------------------------------------------------------------------- JSON lines


def _decode_line(raw: bytes, first: bool) -> str:
    """A JSON line should be UTF-8; a Windows-1256 line is accepted when it decodes to Arabic."""
    if first and raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return decode_bytes(raw)[0]
    except DecodeError as e:
        raise _Failed(e.reason, e.code) from e


def _raw_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, bytes or None when the line is over max_bytes, size), reading bounded chunks only."""
    lineno = 0
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while True:  # skip the rest of the oversized line without keeping it
                more = stream.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield lineno, None, size
        else:
            yield lineno, raw, len(raw)


def _text_lines(stream: Iterable[str], max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """The same as `_raw_lines` for already decoded text (stdin, UTF-16 files)."""
    for lineno, line in enumerate(stream, 1):
        raw = line.encode("utf-8", "surrogatepass")
        yield (lineno, None, len(raw)) if len(raw) > max_bytes else (lineno, raw, len(raw))


def _json_line_documents(
    lines: Iterator[tuple[int, bytes | None, int]], path: str, stem: str, max_bytes: int
) -> Iterator[Document | IngestFailure]:
    for lineno, raw, size in lines:
        if raw is None:
            reason = f"line {lineno} too large: {_mb(size)} (limit {_mb(max_bytes)})"
            yield IngestFailure(path, lineno, reason, "too_large")
            continue
        try:
            line = _decode_line(raw, lineno == 1)
        except _Failed as e:
            yield IngestFailure(path, lineno, f"line {lineno}: {e.reason}", e.code)
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            reason = f"invalid JSON at line {lineno}: {e.msg} (col {e.colno})"
            yield IngestFailure(path, lineno, reason, "json")
            continue
        except RecursionError:
            yield IngestFailure(path, lineno, f"invalid JSON at line {lineno}: nested too deeply", "json")
            continue
        except ValueError as e:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
            yield IngestFailure(path, lineno, f"invalid JSON at line {lineno}: {_value_error(e)}", "json")
            continue
        where = f"line {lineno}"
        yield record_to_document(record, default_id=f"{stem}:{lineno}", path=path, line=lineno, where=where)


def _open_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """Lines of a JSON-lines stream; UTF-16 files (with BOM) are decoded as a text stream."""
    peek = getattr(stream, "peek", None)
    head = peek(4)[:2] if peek is not None else b""
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = io.TextIOWrapper(cast(BinaryIO, stream), encoding="utf-16", errors="replace")
        return _text_lines(text, max_bytes)
    return _raw_lines(stream, max_bytes)


def _read_jsonl(path: Path, shown: str, max_bytes: int) -> Iterator[Document | IngestFailure]:
    with open(path, "rb") as f:
        yield from _json_line_documents(_open_lines(f, max_bytes), shown, _stem(path), max_bytes)


def _read_gz(path: Path, shown: str, max_bytes: int) -> Iterator[Document | IngestFailure]:
    """Gzipped JSON lines, streamed: a damaged archive still yields every line before the damage."""
    read = [0]  # number of the last complete line, kept up to date by _counted

    def _counted(lines: Iterator[tuple[int, bytes | None, int]]) -> Iterator[tuple[int, bytes | None, int]]:
        for item in lines:
            read[0] = item[0]
            yield item

    with gzip.open(path, "rb") as f:
        try:
            lines = _counted(_open_lines(f, max_bytes))
            yield from _json_line_documents(lines, shown, _stem(path), max_bytes)
        except EOFError:
            last = read[0]
            yield IngestFailure(shown, None, f"truncated gzip stream after line {last}", "gzip")
        except gzip.BadGzipFile as e:
            yield IngestFailure(shown, None, f"not a gzip file ({e})", "gzip")
        except zlib.error as e:
            yield IngestFailure(shown, None, f"corrupt gzip stream after line {read[0]} ({e})", "gzip")


def _read_json(path: Path, shown: str, size: int, max_bytes: int) -> Iterator[Document | IngestFailure]:
    """A .json file: an array of records, one record, or (commonly mislabelled) JSON lines."""
    with open(path, "rb") as f:
        head = f.read(4096)
    first = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")[:1]  # skipping BOMs and UTF-16 NULs
    if first == b"{" and size > max_bytes:
        yield from _read_jsonl(path, shown, max_bytes)  # too big to be one record: JSON lines, streamed
        return
    if size > max_bytes:
        yield IngestFailure(shown, None, _too_large(size, max_bytes), "too_large")
        return
    try:
        text, _ = decode_bytes(path.read_bytes())
    except DecodeError as e:
        yield IngestFailure(shown, None, e.reason, e.code)
        return
    if not text.strip():
        yield IngestFailure(shown, None, "empty file", "empty")
        return
    stem = _stem(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
        if text.lstrip().startswith("{") and _parses_as_object(first_line):
            yield from _json_line_documents(_text_lines(io.StringIO(text), max_bytes), shown, stem, max_bytes)
        else:
            reason = f"invalid JSON at line {e.lineno}: {e.msg} (col {e.colno})"
            yield IngestFailure(shown, e.lineno, reason, "json")
        return
    except RecursionError:
        yield IngestFailure(shown, None, "invalid JSON: nested too deeply", "json")
        return
    except ValueError as e:
        yield IngestFailure(shown, None, f"invalid JSON: {_value_error(e)}", "json")
        return
    if isinstance(data, list):
        for i, record in enumerate(data, 1):
            where = f"item {i}"
            yield record_to_document(record, default_id=f"{stem}:{i}", path=shown, line=None, where=where)
    else:
        yield record_to_document(data, default_id=stem, path=shown, line=None)


def _parses_as_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _value_error(e: ValueError) -> str:
    """json.loads' non-syntax errors, said shortly: today only integers too long to convert."""
    return "number with too many digits" if "digits" in str(e) else str(e)[:200]


# ---------------------------------------------------------------------------------------------- text, HTML


def _read_bytes(path: Path, size: int, max_bytes: int) -> bytes:
    """The file's bytes, refusing oversized and empty files before decoding."""
    if size > max_bytes:
        raise _Failed(_too_large(size, max_bytes), "too_large")
    data = path.read_bytes()
    if not data:
        raise _Failed("empty file", "empty")
    return data


def _read_txt(path: Path, shown: str, size: int, max_bytes: int) -> Document | IngestFailure:
    try:
        text, _ = decode_bytes(_read_bytes(path, size, max_bytes))
    except (DecodeError, _Failed) as e:
        return IngestFailure(shown, None, e.reason, e.code)
    meta = DocMeta(id=_stem(path), title=_first_title_line(text), source_path=shown)
    return _build(shown, None, text, meta)


def _read_html(path: Path, shown: str, size: int, max_bytes: int) -> Document | IngestFailure:
    try:
        html, _ = decode_html(_read_bytes(path, size, max_bytes))
    except (DecodeError, _Failed) as e:
        return IngestFailure(shown, None, e.reason, e.code)
    return html_document(html, shown, None, _stem(path))


def html_document(
    html: str, shown: str, line: int | None, doc_id: str, url: str | None = None, what: str = "file"
) -> Document | IngestFailure:
    """The article of an HTML page (a file, or a response in a web archive at record `line`)."""
    where = f"record {line}: " if line else ""
    if not html.strip():
        return IngestFailure(shown, line, f"{where}empty {what}", "empty")
    article = extract_article(html)
    if article is None:
        if nesting_depth(html) > MAX_HTML_DEPTH:
            reason = f"HTML nested too deeply to parse (more than {MAX_HTML_DEPTH} levels): no main text found"
            return IngestFailure(shown, line, where + reason, "no_text")
        return IngestFailure(shown, line, f"{where}HTML page has no main text", "no_text")
    meta = DocMeta(
        id=doc_id,
        title=article.title,
        outlet=article.outlet,
        url=article.url or url,
        published=article.published,
        published_basis="metadata" if article.published else None,
        source_path=shown,
    )
    return _build(shown, line, article.document_text, meta, what=what)


# ---------------------------------------------------------------------------------------------- stdin


def _read_stdin(stream: TextIO, max_bytes: int) -> Iterator[Document | IngestFailure]:
    """stdin holds one article, or JSON lines when its first non-blank character is "{"."""
    shown = "-"
    head: list[str] = []
    try:
        for line in stream:
            head.append(line)
            if line.strip():
                break
        if head and head[-1].lstrip().startswith(("{", "\ufeff{")):
            lines = _text_lines(_chain(head, stream), max_bytes)
            yield from _json_line_documents(lines, shown, "stdin", max_bytes)
            return
        rest = stream.read(max_bytes + 1)
    except UnicodeDecodeError as e:
        yield IngestFailure(shown, None, f"stdin is not valid text ({e.reason})", "encoding")
        return
    except OSError as e:
        yield IngestFailure(shown, None, f"cannot read stdin: {e.strerror or e}", "io")
        return
    text = ("".join(head) + rest).removeprefix("\ufeff")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        yield IngestFailure(shown, None, f"stdin too large: more than {_mb(max_bytes)}", "too_large")
        return
    if not text.strip():
        yield IngestFailure(shown, None, "empty input", "empty")
        return
    meta = DocMeta(id="stdin", title=_first_title_line(text), source_path=shown)
    yield _build(shown, None, text, meta, what="input")


def _chain(head: list[str], rest: Iterable[str]) -> Iterator[str]:
    head[0] = head[0].removeprefix("\ufeff")
    yield from head
    yield from rest


# ---------------------------------------------------------------------------------------------- walking


def _walk(root: Path, shown: str, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, str] | IngestFailure]:
    """Files under a folder, sorted by name, depth first; hidden entries and symlink loops are skipped."""
    try:
        st = os.stat(root)
    except OSError as e:
        yield IngestFailure(shown, None, f"cannot read folder: {e.strerror or e}", "io")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return  # reached again through a symlink: a loop or a duplicate, never read twice
    seen.add(key)
    try:
        names = sorted(os.listdir(root))
    except OSError as e:
        yield IngestFailure(shown, None, f"cannot read folder: {e.strerror or e}", "io")
        return
    for name in names:
        if name.startswith("."):
            continue
        child = root / name
        child_shown = os.path.join(shown, name)
        try:
            is_dir = stat.S_ISDIR(os.stat(child).st_mode)
        except OSError as e:
            if _kind(name) is not None:  # a broken or looping link named like an article
                yield IngestFailure(child_shown, None, f"cannot read file: {e.strerror or e}", "io")
            continue
        if is_dir:
            yield from _walk(child, child_shown, seen)
        elif _kind(name) is not None:
            yield child, child_shown


def _read_file(path: Path, shown: str, max_bytes: int) -> Iterator[Document | IngestFailure]:
    for item in _read_one_file(path, shown, max_bytes):
        yield _clean_failure(item)


def _read_one_file(path: Path, shown: str, max_bytes: int) -> Iterator[Document | IngestFailure]:
    kind = _kind(path.name) or "txt"  # a file named explicitly is read even without a known extension
    try:
        size = os.stat(path).st_size
        if kind == "warc":
            from rasd.ingest.warc import read_warc

            yield from read_warc(path, shown, _stem(path), max_bytes)
        elif kind == "gz":
            yield from _read_gz(path, shown, max_bytes)
        elif kind == "jsonl":
            yield from _read_jsonl(path, shown, max_bytes)
        elif kind == "json":
            yield from _read_json(path, shown, size, max_bytes)
        elif kind == "html":
            yield _read_html(path, shown, size, max_bytes)
        else:
            yield _read_txt(path, shown, size, max_bytes)
    except OSError as e:
        yield IngestFailure(shown, None, f"cannot read file: {e.strerror or e}", "io")


def iter_documents(
    paths: Sequence[str | Path], *, stdin: TextIO | None = None, max_bytes: int = 20_000_000
) -> Iterator[Document | IngestFailure]:
    """Every article in `paths` (files, folders walked recursively, "-" for stdin), in a stable order.

    Yields a Document per article and an IngestFailure per input (or JSON line) that could not be read;
    one bad input never stops the others. Files over `max_bytes` fail, except JSON lines, which are
    streamed (only a single line over the limit fails).
    """
    for item in _iter_documents(paths, stdin, max_bytes):
        yield _clean_failure(item)


def _clean_failure(item: Result) -> Result:
    """A failure whose path (a file name that is not UTF-8) or reason holds surrogates, made storable."""
    if isinstance(item, IngestFailure) and (_SURROGATE.search(item.path) or _SURROGATE.search(item.reason)):
        return IngestFailure(_clean(item.path), item.line, _clean(item.reason), item.code)
    return item


def _iter_documents(
    paths: Sequence[str | Path], stdin: TextIO | None, max_bytes: int
) -> Iterator[Document | IngestFailure]:
    visited: set[tuple[int, int]] = set()
    for given in paths:
        shown = str(given)
        if shown == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, max_bytes)
            continue
        path = Path(given)
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            for item in _walk(path, shown, visited):
                if isinstance(item, IngestFailure):
                    yield item
                else:
                    yield from _read_file(item[0], item[1], max_bytes)
        elif not os.path.lexists(path):
            yield IngestFailure(shown, None, "no such file or folder", "io")
        else:
            yield from _read_file(path, shown, max_bytes)
