"""The shipped CRF model finds obvious names in sentences written for these tests."""

from __future__ import annotations

import pytest

from rasd.ner.crf import MODEL_PATH, CrfTagger

pytestmark = pytest.mark.skipif(not MODEL_PATH.exists(), reason="NER model not built (make train-ner)")


def _entities(tokens: list[str], tags: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for tok, tag in zip(tokens, tags, strict=True):
        if tag.startswith("B-") or (tag.startswith("I-") and (not out or out[-1][1] != tag[2:])):
            out.append((tok, tag[2:]))
        elif tag.startswith("I-"):
            out[-1] = (out[-1][0] + " " + tok, out[-1][1])
    return out


@pytest.fixture(scope="module")
def tagger() -> CrfTagger:
    return CrfTagger.default().load()


def test_person_and_country(tagger: CrfTagger) -> None:
    toks = "وقال الرئيس الأمريكي جورج بوش إن بلاده ستواصل دعم العراق .".split()
    ents = _entities(toks, tagger.tag(toks))
    assert ("جورج بوش", "PERS") in ents
    assert ("العراق", "LOC") in ents


def test_capital_and_person_with_title(tagger: CrfTagger) -> None:
    toks = "استقبل الملك عبد الله الثاني في عمان وزير الخارجية الفرنسي .".split()
    tags = tagger.tag(toks)
    assert tags[2] == "B-PERS" and tags[3] == "I-PERS"
    assert tags[6] == "B-LOC"


def test_organisation(tagger: CrfTagger) -> None:
    toks = "أعلنت الأمم المتحدة أن مجلس الأمن سيجتمع غدا في نيويورك .".split()
    ents = _entities(toks, tagger.tag(toks))
    assert ("الأمم المتحدة", "ORG") in ents
    assert ("نيويورك", "LOC") in ents


def test_batches_match_single_sentences(tagger: CrfTagger) -> None:
    sents = [
        "زار رئيس الوزراء اللبناني باريس أمس .".split(),
        [],
        "التقى الوفد المصري بممثلي البنك الدولي في واشنطن .".split(),
    ]
    assert tagger.tag_sentences(sents) == [tagger.tag(s) for s in sents]
    assert tagger.tag([]) == []
