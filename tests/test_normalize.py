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


def _reference_normalize(text: str):  # type: ignore[no-untyped-def]
    """Character by character, as `normalize` was first written: what the fast paths must equal."""
    from rasd.text.normalize import NormText, _fold

    pieces = [_fold(c) for c in text]
    norm = "".join(pieces)
    if all(len(p) == 1 for p in pieces):
        return NormText(text, norm, None)
    return NormText(text, norm, tuple(i for i, p in enumerate(pieces) for _ in p))


@given(st.one_of(arabic_text, st.text(max_size=60)))
def test_fast_normalisation_equals_the_character_by_character_one(text: str) -> None:
    from rasd.text.normalize import normalize_token

    assert normalize(text) == _reference_normalize(text)
    assert normalize_text(text) == _reference_normalize(text).text
    assert normalize_token(text) == (_reference_normalize(text).text or text)


def test_offsets_move_only_for_characters_that_fold_to_more_or_less_than_one() -> None:
    assert normalize("İstanbul").src is not None  # its lower case is two characters
    assert normalize("\ufef5").src is not None  # a ligature of two letters
    assert normalize("ﺏ").src is None  # a presentation form of one letter folds to one
