"""tag_conll must give back exactly the input's tokens and sentence breaks, whatever the tags."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.ner.conll import read_conll, tag_conll
from rasd.ner.crf import CrfTagger


class _AllO(CrfTagger):
    """A stand-in that needs no model, for checking the file handling alone."""

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return [["O"] * len(s) for s in sentences]


INPUT = (
    "وصل B-PERS\nالوزير O\nإلى O\nالقاهرة B-LOC\n. O\n"
    "\n"
    "\n"
    "قالت O x y\nالشركة O\n"
    "\n"
    "نعم\n"
    "بيان O\n"
    "\n"
    "وحيد O"  # no final newline
)


def _lines(text: str) -> list[str]:
    return [ln.split()[0] if ln.split() else "" for ln in text.splitlines()]


def test_tokens_and_blank_lines_kept_with_a_stub(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text(INPUT, encoding="utf-8")
    out = io.StringIO()
    n = tag_conll(src, out, tagger=_AllO())
    assert n == 10
    assert _lines(out.getvalue()) == _lines(INPUT)
    assert all(len(ln.split()) == 2 for ln in out.getvalue().splitlines() if ln)


def test_tokens_and_blank_lines_kept_with_the_model(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text(INPUT, encoding="utf-8")
    out = io.StringIO()
    assert tag_conll(src, out, batch=1) == 10
    text = out.getvalue()
    assert _lines(text) == _lines(INPUT)
    tags = [ln.split()[1] for ln in text.splitlines() if ln]
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)


def test_read_conll_takes_first_and_last_fields(tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text(INPUT, encoding="utf-8")
    sents = read_conll(src)
    assert [len(t) for t, _ in sents] == [5, 2, 2, 1]
    assert sents[1] == (["قالت", "الشركة"], ["y", "O"])
    assert sents[2][1] == ["O", "O"]


_token = st.text(
    alphabet=st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة0123456789.,،؛:«»()-abcXYZ\u064e\u0640"),
    min_size=1,
    max_size=8,
)
_line = st.one_of(st.just(""), _token, st.tuples(_token, st.sampled_from(["O", "B-LOC", "I-ORG"])).map(" ".join))


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=40))
def test_token_count_matches_input(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    src = tmp_path_factory.mktemp("conll") / "in.conll"
    content = "\n".join(lines) + "\n"
    src.write_text(content, encoding="utf-8")
    out = io.StringIO()
    n = tag_conll(src, out, batch=3)
    assert n == sum(1 for ln in lines if ln.strip())
    assert _lines(out.getvalue()) == _lines(content)
