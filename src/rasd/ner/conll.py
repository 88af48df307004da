"""CoNLL-style files: read tagged sentences, and re-tag a file keeping its tokens and blank lines exactly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rasd.ner.crf import CrfTagger


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


def tag_conll(in_path: Path, out: TextIO, tagger: CrfTagger | None = None, batch: int = 256) -> int:
    """Write `token TAG` for every token line of `in_path` and copy its blank lines; return the token count.

    Sentences are the runs of non-blank lines; the tagger sees them in batches, and the output has exactly
    the input's tokens, in order, with the same blank lines (so a scorer can align it with the gold file).
    """
    tagger = tagger or CrfTagger.default()
    n = 0
    pending: list[list[str]] = []  # sentences waiting to be tagged
    layout: list[int] = []  # per input line: sentence length (>0) for a sentence's first line, 0 for a blank line
    current: list[str] = []

    def flush() -> None:
        nonlocal n
        tags = iter(tagger.tag_sentences(pending))
        it = iter(pending)
        for item in layout:
            if item == 0:
                out.write("\n")
                continue
            toks, ts = next(it), next(tags)
            out.writelines(f"{t} {g}\n" for t, g in zip(toks, ts, strict=True))
            n += len(toks)
        pending.clear()
        layout.clear()

    with in_path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts:
                current.append(parts[0])
                continue
            if current:
                pending.append(current)
                layout.append(len(current))
                current = []
            layout.append(0)
            if len(pending) >= batch:
                flush()
    if current:
        pending.append(current)
        layout.append(len(current))
    flush()
    return n
