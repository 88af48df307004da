"""The Document: an immutable original text, its metadata, and span layers added by components.

Every component reads `doc.text` (or `doc.analysed`, the same text with boilerplate blanked) and adds
`Span`s whose offsets are Unicode code points into `doc.text`. Nothing ever rewrites the text, so every
fact can be traced back to the exact characters it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range [start, end) of code points in the document text, with a label and attributes."""

    start: int
    end: int
    label: str = ""
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What is known about an article besides its text."""

    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    published_basis: str | None = None  # "metadata" | "stated" | None
    source_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def content_hash(text: str) -> str:
    """A stable hash of the text, used for exact de-duplication and idempotent ingest."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Document:
    """An article: immutable text + metadata + named span layers.

    `excluded` holds boilerplate ranges (share lines, repeated captions, repeated paragraphs): they stay in
    `text` (offsets never move) but are blanked in `analysed`, so components do not see them.
    """

    __slots__ = ("_analysed", "_layers", "_text", "excluded", "meta", "values")

    def __init__(self, text: str, meta: DocMeta, excluded: Iterable[Span] = ()) -> None:
        self._text = text
        self.meta = meta
        self.excluded: tuple[Span, ...] = tuple(sorted(excluded, key=lambda s: s.start))
        for s in self.excluded:
            if s.end > len(text):
                raise ValueError(f"excluded span [{s.start}, {s.end}) outside text of length {len(text)}")
        self._layers: dict[str, list[Span]] = {}
        self._analysed: str | None = None
        # Non-span results a component computes once for the others (e.g. the normalised text).
        self.values: dict[str, Any] = {}

    @property
    def text(self) -> str:
        return self._text

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def content_hash(self) -> str:
        return content_hash(self._text)

    @property
    def analysed(self) -> str:
        """The text with excluded ranges replaced by spaces (newlines kept): same length, same offsets."""
        if self._analysed is None:
            if not self.excluded:
                self._analysed = self._text
            else:
                parts: list[str] = []
                pos = 0
                for s in self.excluded:
                    if s.start < pos:
                        s = Span(pos, max(pos, s.end))
                    parts.append(self._text[pos : s.start])
                    parts.append("".join("\n" if c == "\n" else " " for c in self._text[s.start : s.end]))
                    pos = s.end
                parts.append(self._text[pos:])
                self._analysed = "".join(parts)
        return self._analysed

    def layer(self, name: str) -> list[Span]:
        """The spans of a layer, in insertion order (empty when the layer was never set)."""
        return self._layers.get(name, [])

    def has_layer(self, name: str) -> bool:
        return name in self._layers

    def set_layer(self, name: str, spans: Iterable[Span]) -> None:
        spans = list(spans)
        n = len(self._text)
        for s in spans:
            if s.end > n:
                raise ValueError(f"span [{s.start}, {s.end}) in layer {name!r} outside text of length {n}")
        self._layers[name] = spans

    @property
    def layers(self) -> dict[str, list[Span]]:
        return dict(self._layers)

    def spans_in(self, name: str, container: Span) -> Iterator[Span]:
        for s in self.layer(name):
            if container.contains(s):
                yield s

    def __repr__(self) -> str:
        return f"Document(id={self.id!r}, chars={len(self._text)}, layers={sorted(self._layers)})"
