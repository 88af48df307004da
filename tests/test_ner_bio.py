"""BIO reading: `spans` visits only the tags that are not O; it must read every sequence as conlleval does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasd.ner.bio import put, spans


def conlleval_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """The rules read tag by tag: an entity opens at B-, or at I- after O or another type, and closes
    at O, at B- or at a change of type."""
    out = []
    start, kind = 0, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        if kind and (tag == "O" or prefix == "B" or typ != kind):
            out.append((start, i, kind))
            kind = ""
        if prefix in ("B", "I") and not kind:
            start, kind = i, typ
    return out


TAGS = st.sampled_from(["O", "O", "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "I-ORG", "E-PERS", "X"])


@given(st.lists(TAGS, max_size=30))
def test_spans_read_every_sequence_as_conlleval_does(tags: list[str]) -> None:
    assert spans(tags) == conlleval_spans(tags)


def test_spans_of_a_sentence() -> None:
    tags = ["O", "B-PERS", "I-PERS", "O", "I-LOC", "B-LOC", "B-ORG", "I-ORG"]
    assert spans(tags) == [(1, 3, "PERS"), (4, 5, "LOC"), (5, 6, "LOC"), (6, 8, "ORG")]
    assert spans([]) == [] and spans(["O", "O"]) == []
    out = ["O"] * 4
    put(out, 1, 3, "MISC")
    assert spans(out) == [(1, 3, "MISC")]
