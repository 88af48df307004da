"""iter_documents: every input format and every bad input, with the fixtures written into tmp_path."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
from pathlib import Path

import pytest

from rasd.document import Document
from rasd.ingest import IngestFailure, iter_documents
from rasd.ingest.html import extract_article, find_publication_date
from rasd.ingest.readers import normalize_published

TITLE = "البرلمان يصادق على قانون الانتخابات الجديد"
BODY = (
    "صادق البرلمان في جلسته العامة اليوم على مشروع قانون الانتخابات الجديد بأغلبية واسعة.\n"
    "وقال رئيس المجلس إن القانون يضمن تمثيلا أفضل للشباب والنساء في المجالس المنتخبة.\n"
    "ومن المنتظر أن تجرى الانتخابات التشريعية المقبلة وفق أحكام هذا القانون في الخريف القادم."
)
ARTICLE = f"{TITLE}\n\n{BODY}\n"
OTHER = "التقى وزير الخارجية نظيره في العاصمة لبحث الأوضاع الإقليمية وسبل دعم الاستقرار في المنطقة."

SHARED_HTML = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "html"


def read(*paths: str | Path, **kwargs: object) -> list[Document | IngestFailure]:
    return list(iter_documents([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def docs(items: list[Document | IngestFailure]) -> list[Document]:
    return [x for x in items if isinstance(x, Document)]


def failures(items: list[Document | IngestFailure]) -> list[IngestFailure]:
    return [x for x in items if isinstance(x, IngestFailure)]


def one_failure(items: list[Document | IngestFailure]) -> IngestFailure:
    assert len(items) == 1, items
    (item,) = items
    assert isinstance(item, IngestFailure), item
    return item


# --------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("cp1256"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp1256"],
)
def test_txt_in_each_encoding(tmp_path: Path, encode: object) -> None:
    path = tmp_path / "qanun.txt"
    path.write_bytes(encode(ARTICLE))  # type: ignore[operator]
    (doc,) = read(path)
    assert isinstance(doc, Document)
    assert doc.text == ARTICLE
    assert doc.id == "qanun"
    assert doc.meta.title == TITLE
    assert doc.meta.published is None
    assert doc.meta.source_path == str(path)


def test_txt_keeps_text_as_is_and_long_first_line_is_no_title(tmp_path: Path) -> None:
    long_line = "كلمة " * 60
    text = f"\n  {long_line}\n{BODY}"
    (tmp_path / "a.b.txt").write_text(text, encoding="utf-8")
    (doc,) = read(tmp_path / "a.b.txt")
    assert isinstance(doc, Document)
    assert doc.text == text
    assert doc.id == "a.b"
    assert doc.meta.title is None


def test_txt_boilerplate_is_excluded(tmp_path: Path) -> None:
    text = f"{TITLE}\n{BODY}\nشارك هذا الخبر\nتحميل المزيد\n"
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    (doc,) = read(tmp_path / "x.txt")
    assert isinstance(doc, Document)
    assert [s.label for s in doc.excluded] == ["share", "load_more"]
    assert "تحميل" not in doc.analysed


# --------------------------------------------------------------------------------------------- folders


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "deep" / "z.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": 7, "text": OTHER}) + "\n", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".hidden" / "in.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04\x00\x00binary")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    items = read(tmp_path)
    assert not failures(items)
    assert [d.meta.source_path for d in docs(items)] == [
        str(tmp_path / "a.jsonl"),
        str(tmp_path / "b" / "a.txt"),
        str(tmp_path / "b" / "deep" / "z.txt"),
        str(tmp_path / "c.txt"),
    ]
    assert [d.id for d in docs(items)] == ["7", "a", "z", "c"]
    assert [d.id for d in docs(read(tmp_path))] == ["7", "a", "z", "c"]  # same order every run


def test_symlink_loop_in_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a link to itself: unreadable
    items = read(tmp_path)
    assert [d.id for d in docs(items)] == ["a"]
    (failure,) = failures(items)
    assert failure.code == "io"
    assert failure.path == str(tmp_path / "self.txt")


def test_broken_symlink_is_an_io_failure(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    failure = one_failure(read(tmp_path))
    assert failure.code == "io"


def test_missing_path(tmp_path: Path) -> None:
    failure = one_failure(read(tmp_path / "nope.txt"))
    assert failure.code == "io"
    assert failure.reason == "no such file or folder"


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        failure = one_failure(read(tmp_path))
        assert failure.code == "io"
        assert "Permission denied" in failure.reason
    finally:
        path.chmod(0o644)


# --------------------------------------------------------------------------------------------- bad files


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "w.txt").write_text("  \n\n ", encoding="utf-8")
    items = read(tmp_path)
    assert [(f.code, f.reason) for f in failures(items)] == [("empty", "empty file")] * 2


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x10" * 20)
    failure = one_failure(read(tmp_path))
    assert (failure.code, failure.reason) == ("binary", "binary file (NUL bytes)")


def test_invalid_utf8_not_arabic(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_bytes("Le président a déclaré à la télévision.".encode("latin-1"))
    failure = one_failure(read(tmp_path))
    assert failure.code == "encoding"
    assert failure.reason == "not valid UTF-8, UTF-16 or Windows-1256 text"


def test_no_arabic(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text("The parliament approved the new election law today.", encoding="utf-8")
    failure = one_failure(read(tmp_path))
    assert (failure.code, failure.reason) == ("no_arabic", "no Arabic text")


def test_too_few_arabic_letters(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Breaking news: عاجل", encoding="utf-8")
    assert one_failure(read(tmp_path)).code == "no_arabic"


def test_file_over_max_bytes(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(ARTICLE * 3, encoding="utf-8")
    (tmp_path / "big.html").write_text(f"<p>{ARTICLE * 3}</p>", encoding="utf-8")
    (tmp_path / "big.json").write_text(json.dumps([{"text": ARTICLE * 3}]), encoding="utf-8")
    items = read(tmp_path, max_bytes=500)
    assert [f.code for f in failures(items)] == ["too_large"] * 3
    pattern = r"file too large: [\d.]+ MB \(limit 0.0005 MB\)"
    assert all(re.fullmatch(pattern, f.reason) for f in failures(items))


def test_size_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(52_400_000)  # sparse: no real disk use
    failure = one_failure(read(path))
    assert failure.reason == "file too large: 52.4 MB (limit 20 MB)"


# --------------------------------------------------------------------------------------------- JSON


def write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_fields_extra_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    write_jsonl(
        path,
        [
            json.dumps(
                {
                    "id": 101,
                    "title": TITLE,
                    "text": BODY,
                    "published": "2018-02-18T21:35:43+04:00",
                    "outlet": "صحيفة المثال",
                    "url": "https://example.com/a",
                    "lang": "ar",
                    "tags": ["سياسة"],
                },
                ensure_ascii=False,
            ),
            json.dumps({"text": f"{TITLE}\n{BODY}", "title": TITLE, "published": "2015-07-21 02:51:32"}),
            "",
            json.dumps({"text": BODY, "published": "2022-11-18"}),
            json.dumps({"text": BODY, "published": "قبل ساعتين"}, ensure_ascii=False),
        ],
    )
    items = read(path)
    assert not failures(items)
    first, second, third, fourth = docs(items)
    assert first.id == "101"
    assert first.text == f"{TITLE}\n\n{BODY}"
    assert (first.meta.title, first.meta.outlet, first.meta.url) == (
        TITLE,
        "صحيفة المثال",
        "https://example.com/a",
    )
    assert (first.meta.published, first.meta.published_basis) == ("2018-02-18", "metadata")
    assert first.meta.extra == {"lang": "ar", "tags": ["سياسة"]}
    assert second.id == "feed:2"
    assert second.text == f"{TITLE}\n{BODY}"  # already starts with the title: not repeated
    assert second.meta.published == "2015-07-21"
    assert (third.id, third.text, third.meta.published) == ("feed:4", BODY, "2022-11-18")
    assert (fourth.meta.published, fourth.meta.published_basis) == (None, None)


def test_invalid_json_line_between_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    write_jsonl(path, [json.dumps({"text": BODY}), '{"text": "نص" "id": 3}', json.dumps({"text": OTHER})])
    items = read(path)
    assert [type(x).__name__ for x in items] == ["Document", "IngestFailure", "Document"]
    failure = items[1]
    assert isinstance(failure, IngestFailure)
    assert (failure.path, failure.line, failure.code) == (str(path), 2, "json")
    assert failure.reason == "invalid JSON at line 2: Expecting ',' delimiter (col 15)"
    assert [d.id for d in docs(items)] == ["mixed:1", "mixed:3"]


@pytest.mark.parametrize(
    ("record", "code", "reason"),
    [
        ({"text": 5}, "schema", "line 1: field 'text' must be a string, got int"),
        ({"text": BODY, "title": ["x"]}, "schema", "line 1: field 'title' must be a string, got list"),
        (
            {"text": BODY, "id": {"a": 1}},
            "schema",
            "line 1: field 'id' must be a string or an integer, got object",
        ),
        ({"title": TITLE}, "schema", "line 1: record has no 'text' field"),
        ({"text": "  "}, "empty", "line 1: field 'text' is empty"),
        ([1, 2], "schema", "line 1: expected a JSON object, got list"),
        ({"text": "short English text"}, "no_arabic", "line 1: no Arabic text"),
    ],
)
def test_jsonl_bad_records(tmp_path: Path, record: object, code: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, [json.dumps(record, ensure_ascii=False)])
    failure = one_failure(read(path))
    assert (failure.line, failure.code, failure.reason) == (1, code, reason)


def test_json_list_object_and_lines(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(
        json.dumps([{"text": BODY}, {"id": "x", "text": OTHER}, {"text": 1}]), encoding="utf-8"
    )
    (tmp_path / "one.json").write_text(json.dumps({"text": BODY, "title": TITLE}, indent=2), encoding="utf-8")
    (tmp_path / "rows.json").write_text(
        json.dumps({"text": BODY}) + "\n" + json.dumps({"text": OTHER}) + "\n", encoding="utf-8"
    )
    (tmp_path / "broken.json").write_text('[{"text": "نص"},', encoding="utf-8")
    items = read(tmp_path)
    assert [(x.path.rsplit("/", 1)[-1], x.line, x.code) for x in failures(items)] == [
        ("broken.json", 1, "json"),
        ("list.json", None, "schema"),
    ]
    assert [d.id for d in docs(items)] == ["list:1", "x", "one", "rows:1", "rows:2"]
    assert docs(items)[2].text == f"{TITLE}\n\n{BODY}"


def test_json_utf16(tmp_path: Path) -> None:
    data = json.dumps([{"text": BODY}], ensure_ascii=False)
    (tmp_path / "u.json").write_bytes(codecs.BOM_UTF16_LE + data.encode("utf-16-le"))
    (tmp_path / "u.jsonl").write_bytes(codecs.BOM_UTF16_BE + (data[1:-1] + "\n").encode("utf-16-be"))
    items = read(tmp_path)
    assert [d.text for d in docs(items)] == [BODY, BODY]


def test_jsonl_is_streamed_but_a_huge_line_fails(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    records = [{"text": BODY}, {"text": BODY * 20}, {"text": OTHER}]
    write_jsonl(path, [json.dumps(r, ensure_ascii=False) for r in records])
    assert path.stat().st_size > 1000
    items = read(path, max_bytes=1000)
    assert [type(x).__name__ for x in items] == ["Document", "IngestFailure", "Document"]
    failure = items[1]
    assert isinstance(failure, IngestFailure)
    assert (failure.line, failure.code) == (2, "too_large")
    assert failure.reason.startswith("line 2 too large: ")


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({"id": f"n{i}", "text": BODY}) + "\n")
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(json.dumps({"text": OTHER}).encode()))
    items = read(tmp_path)
    assert [d.id for d in docs(items)] == ["b:1", "n0", "n1", "n2"]


def test_truncated_gzip_yields_lines_read_then_fails(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "text": BODY + f" ({i})"}) + "\n" for i in range(400)]
    data = gzip.compress("".join(lines).encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    *good, last = items
    assert good and all(isinstance(x, Document) for x in good)
    assert [d.id for d in docs(good)] == [str(i) for i in range(len(good))]
    assert isinstance(last, IngestFailure)
    assert last.code == "gzip"
    assert last.reason == f"truncated gzip stream after line {len(good)}"


def test_not_a_gzip_file(tmp_path: Path) -> None:
    (tmp_path / "fake.jsonl.gz").write_text(json.dumps({"text": BODY}), encoding="utf-8")
    assert one_failure(read(tmp_path)).code == "gzip"


def test_normalize_published() -> None:
    assert normalize_published("2018-02-18T21:35:43+04:00") == "2018-02-18"
    assert normalize_published("2018-02-18T23:35:43-11:00") == "2018-02-18"  # no time-zone shift
    assert normalize_published("2015-07-21 02:51:32") == "2015-07-21"
    assert normalize_published("2022-11-18") == "2022-11-18"
    assert normalize_published("2022-02-30") is None
    assert normalize_published("أمس") is None
    assert normalize_published("") is None


# --------------------------------------------------------------------------------------------- stdin


def test_stdin_text() -> None:
    items = read("-", stdin=io.StringIO(ARTICLE))
    (doc,) = items
    assert isinstance(doc, Document)
    assert (doc.id, doc.text, doc.meta.title) == ("stdin", ARTICLE, TITLE)


def test_stdin_json_lines() -> None:
    good_1, good_2 = json.dumps({"text": BODY}), json.dumps({"id": "z", "text": OTHER})
    data = f"\n  {good_1}\nnot json\n{good_2}\n"
    items = read("-", stdin=io.StringIO(data))
    assert [type(x).__name__ for x in items] == ["Document", "IngestFailure", "Document"]
    assert [d.id for d in docs(items)] == ["stdin:2", "z"]
    assert failures(items)[0].line == 3


def test_stdin_empty_and_too_large() -> None:
    assert one_failure(read("-", stdin=io.StringIO("  \n"))).code == "empty"
    assert one_failure(read("-", stdin=io.StringIO(ARTICLE * 10), max_bytes=200)).code == "too_large"


# --------------------------------------------------------------------------------------------- HTML

PAGE = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="utf-8">
<title>{TITLE} - جريدة المثال</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="جريدة المثال">
<meta property="og:url" content="https://news.example.com/politics/2021/03/14/qanun">
<meta property="article:published_time" content="2021-03-14T09:30:00+03:00">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a> <a href="/sport">رياضة</a></nav>
<article>
<h1>{TITLE}</h1>
<p>صادق البرلمان في جلسته العامة اليوم على مشروع قانون الانتخابات الجديد بأغلبية واسعة بعد نقاش طويل.</p>
<p>وقال رئيس المجلس إن القانون يضمن تمثيلا أفضل للشباب والنساء في المجالس المنتخبة على المستويين الوطني
والمحلي.</p>
<p>ومن المنتظر أن تجرى الانتخابات التشريعية المقبلة وفق أحكام هذا القانون في الخريف القادم،
حسب مصادر رسمية.</p>
<p>وانتقدت أحزاب المعارضة بعض مواد القانون واعتبرت أنها لا تستجيب لمطالبها بتوسيع الرقابة المستقلة.</p>
</article>
<footer><p>© 2021 جريدة المثال. جميع الحقوق محفوظة.</p></footer>
</body></html>
"""


def test_html_article(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (doc,) = read(tmp_path)
    assert isinstance(doc, Document)
    assert doc.id == "page"
    assert doc.meta.title == TITLE
    assert doc.meta.outlet == "جريدة المثال"
    assert doc.meta.url == "https://news.example.com/politics/2021/03/14/qanun"
    assert (doc.meta.published, doc.meta.published_basis) == ("2021-03-14", "metadata")
    title, main = doc.text.split("\n\n", 1)
    assert title == TITLE
    assert main.split("\n")[0].startswith("صادق البرلمان في جلسته العامة")
    assert "وانتقدت أحزاب المعارضة" in main
    assert "الرئيسية" not in main


def test_html_cp1256_declared_charset(tmp_path: Path) -> None:
    page = PAGE.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    )
    (tmp_path / "old.htm").write_bytes(page.encode("cp1256"))
    (doc,) = read(tmp_path)
    assert isinstance(doc, Document)
    assert doc.meta.title == TITLE
    assert "وقال رئيس المجلس" in doc.text


def test_html_iso_8859_6_declared_charset(tmp_path: Path) -> None:
    text = "وقال رئيس المجلس إن القانون يضمن تمثيلا أفضل للشباب والنساء في المجالس المنتخبة."
    page = f'<html><head><meta charset="ISO-8859-6"></head><body><p>{text}</p></body></html>'
    (tmp_path / "iso.html").write_bytes(page.encode("iso8859_6"))
    (doc,) = read(tmp_path)
    assert isinstance(doc, Document)
    assert text in doc.text


def test_truncated_html_still_gives_text(tmp_path: Path) -> None:
    cut = PAGE[: PAGE.index("حسب مصادر رسمية")]
    (tmp_path / "cut.html").write_text(cut, encoding="utf-8")
    (doc,) = read(tmp_path)
    assert isinstance(doc, Document)
    assert "وقال رئيس المجلس" in doc.text


def test_html_without_main_text(tmp_path: Path) -> None:
    page = "<html><head><title>x</title></head><body><img src='a.png'><script>var a=1;</script></body></html>"
    (tmp_path / "empty.html").write_text(page, encoding="utf-8")
    failure = one_failure(read(tmp_path))
    assert (failure.code, failure.reason) == ("no_text", "HTML page has no main text")


def test_paragraph_fallback_for_a_short_page() -> None:
    text = "أعلنت اللجنة نتائج الانتخابات البلدية في المحافظات الجنوبية."
    article = extract_article(f"<html><body><div><p>{text}</p></div></body></html>")
    assert article is not None
    assert text in article.text


def test_date_padded_by_year_only_is_dropped() -> None:
    page = f"<html><body><p>{BODY}</p><footer>© 2013 جريدة المثال</footer></body></html>"
    assert find_publication_date(page) is None


# --------------------------------------------------------------------------------------------- real pages


def _manifest() -> list[dict[str, str]]:
    if not (SHARED_HTML / "MANIFEST.json").exists():
        pytest.skip("shared HTML pages not available")
    return json.loads((SHARED_HTML / "MANIFEST.json").read_text(encoding="utf-8"))


def test_real_pages_dates_match_gold() -> None:
    checked = 0
    for entry in _manifest():
        gold = entry.get("gold_publication_date")
        (doc,) = read(SHARED_HTML / entry["file"])
        assert isinstance(doc, Document), doc
        assert doc.meta.title
        if gold:
            assert doc.meta.published == gold, entry["file"]
            checked += 1
    assert checked >= 4


def test_real_page_main_text_matches_expected() -> None:
    for entry in _manifest():
        if "expected_text" not in entry:
            continue
        expected = (SHARED_HTML / entry["expected_text"]).read_text(encoding="utf-8")
        (doc,) = read(SHARED_HTML / entry["file"])
        assert isinstance(doc, Document)
        first_paragraphs = [p.strip() for p in expected.split("\n") if p.strip()][:2]
        for paragraph in first_paragraphs:
            assert paragraph in doc.text


def test_real_page_snippets() -> None:
    for entry in _manifest():
        if "expected_json" not in entry:
            continue
        (spec,) = json.loads((SHARED_HTML / entry["expected_json"]).read_text(encoding="utf-8")).values()
        (doc,) = read(SHARED_HTML / entry["file"])
        assert isinstance(doc, Document)
        for snippet in spec["with"]:
            assert snippet in doc.analysed
        for snippet in spec["without"]:
            assert snippet not in doc.text
