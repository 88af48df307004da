"""Turn the bytes of an input file into text, detecting the encodings Arabic news actually comes in.

Arabic corpora arrive as UTF-8 (with or without BOM), UTF-16 (Windows "Unicode" exports, sometimes without
a BOM) and the legacy Windows-1256 code page. Guessing wrong silently produces mojibake that every later
component would happily process, so each guess is checked and a clear `DecodeError` is raised instead.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice

__all__ = ["DecodeError", "arabic_letter_count", "decode_bytes", "is_mostly_arabic"]

# Arabic letters (base block, extended letters, presentation forms); digits and marks are not letters.
_LETTER_RANGES = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc"
_ARABIC_LETTER = re.compile(f"[{_LETTER_RANGES}]")
# C0 control characters other than whitespace: real text almost never contains them, binary data does.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text we can read; `reason` is for people, `code` is stable for programs."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def arabic_letter_count(text: str, up_to: int | None = None) -> int:
    """How many Arabic letters `text` has (used to reject documents that are not Arabic); with `up_to`,
    counting stops there, which is all a threshold needs and spares a long article a full scan."""
    if up_to is None:
        return len(_ARABIC_LETTER.findall(text))
    return sum(1 for _ in islice(_ARABIC_LETTER.finditer(text), up_to))


def is_mostly_arabic(text: str) -> bool:
    """True when at least half of the letters are Arabic and control characters are (nearly) absent.

    This is the check that makes a Windows-1256 guess trustworthy: any byte string decodes as cp1256, but
    only real Arabic text decodes to mostly Arabic letters without stray control characters.
    """
    arabic = arabic_letter_count(text)
    if arabic == 0:
        return False
    letters = sum(1 for c in text if c.isalpha())
    controls = len(_CONTROL.findall(text))
    return arabic * 2 >= letters and controls * 100 <= len(text)


def _plausibility(text: str) -> float:
    """Share of characters that are Arabic, ASCII printable or whitespace (to rank UTF-16 byte orders)."""
    if not text:
        return 0.0
    good = sum(
        1
        for c in text
        if "\u0600" <= c <= "\u06ff" or " " <= c <= "~" or c in "\n\r\t\u00a0«»" or "\ufb50" <= c <= "\ufeff"
    )
    return good / len(text)


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """Decode BOM-less UTF-16 when one byte order gives clearly plausible Arabic/ASCII text."""
    if len(data) % 2:
        data = data[:-1]  # a truncated last code unit
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if score >= 0.95 and (best is None or score > best[0]):
            best = (score, text, name)
    if best is None:
        return None
    return best[1], best[2]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode `data` and return (text, encoding name); raise `DecodeError` when it is not readable text.

    Order matters: BOMs are certain, then BOM-less UTF-16 (recognised by its NUL/0x06 high bytes), then
    strict UTF-8 (which random legacy bytes almost never pass), then Windows-1256 only if it yields Arabic.
    """
    if not data:
        raise DecodeError("empty file", "empty")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            reason = f"not valid UTF-8 despite its UTF-8 byte-order mark ({e.reason})"
            raise DecodeError(reason, "encoding") from e
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        body = data if len(data) % 2 == 0 else data[:-1]
        try:
            return body.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise DecodeError(f"not valid UTF-16 despite its byte-order mark ({e.reason})", "encoding") from e

    utf8: str | None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if b"\x00" in data or (utf8 is not None and _CONTROL.search(utf8)):
        guess = _guess_utf16(data)
        if guess is not None:
            return guess
        if b"\x00" in data:
            raise DecodeError("binary file (NUL bytes)", "binary")
    if utf8 is not None:
        if len(_CONTROL.findall(utf8)) * 10 > len(utf8):
            raise DecodeError("binary file (control characters)", "binary")
        return utf8, "utf-8"
    legacy = data.decode("cp1256")  # every byte is defined in cp1256, so this cannot fail
    if is_mostly_arabic(legacy):
        return legacy, "cp1256"
    raise DecodeError("not valid UTF-8, UTF-16 or Windows-1256 text", "encoding")
