from hypothesis import given
from hypothesis import strategies as st

from rasd.text import normalize, normalize_text
from strategies import arabic_text


def test_folds_letter_variants_diacritics_and_digits() -> None:
    assert normalize_text("أحمد إبراهيم آمال") == "احمد ابراهيم امال"
    assert normalize_text("مُحَمَّدٌ") == "محمد"
    assert normalize_text("الـمحادثات") == "المحادثات"
    assert normalize_text("مستشفى الجامعة") == "مستشفي الجامعه"
    assert normalize_text("٢٠٢٢/١١/١٨") == "2022/11/18"
    assert normalize_text("NATO") == "nato"
    assert normalize_text("\ufefb") == "لا"  # presentation-form ligature expands


def test_span_maps_back_to_the_written_word() -> None:
    text = "قالَ وزيرُ الخارجيةِ أنتوني بلينكن"
    nt = normalize(text)
    i = nt.text.index("وزير")
    s, e = nt.to_orig_span(i, i + len("وزير"))
    assert text[s:e] == "وزيرُ"  # trailing diacritic kept with its word


def test_identity_map_when_nothing_changes() -> None:
    nt = normalize("روسيا واشنطن")
    assert nt.src is None
    assert nt.to_orig_span(0, 5) == (0, 5)


@given(arabic_text)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert normalize(text).text == once


@given(arabic_text, st.data())
def test_every_normalised_range_maps_to_original_chars_that_normalise_to_it(text: str, data: st.DataObject) -> None:
    nt = normalize(text)
    n = len(nt.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    s, e = nt.to_orig_span(start, end)
    assert 0 <= s <= e <= len(text)
    if start < end:
        # The original range normalises to the normalised range (ligatures may add a neighbour char).
        assert nt.text[start:end] in normalize_text(text[s:e])


def test_unassigned_presentation_form_code_points_are_kept() -> None:
    assert normalize_text("\ufdc8\ufdd0") == "\ufdc8\ufdd0"
