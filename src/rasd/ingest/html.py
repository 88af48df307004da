"""Extract the article (title, main text, outlet, URL, publication date) from a saved news web page.

trafilatura separates the article from menus, comments and sidebars far better than anything we would write,
and htmldate is the best offline publication-date finder for news pages. Both are imported lazily so that
commands that never read HTML start fast. When trafilatura finds nothing (odd markup, truncated pages) the
text of the <p> elements is used, which is crude but keeps an article rather than losing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rasd.ingest.encodings import decode_bytes

__all__ = ["MAX_HTML_DEPTH", "HtmlArticle", "decode_html", "extract_article", "find_publication_date", "nesting_depth"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_ARABIC_CHARSETS = {
    "windows-1256": "cp1256",
    "cp1256": "cp1256",
    "x-cp1256": "cp1256",
    "iso-8859-6": "iso8859_6",
    "iso8859-6": "iso8859_6",
    "iso_8859-6": "iso8859_6",
    "arabic": "iso8859_6",
}
_WS = re.compile(r"[ \t\u00a0]+")
MAX_HTML_DEPTH = 255  # libxml2 (under lxml, under trafilatura) stops building the tree at 256 levels
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
# Elements that never have content, or whose end tag may be left out: they do not nest in source order.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option optgroup"
    " rt rp thead tbody tfoot colgroup caption html head body".split()
)
_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " » ")


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """What a page yields: `text` is the main text (one paragraph per line), `published` an ISO date."""

    title: str | None
    text: str
    outlet: str | None
    url: str | None
    published: str | None

    @property
    def document_text(self) -> str:
        """Title, blank line, main text: the title carries the event in a few words, so it is analysed too."""
        if not self.title:
            return self.text
        if _WS.sub(" ", self.text.lstrip()).startswith(_WS.sub(" ", self.title)):
            return self.text
        return f"{self.title}\n\n{self.text}"


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page, honouring a declared Arabic legacy charset when the bytes are not UTF-8.

    The declaration is only trusted for legacy Arabic code pages: pages often claim a charset they do not
    use, but a page whose bytes fail as UTF-8 and that declares cp1256/ISO-8859-6 is almost surely that.
    """
    is_utf8 = True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        is_utf8 = False
    if not is_utf8 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:8192])
        if m:
            codec = _ARABIC_CHARSETS.get(m.group(1).decode("ascii", "replace").lower())
            if codec:
                return data.decode(codec, errors="replace"), codec
    return decode_bytes(data)


def nesting_depth(html: str, stop: int = MAX_HTML_DEPTH) -> int:
    """How deeply the page's elements nest, counted from its tags (stops counting once past `stop`).

    Only to explain a page with no text: a page nested deeper than the parser builds loses everything below.
    """
    depth = deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.groups()
        if self_closing or name.lower() in _FLAT:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    break
    return deepest


def _clean_outlet(sitename: str | None, url: str | None) -> str | None:
    """The outlet name; a site name that is only a URL becomes its host name ("akhbarelyom.com")."""
    name = (sitename or "").strip()
    if name.startswith(("http://", "https://", "www.")):
        host = urlsplit(name if "//" in name else "//" + name).hostname or ""
        name = host.removeprefix("www.")
    if not name and url:
        name = (urlsplit(url).hostname or "").removeprefix("www.")
    return name or None


def _clean_title(title: str | None, outlet: str | None) -> str | None:
    """The headline without the " - Outlet" suffix that many sites append to <title>."""
    if not title:
        return None
    title = _WS.sub(" ", title).strip()
    if outlet:
        for sep in _TITLE_SEPARATORS:
            suffix = sep + outlet
            if title.endswith(suffix) and len(title) > len(suffix):
                title = title[: -len(suffix)].strip()
            prefix = outlet + sep
            if title.startswith(prefix) and len(title) > len(prefix):
                title = title[len(prefix) :].strip()
    return title or None


def _clean_text(text: str) -> str:
    """One paragraph per line, no blank or space-padded lines."""
    lines = (_WS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _paragraph_fallback(html: str) -> tuple[str | None, str]:
    """The page title and the text of its <p> elements, for pages trafilatura cannot handle."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml rejects some inputs (empty, only comments): that simply means no text
        return None, ""
    title_el = tree.find(".//title")
    title = title_el.text_content() if title_el is not None else None
    paragraphs = [p.text_content() for p in tree.iter("p")]
    return title, _clean_text("\n".join(paragraphs))


def find_publication_date(html: str, url: str | None = None) -> str | None:
    """The publication date (YYYY-MM-DD) from the page's metadata, or None.

    The original (not last-modified) date is preferred. The quick, metadata-only search runs first; the
    extensive search (dates anywhere in the page) is a fallback, and a result of it on the 1st of a month
    is dropped unless the page states that full date: htmldate pads a bare year (often from the copyright
    footer) or year-month with day 1, and a made-up day would later pass for a fact.
    """
    import htmldate

    kwargs: dict[str, Any] = {"original_date": True, "outputformat": "%Y-%m-%d", "url": url}
    try:
        found = htmldate.find_date(html, extensive_search=False, **kwargs)
        if found:
            return str(found)
        found = htmldate.find_date(html, extensive_search=True, **kwargs)
    except Exception:  # htmldate on malformed pages: no date is the honest answer
        return None
    if not found:
        return None
    found = str(found)
    if found.endswith("-01") and not _states_full_date(html, found):
        return None
    return found


def _states_full_date(html: str, iso: str) -> bool:
    year, month, day = iso.split("-")
    m = str(int(month))
    patterns = (
        rf"{year}[-/.]0?{m}[-/.]0?1(?!\d)",
        rf"(?<!\d)0?1[-/.]0?{m}[-/.]{year}",
        rf"{year}{month}{day}(?!\d)",
    )
    return any(re.search(p, html) for p in patterns)


def extract_article(html: str, url: str | None = None) -> HtmlArticle | None:
    """The article of a decoded page, or None when the page has no main text at all."""
    import trafilatura

    result: Any = None
    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_images=False
        )
    except Exception:  # trafilatura can fail on broken markup; the <p> fallback below still applies
        result = None
    title = getattr(result, "title", None)
    page_url = getattr(result, "url", None) or url
    outlet = _clean_outlet(getattr(result, "sitename", None), page_url)
    text = _clean_text(getattr(result, "text", None) or "")
    if not text:
        fallback_title, text = _paragraph_fallback(html)
        title = title or fallback_title
    title = _clean_title(title, outlet)
    if title and text.split("\n", 1)[0] == title:
        text = text.partition("\n")[2]  # the <h1> repeats the title: keep it once, in front
    if not text:
        return None
    return HtmlArticle(
        title=title,
        text=text,
        outlet=outlet,
        url=page_url,
        published=find_publication_date(html, page_url),
    )
