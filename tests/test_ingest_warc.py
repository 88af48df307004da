"""WARC web archives: each successful HTML response is one article; crawl furniture is passed over; a damaged
archive keeps the pages before the damage and records one failure."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from rasd import api
from rasd.ingest.readers import IngestFailure, iter_documents

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

PAGE = """<html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="صحيفة الاختبار"></head><body><article><h1>{title}</h1>
<p>{body}</p><p>وأضاف المتحدث أن الجانبين اتفقا على مواصلة المشاورات خلال الأسابيع المقبلة في العاصمة.</p>
</article></body></html>"""
BODIES = [
    ("وزير الخارجية يزور عمّان", "التقى وزير الخارجية نظيره الأردني في عمّان يوم الأحد لبحث التعاون الإقليمي."),
    ("اتصال هاتفي بين الرئيسين", "أجرى الرئيس المصري اتصالاً هاتفياً بالرئيس التونسي تناول العلاقات الثنائية."),
]


def _record(
    writer: WARCWriter, url: str, payload: bytes, ctype: str = "text/html; charset=utf-8", status: str = "200 OK"
):
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)


def write_warc(path: Path, pages: list[tuple[str, str]] = BODIES, gz: bool = True) -> None:
    """Pages (title, body) as responses, each after its request; then an image, a redirect and a page with no
    Arabic text."""
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "rasd tests"}))
        for i, (title, body) in enumerate(pages):
            url = f"https://news.example/{i}"
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            w.write_record(_record(w, url, PAGE.format(title=title, body=body).encode()))
        w.write_record(_record(w, "https://news.example/logo.png", b"\x89PNG....", ctype="image/png"))
        w.write_record(_record(w, "https://news.example/old", b"", status="301 Moved Permanently"))
        w.write_record(
            _record(w, "https://news.example/empty", b"<html><body><p>Subscribe to our newsletter.</p></body></html>")
        )


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_each_html_response_is_an_article(tmp_path: Path, name: str) -> None:
    write_warc(tmp_path / name, gz=name.endswith(".gz"))
    items = list(iter_documents([tmp_path / name]))
    docs = [i for i in items if not isinstance(i, IngestFailure)]
    assert [d.meta.id for d in docs] == ["crawl:3", "crawl:5"]  # record numbers in the archive
    assert [d.meta.url for d in docs] == ["https://news.example/0", "https://news.example/1"]
    assert docs[0].meta.title == BODIES[0][0] and BODIES[0][1] in docs[0].text
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert [(f.line, f.code) for f in failures] == [(8, "no_arabic")]  # a page with no Arabic text, by record


def test_a_damaged_archive_keeps_the_pages_before_the_damage(tmp_path: Path) -> None:
    write_warc(tmp_path / "full.warc.gz")
    data = (tmp_path / "full.warc.gz").read_bytes()
    cut = data[: int(len(data) * 0.6)]
    (tmp_path / "cut.warc.gz").write_bytes(cut)
    items = list(iter_documents([tmp_path / "cut.warc.gz"]))
    docs = [i for i in items if not isinstance(i, IngestFailure)]
    assert [d.meta.id for d in docs] == ["cut:3"]
    assert isinstance(items[-1], IngestFailure) and items[-1].code == "warc" and "damaged" in items[-1].reason


def test_not_a_warc_file_is_one_failure(tmp_path: Path) -> None:
    (tmp_path / "fake.warc.gz").write_bytes(gzip.compress(b"this is not an archive\n" * 10))
    (items,) = list(iter_documents([tmp_path / "fake.warc.gz"]))
    assert isinstance(items, IngestFailure) and items.code == "warc"


def test_warc_in_a_folder_is_ingested(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_warc(tmp_path / "in" / "crawl.warc.gz")
    with api.open_store(str(tmp_path / "s.db")) as store:
        summary = api.ingest([tmp_path / "in"], store)
        assert summary.processed == 2 and [f.code for f in summary.failed] == ["no_arabic"]
        rec = store.get_record("crawl:5")
        assert rec["url"] == "https://news.example/1" and rec["outlet"] == "صحيفة الاختبار"


def test_a_page_altered_after_the_crawl_fails_its_digest(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc", gz=False)
    data = (tmp_path / "crawl.warc").read_bytes()
    (tmp_path / "crawl.warc").write_bytes(data.replace("الإقليمي".encode(), "الاقليمي".encode()))  # same length
    items = list(iter_documents([tmp_path / "crawl.warc"]))
    assert [d.meta.id for d in items if not isinstance(d, IngestFailure)] == ["crawl:5"]
    bad = [i for i in items if isinstance(i, IngestFailure) and i.code == "warc"]
    assert len(bad) == 1 and bad[0].line == 3 and "digest" in bad[0].reason
