"""The consistency pass spreads names the tagger found to their other occurrences, and nothing else."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.ner.conll import tag_conll
from rasd.ner.consistency import entity_keys, propagate, propagate_stream

FULL = (["استقبل", "الرئيس", "جورج", "بوش", "نظيره"], ["O", "O", "B-PERS", "I-PERS", "O"])
LATER = ["وقال", "بوش", "إن", "المحادثات", "مثمرة"]


def test_surname_of_a_full_name_is_tagged_later_in_the_document() -> None:
    out = propagate([FULL[0], LATER], [FULL[1], ["O"] * 5])
    assert out[0] == FULL[1]
    assert out[1] == ["O", "B-PERS", "O", "O", "O"]


def test_names_behind_proclitics_are_found() -> None:
    out = propagate([FULL[0], ["ورحب", "وبوش", "بالنتائج"]], [FULL[1], ["O"] * 3])
    assert out[1] == ["O", "B-PERS", "O"]


def test_multiword_names_take_the_majority_type_and_longest_match() -> None:
    sents = [
        ["مجلس", "الأمن", "الدولي", "اجتمع"],
        ["مجلس", "الأمن", "الدولي"],
        ["إن", "مجلس", "الأمن", "الدولي", "قرر"],
    ]
    tags = [["B-ORG", "I-ORG", "I-ORG", "O"], ["B-ORG", "I-ORG", "I-ORG"], ["O", "O", "O", "O", "O"]]
    assert propagate(sents, tags)[2] == ["O", "B-ORG", "I-ORG", "I-ORG", "O"]


def test_tagged_tokens_are_never_overwritten() -> None:
    sents = [["باريس", "جميلة"], ["زار", "باريس", "هيلتون"]]
    tags = [["B-LOC", "O"], ["O", "B-PERS", "I-PERS"]]
    assert propagate(sents, tags)[1] == tags[1]


def test_short_names_are_not_spread() -> None:
    assert entity_keys(["اف", "بي"], ["B-ORG", "O"]) == []
    assert propagate([["اف", "قال"], ["اف"]], [["B-ORG", "O"], ["O"]])[1] == ["O"]


def test_stream_window_limits_how_far_names_travel() -> None:
    filler = [["لا", "شيء", "هنا"]] * 5
    sents = [FULL[0], *filler, LATER]
    tags = [FULL[1], *[["O"] * 3] * 5, ["O"] * 5]
    near = list(propagate_stream(zip(sents, tags, strict=True), window=6))
    far = list(propagate_stream(zip(sents, tags, strict=True), window=3))
    assert near[-1][1] == "B-PERS"
    assert far[-1][1] == "O"
    assert len(near) == len(far) == len(sents)


WORDS = st.sampled_from(["بوش", "وبوش", "جورج", "مصر", "القاهرة", "قال", "إن", "مجلس", "الأمن", "اف"])
TAGS = st.sampled_from(["O", "O", "O", "B-PERS", "I-PERS", "B-LOC", "B-ORG", "I-ORG"])
SENT = st.integers(1, 6).flatmap(
    lambda n: st.tuples(st.lists(WORDS, min_size=n, max_size=n), st.lists(TAGS, min_size=n, max_size=n))
)


@settings(max_examples=150, deadline=None)
@given(st.lists(SENT, min_size=1, max_size=12), st.integers(0, 4))
def test_stream_with_a_wide_window_equals_the_document_pass(sents: list[tuple[list[str], list[str]]], w: int) -> None:
    toks = [s for s, _ in sents]
    tags = [t for _, t in sents]
    doc = propagate(toks, tags)
    assert list(propagate_stream(zip(toks, tags, strict=True), window=len(sents))) == doc
    windowed = list(propagate_stream(zip(toks, tags, strict=True), window=w))
    assert [len(t) for t in windowed] == [len(s) for s in toks]
    for before, after in zip(tags, windowed, strict=True):  # only O tokens may change
        assert all(a == b for a, b in zip(before, after, strict=True) if a != "O")


class _FirstSentenceTagger:
    """Tags 'بوش' as a person only in the first sentence, like a tagger that misses later mentions."""

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        self.calls = getattr(self, "calls", 0) + 1
        first = self.calls == 1
        out = []
        for i, s in enumerate(sentences):
            out.append(["B-PERS" if (w == "بوش" and first and i == 0) else "O" for w in s])
        return out


def test_tag_conll_applies_the_window_and_can_turn_it_off(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text("قال O\nبوش B-PERS\n\nوأضاف O\nبوش B-PERS\n", encoding="utf-8")
    on, off = io.StringIO(), io.StringIO()
    tag_conll(src, on, tagger=_FirstSentenceTagger())  # type: ignore[arg-type]
    tag_conll(src, off, tagger=_FirstSentenceTagger(), window=0)  # type: ignore[arg-type]
    assert on.getvalue().splitlines()[4] == "بوش B-PERS"
    assert off.getvalue().splitlines()[4] == "بوش O"
