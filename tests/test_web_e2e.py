"""The web UI in a real headless Chromium (Debian's `chromium`, driven by Playwright), served by uvicorn.

Walks search -> article -> actor -> timeline -> network as a person would, checks what each page shows, that no
script error or Content-Security-Policy violation happens, and saves a screenshot of each page into
$RASD_SCREENSHOTS (the README's are made with RASD_SCREENSHOTS=docs/screenshots), else a temporary folder, so
a test run never changes tracked files. Skipped only when no Chromium binary is found.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
uvicorn = pytest.importorskip("uvicorn")

from rasd.web import create_app  # noqa: E402

SHOTS = Path(os.environ.get("RASD_SCREENSHOTS") or Path(tempfile.gettempdir()) / "rasd-screenshots")
HOSTILE_ID = "hostile_article"  # written by the web_db fixture (conftest.py)


def _chromium() -> str | None:
    """Debian's chromium (Playwright's own browser download does not work here), or $RASD_CHROMIUM."""
    if os.environ.get("RASD_CHROMIUM"):
        return os.environ["RASD_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium binary found (apt-get install chromium, or set RASD_CHROMIUM)"
)


class Server:
    """uvicorn in a thread on a free loopback port."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        b = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield b
        b.close()


class Watched:
    """A page that records script errors, failed requests, CSP violations and dialogs (alert() must never run)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="ar")
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.sourceFile))"
        )
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: page error: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        text = msg.text
        # vis-timeline's standalone build also injects the stylesheet we serve as a file and sets some inline
        # styles; the CSP blocks both (scripts stay strictly same-origin) and the timeline renders from the file.
        if "/timeline" in self.page.url and ("inline style" in text or "vis-timeline" in text):
            return
        self.errors.append(f"{self.page.url}: console: {text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))

    def check(self) -> None:
        assert not self.errors, "\n".join(self.errors)
        assert not self.dialogs, self.dialogs


@pytest.fixture(scope="module")
def site(browser: Any, sample_db: Path) -> Iterator[Watched]:
    with Server(sample_db) as base:
        w = Watched(browser, base)
        yield w
        w.page.close()


def test_every_page_loads_without_errors(site: Watched) -> None:
    for path, marker in [
        ("/", "#count-documents"),
        ("/search?q=روسيا", ".hit"),
        ("/documents", "table.list"),
        ("/documents/alaska_summit_2025", "#doc-text .hl-quote"),
        ("/actors", "table.list a.actor"),
        ("/actors/vladimir_putin", "#actor-name"),
        ("/timeline", "#timeline .vis-item"),
        ("/network", "#cy[data-nodes]"),
    ]:
        site.goto(path)
        assert site.page.locator("html").get_attribute("dir") == "rtl"
        site.page.wait_for_selector(marker)
    site.check()


def test_overview(site: Watched) -> None:
    site.goto("/")
    assert int(site.page.inner_text("#count-documents b")) == 10
    assert site.page.locator("svg.chart rect.bar").count() >= 5
    assert site.page.locator("ol.events li.event").count() == 10
    site.shot("overview")
    site.check()


def test_search_article_actor_timeline_network(site: Watched) -> None:
    page = site.page
    # search from the header box, then refine on the search page (HTMX swaps the results and updates the URL)
    site.goto("/")
    page.fill("header .quick-search input[name=q]", "روسيا")
    page.press("header .quick-search input[name=q]", "Enter")
    page.wait_for_selector("#search-total")
    page.fill("form.search input[name=q]", "لافروف")
    page.click("form.search button[type=submit]")
    _wait_for(page, "location.search.includes('q=')  && document.querySelector('#search-total')")
    _wait_for(
        page, "decodeURIComponent(location.search).includes('لافروف') && document.querySelectorAll('.hit').length > 0"
    )
    assert int(page.inner_text("#search-total b")) >= 2
    assert "لافروف" in page.locator(".hit").first.inner_text()
    site.shot("search")

    # the article: highlighted text, and a side-panel link that focuses its span
    page.click("ol.hits li.hit-item a.hit-title >> nth=0")
    page.wait_for_selector("#doc-text")
    assert page.locator("#doc-text .hl-actor").count() > 3
    quote_link = page.locator("#extracted a.jump[data-ref^='q-']").first
    ref = quote_link.get_attribute("data-ref")
    quote_link.click()
    page.wait_for_selector(f"#doc-text [data-refs~='{ref}'].focus")
    page.evaluate("window.scrollTo(0, 0)")
    site.shot("document")

    # an actor of the article: its dossier
    page.click("#extracted a.actor[href='/actors/sergey_lavrov']")
    page.wait_for_selector("#actor-name")
    assert "لافروف" in page.inner_text("#actor-name")
    assert "Minister of Foreign Affairs" in page.inner_text("body")
    assert page.locator("#quotes li blockquote").count() >= 1
    assert page.locator("#co-occurring a.actor").count() >= 3
    site.shot("actor")

    # the actor's events on the timeline, then all of them; picking one shows its evidence and sources
    page.click("a[href='/timeline?actor=sergey_lavrov']")
    page.wait_for_selector("#timeline[data-loaded]")
    assert page.locator("#filters input[name=actor]").input_value() == "sergey_lavrov"
    assert int(page.get_attribute("#timeline", "data-loaded")) >= 1
    page.click("header nav a[href='/timeline']")
    page.wait_for_selector("#timeline[data-loaded] .vis-item")
    everything = int(page.get_attribute("#timeline", "data-loaded"))
    assert everything > 20
    _click_an_event(page)
    page.wait_for_selector("#event-detail .event-detail blockquote.evidence")
    assert page.inner_text("#event-detail blockquote.evidence").strip()
    page.select_option("#filters select[name=type]", "CONSULT")
    _wait_for(page, f"document.querySelector('#timeline').dataset.loaded != '{everything}'")
    assert "type=CONSULT" in page.url
    assert page.locator("a[data-export=csv]").get_attribute("href") == "/export/csv?type=CONSULT"
    page.select_option("#filters select[name=type]", "")
    _wait_for(page, f"document.querySelector('#timeline').dataset.loaded == '{everything}'")
    _click_an_event(page)
    page.wait_for_selector("#event-detail .event-detail")
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.evaluate("window.scrollTo(0, 0)")
    site.shot("timeline")
    page.set_viewport_size({"width": 1280, "height": 800})

    # the network: nodes and typed edges; tapping a node offers its dossier; filtering by type redraws
    page.click("header nav a[href='/network']")
    page.wait_for_selector("#cy[data-nodes]")
    nodes, edges = int(page.get_attribute("#cy", "data-nodes")), int(page.get_attribute("#cy", "data-edges"))
    assert nodes >= 5 and edges >= 5
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate("(() => { const p = document.getElementById('cy').cy.nodes()[0].renderedPosition();"
                        " return [p.x, p.y]; })()")  # fmt: skip
    page.mouse.click(box["x"] + pos[0], box["y"] + pos[1])
    page.wait_for_selector("#network-actor-link")
    site.shot("network")
    page.select_option("#filters select[name=type]", "THREATEN")
    _wait_for(page, f"document.querySelector('#cy').dataset.edges != '{edges}'")
    assert 1 <= int(page.get_attribute("#cy", "data-edges")) < edges
    site.check()


def _wait_for(page: Any, expression: str, timeout: float = 15) -> None:
    """Poll a JS expression until it is true (wait_for_function evaluates strings, which the page's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def _click_an_event(page: Any) -> None:
    """Click the first event box on the timeline that no other item covers."""
    boxes = page.locator("#timeline .vis-item.vis-box")
    for i in range(boxes.count()):
        try:
            boxes.nth(i).click(trial=True, timeout=500)
        except sync_api.TimeoutError:
            continue
        boxes.nth(i).click()
        return
    raise AssertionError("every event on the timeline is covered by another")


def test_hostile_article_renders_as_text(browser: Any, web_db: Path) -> None:
    with Server(web_db) as base:
        w = Watched(browser, base)
        w.goto(f"/documents/{HOSTILE_ID}")
        title = w.page.inner_text("h1.doc-title")
        assert '<script>alert("title")</script>' in title
        assert "<script>" in w.page.inner_text("#doc-text")
        assert w.page.locator("#doc-text script, #doc-text img, #doc-text b").count() == 0
        w.goto("/search?q=خبيث")
        assert "<img src=x" in w.page.inner_text("ol.hits")
        w.goto("/")
        w.page.close()
        assert not w.dialogs, w.dialogs
        assert not [e for e in w.errors if "page error" in e], w.errors
