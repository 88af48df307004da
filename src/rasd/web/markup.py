"""HTML built in Python: highlighted article text and small SVG charts.

Article text is untrusted, so markup is only ever assembled from `markupsafe.escape`d pieces. Highlights use
background colour alone (classes, no inline styles): bold or boxes would break the joining of Arabic letters.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Mark:
    """A highlighted range of code points: its CSS class, an optional anchor id and a tooltip."""

    start: int
    end: int
    cls: str
    anchor: str | None = None
    title: str | None = None


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """`text` escaped, with every mark's range wrapped in classed spans (overlaps split into segments).

    Each anchor becomes an empty element where its range starts, so side-panel links can jump to it; the segment
    spans carry `data-refs` (the anchors covering them) for the script that brings a linked range into focus.
    """
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    out: list[str] = []
    active: list[Mark] = []
    for a, b in itertools.pairwise(cuts):
        active = [m for m in active if m.end > a]
        for m in starts.get(a, []):
            active.append(m)
            if m.anchor:
                out.append(f'<span class="anchor" id="{escape(m.anchor)}"></span>')
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(m.cls for m in active))
        refs = " ".join(m.anchor for m in active if m.anchor)
        titled = [m for m in active if m.title]
        title = min(titled, key=lambda m: m.end - m.start).title if titled else None  # the innermost range's
        attrs = f' class="{escape(classes)}"'
        if refs:
            attrs += f' data-refs="{escape(refs)}"'
        if title:
            attrs += f' title="{escape(title)}"'
        out.append(f"<span{attrs}>{piece}</span>")
    return Markup("".join(out))


def highlight_hits(snippet: str, hits: Sequence[tuple[int, int]]) -> Markup:
    """A search snippet with its hits on a coloured background."""
    return highlight(snippet, [Mark(s, e, "hit") for s, e in hits])


def bar_chart(buckets: Sequence[tuple[str, int]], *, width: int = 720, height: int = 160, label: str = "") -> Markup:
    """A bar chart as inline SVG (no script, no inline style): one bar per bucket, the earliest on the right,
    as time runs in a right-to-left page; every bar has a tooltip with its period and count."""
    if not buckets:
        return Markup("")
    top = max(c for _, c in buckets) or 1
    pad_b, pad_t = 22, 8
    inner_h = height - pad_b - pad_t
    slot = width / len(buckets)
    bar_w = max(1.0, slot * 0.8)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" height="{height}" role="img"'
        f' aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    every = max(1, len(buckets) // 8)
    for i, (period, count) in enumerate(buckets):
        x = width - (i + 1) * slot + (slot - bar_w) / 2
        h = inner_h * count / top
        y = pad_t + inner_h - h
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{escape(period)}: {count}</title></rect>"
        )
        if i % every == 0:
            cx = x + bar_w / 2
            text = escape(period)
            parts.append(f'<text class="axis" x="{cx:.1f}" y="{height - 6}" text-anchor="middle">{text}</text>')
    parts.append(f'<line class="base" x1="0" y1="{pad_t + inner_h}" x2="{width}" y2="{pad_t + inner_h}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
