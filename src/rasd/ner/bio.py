"""BIO tag sequences: the one reading of where entities start and end, shared by the taggers, the consistency
pass, the ensembles and scoring.

conlleval's rules: an entity opens at B-, or at I- after O or after another type, and closes at O, at B-, or at
a change of type.
"""

from __future__ import annotations

from collections.abc import MutableSequence, Sequence

Span = tuple[int, int, str]  # first token, one past the last token, type


def spans(tags: Sequence[str]) -> list[Span]:
    """The entities of a tag sequence, in order.

    Only the tags other than O are visited (most are O): a gap between two of them is an O, which closes
    the entity open before it."""
    out: list[Span] = []
    start, kind, last = 0, "", -2
    for i in [i for i, tag in enumerate(tags) if tag != "O"]:
        prefix, _, typ = tags[i].partition("-")
        if kind and (i != last + 1 or prefix == "B" or typ != kind):
            out.append((start, last + 1, kind))
            kind = ""
        if prefix in ("B", "I") and not kind:
            start, kind = i, typ
        last = i
    if kind:
        out.append((start, last + 1, kind))
    return out


def put(tags: MutableSequence[str], start: int, end: int, kind: str) -> None:
    """Tag tokens start..end-1 as one entity of `kind`."""
    tags[start:end] = ["B-" + kind] + ["I-" + kind] * (end - start - 1)
