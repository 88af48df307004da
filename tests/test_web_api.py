"""The web app (`rasd serve`) through FastAPI's TestClient, on a store of the bundled samples plus a hostile article."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rasd.cli import app as cli
from rasd.store import StoreError
from rasd.web import create_app

pytest.importorskip("httpx")
HOSTILE_ID = "hostile_article"  # written by the web_db fixture (conftest.py)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest) -> TestClient:
    """The app over the same store in SQLite, then in PostgreSQL: every API test runs on both."""
    db = request.getfixturevalue("web_db" if request.param == "sqlite" else "pg_web_db")
    with TestClient(create_app(db)) as c:
        yield c


def get(client: TestClient, url: str, expect: int = 200, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == expect, (url, r.status_code, r.text[:300])
    return r.json() if r.headers["content-type"].startswith("application/json") else r.text


# -- the JSON API ------------------------------------------------------------------------------------------------
def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = set(get(client, "/openapi.json")["paths"])
    for p in ("/api/documents", "/api/documents/{doc_id}", "/api/actors", "/api/actors/{actor_id}", "/api/events",
              "/api/quotes", "/api/search", "/api/timeline", "/api/network", "/api/stats", "/api/facets"):  # fmt: skip
        assert p in paths, p
    assert not any(p.startswith(("/documents", "/search", "/static")) for p in paths)  # pages stay out of the API


def test_documents_list_and_pagination(client: TestClient) -> None:
    all_docs = get(client, "/api/documents", limit=200)
    assert all_docs["total"] == 11  # ten sample articles (one more republishes another) and the hostile one
    assert {"id", "title", "outlet", "published", "actors", "events", "quotes"} <= set(all_docs["results"][0])
    published = [d["published"] for d in all_docs["results"] if d["published"]]
    assert published == sorted(published, reverse=True)
    first = get(client, "/api/documents", limit=3)
    second = get(client, "/api/documents", limit=3, offset=3)
    assert len(first["results"]) == 3 and first["total"] == 11
    assert [d["id"] for d in first["results"] + second["results"]] == [d["id"] for d in all_docs["results"][:6]]
    assert get(client, "/api/documents", offset=500)["results"] == []


@pytest.mark.parametrize(
    "url, params",
    [
        ("/api/documents", {"limit": 201}),
        ("/api/events", {"limit": 0}),
        ("/api/quotes", {"offset": -1}),
        ("/api/actors", {"offset": 10**9}),
        ("/api/events", {"start": "yesterday"}),
        ("/api/events", {"status": "maybe"}),
        ("/api/documents", {"actor": "x" * 301}),
        ("/api/network", {"max_edges": 5000}),
        ("/api/timeline", {"interval": "year"}),
        ("/api/search", {}),
    ],
)
def test_page_sizes_and_parameters_are_capped(client: TestClient, url: str, params: dict[str, Any]) -> None:
    r = client.get(url, params=params)
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


def test_document_filters(client: TestClient) -> None:
    by_outlet = get(client, "/api/documents", outlet="مجلة آفاق سياسية")
    assert by_outlet["total"] >= 1 and {d["outlet"] for d in by_outlet["results"]} == {"مجلة آفاق سياسية"}
    in_2025 = get(client, "/api/documents", start="2025-01-01", end="2025-12-31", limit=200)
    assert in_2025["total"] >= 5 and all(d["published"].startswith("2025") for d in in_2025["results"])
    assert get(client, "/api/documents", start="2025", end="2025")["total"] == in_2025["total"]
    putin = get(client, "/api/documents", actor="vladimir_putin", limit=200)
    assert HOSTILE_ID in {d["id"] for d in putin["results"]}
    for d in putin["results"]:
        rec = get(client, f"/api/documents/{d['id']}")
        assert "vladimir_putin" in {a["kb_id"] for a in rec["actors"]}
    consult = get(client, "/api/documents", type="CONSULT", limit=200)
    assert 0 < consult["total"] < 11


def _republished(client: TestClient) -> str:
    """The id of the sample article that another one republishes (which copy comes first is the reader's order)."""
    docs = get(client, "/api/documents", limit=200)["results"]
    return next(d["id"] for d in docs if d["duplicates"])


def test_one_document_and_404(client: TestClient) -> None:
    original = _republished(client)
    rec = get(client, f"/api/documents/{original}")
    assert rec["doc_id"] == original and rec["text"] and rec["actors"]
    for a in rec["actors"]:
        for m in a["mentions"]:
            assert rec["text"][m["start"] : m["end"]] == m["text"]
    dup = rec["duplicates"][0]["doc_id"]
    assert get(client, f"/api/documents/{dup}")["duplicate_of"] == original
    assert get(client, "/api/documents/no-such-article", 404) == {"detail": "no document 'no-such-article'"}


def test_actors_list_and_dossier(client: TestClient) -> None:
    top = get(client, "/api/actors", limit=5)
    assert top["total"] > 50 and len(top["results"]) == 5
    docs = [a["documents"] for a in top["results"]]
    assert docs == sorted(docs, reverse=True)
    people = get(client, "/api/actors", kind="person", limit=200)
    assert {a["kind"] for a in people["results"]} == {"person"}
    assert "vladimir_putin" in {a["id"] for a in get(client, "/api/actors", name="بوتين")["results"]}
    trump = get(client, "/api/actors/donald_trump")
    assert trump["name_en"] == "Donald Trump" and trump["documents"] >= 5
    assert [r["start"] for r in trump["roles"]] == ["2017-01-20", "2025-01-20"]  # roles over time, from the KB
    assert trump["aliases"] and trump["surface_forms"]
    assert trump["events_as_actor_total"] >= 1 and trump["quotes_total"] >= 1
    assert all(q["speaker_id"] == "donald_trump" for q in trump["quotes"])
    for e in trump["events_as_actor"]:
        assert "donald_trump" in {a["id"] for a in e["actors_a"]}
    for e in trump["events_as_recipient"]:
        assert "donald_trump" in {a["id"] for a in e["actors_b"]}
    assert "vladimir_putin" in {c["id"] for c in trump["co_occurring"]}
    assert sum(m["count"] for m in trump["mentions_over_time"]) == trump["documents"]
    get(client, "/api/actors/nobody_at_all", 404)


def test_events_and_their_filters(client: TestClient) -> None:
    every = get(client, "/api/events", limit=200)
    assert every["total"] == len(every["results"]) > 20
    days = [e["day"] for e in every["results"] if e["day"]]
    assert days == sorted(days, reverse=True)
    assert all(e["day"] is None for e in every["results"][len(days) :])  # undated (nor is the article) come last
    for e in every["results"][:10]:
        assert e["type"] and e["status"] and e["evidence"]["text"]
        one = get(client, f"/api/events/{e['id']}")
        assert one["evidence"] == e["evidence"] and "sources" in one
    consult = get(client, "/api/events", type="CONSULT", limit=200)
    assert 0 < consult["total"] < every["total"] and {e["type"] for e in consult["results"]} == {"CONSULT"}
    future = get(client, "/api/events", status="future", limit=200)
    assert {e["status"] for e in future["results"]} == {"future"}
    lavrov = get(client, "/api/events", actor="sergey_lavrov", limit=200)
    assert lavrov["total"] >= 1
    for e in lavrov["results"]:
        assert "sergey_lavrov" in {a["id"] for a in e["actors_a"] + e["actors_b"]}
    window = get(client, "/api/events", start="2025-02-01", end="2025-03-31", limit=200)
    assert window["total"] >= 1 and all("2025-02-01" <= e["day"] <= "2025-03-31" for e in window["results"])
    get(client, "/api/events/alaska_summit_2025:999", 404)
    get(client, "/api/events/not-an-event", 404)


def test_quotes(client: TestClient) -> None:
    every = get(client, "/api/quotes", limit=200)
    assert every["total"] > 20
    lavrov = get(client, "/api/quotes", actor="sergey_lavrov")
    assert lavrov["total"] >= 1 and {q["speaker_id"] for q in lavrov["results"]} == {"sergey_lavrov"}
    assert all(q["text"] for q in lavrov["results"])


def test_search(client: TestClient) -> None:
    res = get(client, "/api/search", q="روسيا")
    assert set(res) >= {"results", "total"} and res["total"] >= 3
    hit = res["results"][0]
    assert {"doc_id", "title", "snippet", "highlights"} <= set(hit)
    for s, e in hit["highlights"]:
        assert hit["snippet"][s:e]
    assert get(client, "/api/search", q="لافروف", limit=1)["total"] >= 2
    assert get(client, "/api/search", q="لافروف", limit=1, offset=1)["results"]


@pytest.mark.parametrize("q", ['"', "-روسيا", "()", "", "روسيا " * 40, "ا" * 501, "OR"])
def test_unsearchable_queries_are_a_400_with_a_reason(client: TestClient, q: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400, r.text
    assert r.json()["detail"].startswith("bad search query: ")


def test_timeline_counts(client: TestClient) -> None:
    total = sum(1 for e in get(client, "/api/events", limit=200)["results"] if e["day"])  # counts need a date
    for interval in ("day", "week", "month"):
        res = get(client, "/api/timeline", interval=interval)
        assert res["interval"] == interval and res["total"] == total
        periods = [b["period"] for b in res["buckets"]]
        assert periods == sorted(periods) and len(set(periods)) == len(periods)
        assert all(b["count"] == sum(b["types"].values()) for b in res["buckets"])
    weeks = get(client, "/api/timeline", interval="week")["buckets"]
    import datetime as dt

    assert all(dt.date.fromisoformat(b["period"]).weekday() == 0 for b in weeks)
    months = get(client, "/api/timeline", type="CONSULT")
    assert months["total"] == sum(
        1 for e in get(client, "/api/events", type="CONSULT", limit=200)["results"] if e["day"]
    )


def test_network(client: TestClient) -> None:
    net = get(client, "/api/network")
    ids = {n["id"] for n in net["nodes"]}
    assert len(ids) >= 5 and net["edges"]
    for e in net["edges"]:
        assert e["source"] in ids and e["target"] in ids and e["weight"] >= 1 and e["type"]
    weights = [e["weight"] for e in net["edges"]]
    assert weights == sorted(weights, reverse=True)
    assert len(get(client, "/api/network", max_edges=2)["edges"]) == 2
    threats = get(client, "/api/network", type="THREATEN")
    assert threats["edges"] and {e["type"] for e in threats["edges"]} == {"THREATEN"}
    assert get(client, "/api/network", start="2030-01-01")["nodes"] == []


def test_stats_and_facets(client: TestClient) -> None:
    stats = get(client, "/api/stats")
    assert stats["documents"] == 11 and stats["duplicates"] == 1
    facets = get(client, "/api/facets")
    assert "CONSULT" in facets["types"] and "occurred" in facets["statuses"] and facets["outlets"]


# -- security ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/api/stats", "/static/rasd.css", "/no-such-page", "/api/documents/nope"])
def test_security_headers_on_every_response(client: TestClient, url: str) -> None:
    h = client.get(url).headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/app.py",
        "/static/%2e%2e/%2e%2e/store/sqlite.py",
        "/static/..%2fapp.py",
        "/static/vendor/../../app.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
    ],
)
def test_no_path_traversal_in_static_files(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert "import" not in r.text and "root:" not in r.text


def test_static_files_and_vendored_libraries_are_served(client: TestClient) -> None:
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/vis-timeline/vis-timeline-graph2d.min.js",
                 "/static/vendor/cytoscape/cytoscape.min.js", "/static/js/timeline.js", "/types.css"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    static = Path(__file__).resolve().parents[1] / "src/rasd/web/static/vendor"
    for lib in ("htmx", "vis-timeline", "cytoscape"):
        assert list((static / lib).glob("LICENSE*")), f"{lib} is vendored without its licence"


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for url in ("/", "/search?q=روسيا", "/documents", f"/documents/{HOSTILE_ID}", "/documents/alaska_summit_2025",
                "/actors", "/actors/donald_trump", "/timeline", "/network"):  # fmt: skip
        parser = _Tags()
        parser.feed(get(client, url))
        assert parser.tags, url
        for tag, attrs in parser.tags:
            assert tag != "style", url
            assert tag != "script" or attrs.get("src", "").startswith("/static/"), (url, attrs)
            assert not [a for a in attrs if a.startswith("on") or a == "style"], (url, tag, attrs)
            for a in ("href", "src", "action"):
                assert not (attrs.get(a) or "").lower().startswith("javascript:"), (url, tag, attrs)


def test_hostile_article_is_rendered_as_text(client: TestClient) -> None:
    html = get(client, f"/documents/{HOSTILE_ID}")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=&#34;alert(2)&#34;&gt;" in html  # inside the highlighted quote, still text
    assert "<i onclick" not in html and "&lt;i onclick=alert(3)&gt;outlet&lt;/i&gt;" in html
    assert 'href="javascript:' not in html  # a URL that is not http(s) is shown, not linked
    for url in ("/search?q=خبيث", "/", "/documents", "/actors/vladimir_putin", "/search?q=<script>",
                "/timeline", "/network", "/documents?outlet=<i onclick=alert(3)>outlet</i>"):  # fmt: skip
        page = get(client, url, expect=client.get(url).status_code)
        assert "<script>alert" not in page and "<img src=x" not in page and "<i onclick" not in page, url
    rec = get(client, f"/api/documents/{HOSTILE_ID}")
    assert rec["title"].startswith('<script>alert("title")</script>')  # the JSON keeps the text as it is
    ev = get(client, "/api/events", actor="vladimir_putin", limit=200)["results"]
    for e in ev:
        frag = get(client, f"/fragments/event/{e['id']}")
        assert "<script>alert" not in frag


# -- pages ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, text",
    [
        ("/", "أحدث الأحداث"),
        ("/search", "البحث في النصوص"),
        ("/search?q=لافروف", 'class="hit"'),
        ("/documents", "alaska_summit_2025"),
        ("/documents?type=CONSULT&start=2025-01-01", "المقالات"),
        ("/documents/alaska_summit_2025", 'id="doc-text"'),
        ("/actors", "vladimir_putin"),
        ("/actors?kind=person&name=بوتين", "vladimir_putin"),
        ("/actors/donald_trump", "Roles over time"),
        ("/actors/local%3Aperson%3A%D8%AC%D9%88%D9%86", None),
        ("/timeline", 'id="timeline"'),
        ("/timeline?type=CONSULT&status=occurred", 'value="CONSULT" selected'),
        ("/network", 'id="cy"'),
    ],
)
def test_pages_render(client: TestClient, url: str, text: str | None) -> None:
    r = client.get(url)
    if text is None:  # a local actor that may or may not be in the sample store
        assert r.status_code in (200, 404)
        return
    assert r.status_code == 200, r.text[:500]
    assert '<html dir="rtl" lang="ar">' in r.text
    assert text in r.text


def test_article_page_links_every_item_to_its_span(client: TestClient) -> None:
    html = get(client, "/documents/alaska_summit_2025")
    ids = set(re.findall(r'id="([^"]+)"', html))
    jumps = re.findall(r'<a href="#([^"]+)" class="jump"', html)
    assert len(jumps) > 10
    assert set(jumps) <= ids
    assert any(j.startswith("q-") for j in jumps) and any(j.startswith("e-") for j in jumps)
    assert 'class="hl-actor k-person"' in html or "hl-actor k-person" in html
    css = get(client, "/static/rasd.css")
    for selector, body in re.findall(r"([^{}]*\.(?:hl-[a-z]+|focus|hit)(?![\w-])[^{}]*)\{([^}]*)\}", css):
        assert not re.search(r"font|border|padding|outline|margin", body), selector  # background colour only


def test_bad_search_on_the_page_is_a_400_with_the_reason(client: TestClient) -> None:
    r = client.get("/search", params={"q": '"'})
    assert r.status_code == 400 and "no words to search for" in r.text and "<form" in r.text
    frag = client.get("/search", params={"q": "لافروف"}, headers={"HX-Request": "true"})
    assert frag.status_code == 200 and "<html" not in frag.text and 'class="hit"' in frag.text


def test_htmx_requests_get_fragments(client: TestClient) -> None:
    for url in ("/documents?outlet=مجلة آفاق سياسية", "/actors?name=ترامب"):
        full = client.get(url)
        frag = client.get(url, headers={"HX-Request": "true"})
        assert frag.status_code == 200 and "<html" in full.text and "<html" not in frag.text
        assert frag.headers["vary"] == "HX-Request"


def test_page_errors(client: TestClient) -> None:
    r = client.get("/documents/no-such-article")
    assert r.status_code == 404 and "Not found" in r.text and "text/html" in r.headers["content-type"]
    r = client.get("/actors/nobody")
    assert r.status_code == 404
    r = client.get("/documents", params={"start": "not-a-date"})
    assert r.status_code == 400 and "invalid parameters" in r.text
    assert client.get("/fragments/event/x:1").status_code == 404


def test_duplicate_article_page_links_to_the_original(client: TestClient) -> None:
    original = _republished(client)
    dup = get(client, f"/api/documents/{original}")["duplicates"][0]["doc_id"]
    html = get(client, f"/documents/{dup}")
    assert f'href="/documents/{original}"' in html


def test_overview_chart_is_svg_with_a_bar_per_month(client: TestClient) -> None:
    html = get(client, "/")
    months = get(client, "/api/timeline", interval="month")["buckets"]
    assert html.count('<rect class="bar"') == len(months)


# -- exports ----------------------------------------------------------------------------------------------------
def test_unknown_export_format_is_a_404(client: TestClient) -> None:
    assert client.get("/export/parquet-or-something").status_code == 404


def test_exports_stream_each_format(client: TestClient) -> None:
    import csv
    import io
    import json
    from xml.etree import ElementTree

    r = client.get("/export/records")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert r.headers["content-disposition"] == 'attachment; filename="rasd-records.jsonl"'
    assert "default-src 'none'" in r.headers["content-security-policy"]
    records = [json.loads(line) for line in r.text.splitlines()]
    assert {rec["doc_id"] for rec in records} >= {"alaska_summit_2025", HOSTILE_ID}
    plover = client.get("/export/plover", params={"type": "CONSULT"})
    assert plover.status_code == 200 and plover.text.strip()
    assert all(json.loads(line) for line in plover.text.splitlines())
    rows = list(csv.reader(io.StringIO(client.get("/export/csv", params={"type": "THREATEN"}).text)))
    assert len(rows) >= 2  # a header and at least one threat
    graph = client.get("/export/graphml", params={"start": "2025", "end": "2025-08"})
    assert graph.status_code == 200 and ElementTree.fromstring(graph.content).tag.endswith("graphml")
    assert client.get("/export/csv", params={"start": "2025-02-30"}).status_code == 422


# -- the command ------------------------------------------------------------------------------------------------
def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "no store at" in res.output
    with pytest.raises(StoreError):
        create_app(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_serve_prints_its_url_and_runs_uvicorn(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    res = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--port", "8123"])
    assert res.exit_code == 0, res.output
    assert "http://127.0.0.1:8123/" in res.output
    assert calls and calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123


def test_demo_serve_ends_with_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    db = str(tmp_path / "demo.db")
    res = CliRunner().invoke(cli, ["demo", "--db", db, "--serve", "--port", "8124"])
    assert res.exit_code == 0, res.output
    assert res.output.rstrip().splitlines()[-1].startswith(f"Rasd is serving {db} at http://127.0.0.1:8124/")
    assert calls == [
        {"host": "127.0.0.1", "port": 8124, "log_level": "warning", "server_header": False, "timeout_keep_alive": 30}
    ]


def test_cached_aggregates_follow_the_store(tmp_path) -> None:
    """Rankings and counts are cached per store generation: a new article shows up at once."""
    from rasd import api as rasd_api
    from rasd.pipeline import PipelineConfig
    from rasd.store import Store
    from rasd.store import queries as Q

    store = Store(tmp_path / "c.db")
    first = tmp_path / "a.txt"
    first.write_text("خبر أول\n\nالتقى وزير الخارجية الروسي سيرغي لافروف نظيره التركي في أنقرة.", "utf-8")
    rasd_api.ingest([first], store, config=PipelineConfig(ner="none"))
    before = Q.stats(store)["documents"]
    assert Q.stats(store) is Q.stats(store)  # served from the cache while nothing changes
    second = tmp_path / "b.txt"
    second.write_text("خبر ثان\n\nوصل الرئيس الفرنسي إلى القاهرة في زيارة رسمية تستمر يومين.", "utf-8")
    rasd_api.ingest([second], store, config=PipelineConfig(ner="none"))
    assert Q.stats(store)["documents"] == before + 1
    store.close()
