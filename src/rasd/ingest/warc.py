"""Read WARC web archives (.warc, .warc.gz): every HTML page a crawler stored becomes one article.

Crawls (Common Crawl, Heritrix, wget --warc-file, Browsertrix) keep each page as a `response` record: HTTP
headers, then the page. Only successful HTML responses are articles; requests, metadata, redirects, images and
scripts are crawl furniture and are passed over without a word. A page is read like an .html file (main text,
title, date, outlet); its id is `<archive name>:<record number>` and its URL, when the page names none, is the
record's target URI. A damaged archive yields every page before the damage and one failure naming where it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasd.document import Document
from rasd.ingest.encodings import DecodeError
from rasd.ingest.html import decode_html
from rasd.ingest.readers import IngestFailure, html_document

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and ctype.startswith(_HTML_TYPES)


def read_warc(path: Path, shown: str, stem: str, max_bytes: int) -> Iterator[Document | IngestFailure]:
    """The articles of one archive, in record order (see the module docstring)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - warcio is a dependency
        yield IngestFailure(shown, None, "reading WARC files needs warcio (pip install warcio)", "io")
        return
    n = 0
    with open(path, "rb") as f:
        records = iter(ArchiveIterator(f, arc2warc=True, check_digests=True))
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as e:  # warcio raises several kinds for a damaged archive; none stops the run
                after = f" after record {n}" if n else ""
                detail = str(e).strip() or type(e).__name__
                yield IngestFailure(shown, n + 1, f"damaged WARC archive{after}: {detail}", "warc")
                return
            n += 1
            if not _is_html_page(record):
                continue
            try:
                data = record.content_stream().read(max_bytes + 1)
            except Exception as e:  # a payload cut short or badly compressed
                yield IngestFailure(shown, n, f"record {n}: cannot read the page ({e})", "warc")
                continue
            if len(data) > max_bytes:
                yield IngestFailure(shown, n, f"record {n}: page larger than {max_bytes:,} bytes", "too_large")
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:  # the archive ended inside this record
                yield IngestFailure(shown, n, f"damaged WARC archive: record {n} is cut short", "warc")
                return
            if record.digest_checker.passed is False:
                problems = "; ".join(record.digest_checker.problems)
                yield IngestFailure(shown, n, f"record {n}: the page does not match its digest ({problems})", "warc")
                continue
            try:
                html, _ = decode_html(data)
            except DecodeError as e:
                yield IngestFailure(shown, n, f"record {n}: {e.reason}", e.code)
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield html_document(html, shown, n, f"{stem}:{n}", url=url, what="page")
