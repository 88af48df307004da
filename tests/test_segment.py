from hypothesis import given

from rasd.text import normalize, normalize_text
from rasd.text.segment import clitic_bases, sentences, tokenize
from strategies import arabic_text


def test_clitic_readings() -> None:
    assert (1, "روسيا") in clitic_bases("لروسيا")
    assert (1, "الكرملين") in clitic_bases("بالكرملين")
    assert (2, "الكرملين") in clitic_bases("وبالكرملين")
    # ل + ال is written لل: the reading restores the article and keeps the ل inside the span.
    assert (1, "الولايات") in clitic_bases("وللولايات")
    assert clitic_bases("بوتين")[0] == (0, "بوتين")


def test_sentences_split_at_marks_and_lines_not_abbreviations_or_decimals() -> None:
    text = "قال د. سامي إن النمو بلغ 3.5 بالمئة. وأضاف: «نحن مستعدون»!\nسطر آخر"
    got = [s.text_in(text) for s in sentences(normalize(text))]
    assert got == ["قال د. سامي إن النمو بلغ 3.5 بالمئة.", "وأضاف: «نحن مستعدون»!", "سطر آخر"]


def test_tokens_cover_words_with_their_diacritics() -> None:
    text = "وَقالَ الـمتحدثُ: «لا»"
    toks = tokenize(normalize(text))
    assert [text[t.start : t.end] for t in toks] == ["وَقالَ", "الـمتحدثُ", ":", "«", "لا", "»"]
    assert [t.norm for t in toks][:2] == ["وقال", "المتحدث"]


@given(arabic_text)
def test_token_and_sentence_spans_map_back_exactly(text: str) -> None:
    nt = normalize(text)
    for t in tokenize(nt):
        assert 0 <= t.start < t.end <= len(text)
        assert normalize_text(text[t.start : t.end]).strip().startswith(t.norm[:1])
        assert t.norm in normalize_text(text[t.start : t.end])
    last = -1
    for s in sentences(nt):
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= last
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        last = s.end
