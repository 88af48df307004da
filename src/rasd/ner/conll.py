"""CoNLL-style files: read tagged sentences, and re-tag a file keeping its tokens and blank lines exactly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rasd.ner.consistency import CONLL_WINDOW, propagate_stream
from rasd.ner.crf import CrfTagger

if TYPE_CHECKING:
    from rasd.ner.backends import SentenceTagger


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as (tokens, tags): the token is the first field, the tag the last ("O" when there is one field)."""
    out: list[tuple[list[str], list[str]]] = []
    for block in _blocks(path):
        toks = [parts[0] for parts in block]
        tags = [parts[-1] if len(parts) > 1 else "O" for parts in block]
        out.append((toks, tags))
    return out


def _blocks(path: Path) -> Iterator[list[list[str]]]:
    block: list[list[str]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts:
                block.append(parts)
            elif block:
                yield block
                block = []
    if block:
        yield block


def _tagged(
    tagger: SentenceTagger, sentences: Iterable[list[str]], batch: int
) -> Iterator[tuple[list[str], list[str]]]:
    chunk: list[list[str]] = []
    for sent in sentences:
        chunk.append(sent)
        if len(chunk) >= batch:
            yield from zip(chunk, tagger.tag_sentences(chunk), strict=True)
            chunk = []
    if chunk:
        yield from zip(chunk, tagger.tag_sentences(chunk), strict=True)


def tag_conll(
    in_path: Path, out: TextIO, tagger: SentenceTagger | None = None, batch: int = 256, window: int = CONLL_WINDOW
) -> int:
    """Write `token TAG` for every token line of `in_path` and copy its blank lines; return the token count.

    Sentences are the runs of non-blank lines; the tagger sees them in batches, then the consistency pass
    spreads names over `window` sentences on either side (0 turns it off). The output has exactly the input's
    tokens, in order, with the same blank lines (so a scorer can align it with the gold file). The file is
    read twice, lazily, so memory stays bounded by the batch and the window.
    """
    tagger = tagger or CrfTagger.default()
    pairs = _tagged(tagger, ([p[0] for p in block] for block in _blocks(in_path)), batch)
    final: Iterator[list[str]] = propagate_stream(pairs, window) if window > 0 else (t for _, t in pairs)
    n = 0
    current: list[str] = []

    def flush() -> None:
        nonlocal n, current
        tags = next(final)
        out.writelines(f"{t} {g}\n" for t, g in zip(current, tags, strict=True))
        n += len(current)
        current = []

    with in_path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts:
                current.append(parts[0])
                continue
            if current:
                flush()
            out.write("\n")
    if current:
        flush()
    return n
