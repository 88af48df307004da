"""decode_bytes: each encoding Arabic news arrives in is read back exactly; non-text is refused clearly."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.ingest.encodings import DecodeError, decode_bytes, is_mostly_arabic

SAMPLE = "أعلنت وزارة الخارجية عن جولة جديدة من المحادثات بين الوفدين.\nوقال المتحدث إن الأجواء إيجابية."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("cp1256"), "cp1256"),
    ],
)
def test_decodes_each_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert text == SAMPLE
    assert found == encoding


def test_utf8_with_latin_and_digits() -> None:
    text = "قمة 2024 في Paris: الرئيس يلتقي نظيره."
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_empty_is_refused() -> None:
    with pytest.raises(DecodeError) as e:
        decode_bytes(b"")
    assert e.value.code == "empty"
    assert e.value.reason == "empty file"


def test_binary_with_nul_bytes() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\xff\xd8"
    with pytest.raises(DecodeError) as e:
        decode_bytes(data)
    assert e.value.code == "binary"
    assert "NUL" in e.value.reason


def test_binary_with_control_characters() -> None:
    with pytest.raises(DecodeError) as e:
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18]) * 10)
    assert e.value.code == "binary"


def test_invalid_utf8_that_is_not_arabic() -> None:
    # French in Windows-1252/Latin-1: not UTF-8, and read as cp1256 it is not Arabic either.
    data = "Le ministre a déclaré que la réunion était très importante à Genève.".encode("latin-1")
    with pytest.raises(DecodeError) as e:
        decode_bytes(data)
    assert e.value.code == "encoding"
    assert e.value.reason == "not valid UTF-8, UTF-16 or Windows-1256 text"


def test_broken_utf8_bom() -> None:
    with pytest.raises(DecodeError) as e:
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfd")
    assert e.value.code == "encoding"


def test_is_mostly_arabic() -> None:
    assert is_mostly_arabic("الوزير يزور المدينة")
    assert not is_mostly_arabic("The minister visits the city")
    assert not is_mostly_arabic("")


# Arabic letters that every encoding here can represent, with spaces, newlines and punctuation. The text
# starts with a word of at least two letters: a "text" such as "آ،" is also valid UTF-8 once encoded as
# cp1256 (bytes C2 A1), an ambiguity no real article has (two adjacent Arabic letters are never valid UTF-8).
_LETTERS = [chr(c) for c in range(0x0621, 0x064B) if c != 0x0640 and chr(c).encode("cp1256", "ignore")]
arabic_text = st.builds(
    lambda first, rest: first + rest,
    st.text(alphabet=st.sampled_from(_LETTERS), min_size=2, max_size=8),
    st.text(alphabet=st.sampled_from([*_LETTERS, " ", "\n", "،", ".", "؟", "«", "»"]), max_size=200),
)


@settings(max_examples=200, deadline=None)
@given(arabic_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16-bom-le", "utf-16-bom-be", "cp1256"]))
def test_round_trip(text: str, encoding: str) -> None:
    if encoding == "utf-16-bom-le":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif encoding == "utf-16-bom-be":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    assert decode_bytes(data)[0] == text


@settings(max_examples=200, deadline=None)
@given(arabic_text, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_round_trip_utf16_without_bom(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_arabic_letters_are_counted_up_to_a_threshold() -> None:
    from rasd.ingest.encodings import arabic_letter_count

    text = "قال الوزير: hello 123"
    assert arabic_letter_count(text) == 9
    assert arabic_letter_count(text, up_to=3) == 3
    assert arabic_letter_count(text, up_to=50) == 9
    assert arabic_letter_count("only Latin", up_to=20) == 0
