"""Month and weekday lexicons for Arabic news, keyed by their normalised forms.

Arab outlets name the same Gregorian month in up to four systems (Egyptian/Gulf transliterations,
Levantine/Iraqi Syriac names, Algerian/Tunisian French-derived names, Moroccan Spanish-derived names) and
often print two of them side by side ("نوفمبر/تشرين الثاني"). Keys are in `normalize_text` form so that
matching can run on normalised text and every spelling variant folds onto one entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rasd.text.normalize import normalize_text

# Horizontal whitespace only: a date never continues onto the next line.
SP = r"[^\S\n]+"
SP0 = r"[^\S\n]*"


def _norm_keys(table: dict[str, int]) -> dict[str, int]:
    """Write lexicons in their usual spelling and key them by the normalised form the matcher sees."""
    return {normalize_text(k): v for k, v in table.items()}


# Egypt, the Gulf, Sudan, and most pan-Arab outlets.
MSA_MONTHS: dict[str, int] = _norm_keys(
    {
        "يناير": 1,
        "فبراير": 2,
        "مارس": 3,
        "أبريل": 4,
        "ابريل": 4,
        "إبريل": 4,
        "مايو": 5,
        "يونيو": 6,
        "يونيه": 6,
        "يونية": 6,
        "يوليو": 7,
        "يوليه": 7,
        "يولية": 7,
        "أغسطس": 8,
        "اغسطس": 8,
        "سبتمبر": 9,
        "أكتوبر": 10,
        "اكتوبر": 10,
        "نوفمبر": 11,
        "ديسمبر": 12,
    }
)

# Syria, Lebanon, Jordan, Palestine, Iraq.
LEVANTINE_MONTHS: dict[str, int] = _norm_keys(
    {
        "كانون الثاني": 1,
        "شباط": 2,
        "آذار": 3,
        "نيسان": 4,
        "أيار": 5,
        "حزيران": 6,
        "تموز": 7,
        "آب": 8,
        "أيلول": 9,
        "تشرين الأول": 10,
        "تشرين الثاني": 11,
        "كانون الأول": 12,
    }
)

# Algeria and Tunisia (French-derived).
MAGHREBI_MONTHS: dict[str, int] = _norm_keys(
    {
        "جانفي": 1,
        "فيفري": 2,
        "مارس": 3,
        "أفريل": 4,
        "افريل": 4,
        "ماي": 5,
        "جوان": 6,
        "جويلية": 7,
        "أوت": 8,
        "سبتمبر": 9,
        "أكتوبر": 10,
        "نوفمبر": 11,
        "ديسمبر": 12,
    }
)

# Morocco (Spanish/French-derived).
MOROCCAN_MONTHS: dict[str, int] = _norm_keys(
    {
        "يناير": 1,
        "فبراير": 2,
        "مارس": 3,
        "أبريل": 4,
        "ماي": 5,
        "يونيو": 6,
        "يوليوز": 7,
        "غشت": 8,
        "شتنبر": 9,
        "أكتوبر": 10,
        "نونبر": 11,
        "دجنبر": 12,
    }
)

GREGORIAN_MONTHS: dict[str, int] = {**MSA_MONTHS, **LEVANTINE_MONTHS, **MAGHREBI_MONTHS, **MOROCCAN_MONTHS}

HIJRI_MONTHS: dict[str, int] = _norm_keys(
    {
        "محرم": 1,
        "المحرم": 1,
        "صفر": 2,
        "ربيع الأول": 3,
        "ربيع أول": 3,
        "ربيع الآخر": 4,
        "ربيع الثاني": 4,
        "ربيع ثاني": 4,
        "جمادى الأولى": 5,
        "جمادى الأول": 5,
        "جمادى الآخرة": 6,
        "جمادى الآخر": 6,
        "جمادى الثانية": 6,
        "رجب": 7,
        "شعبان": 8,
        "رمضان": 9,
        "شوال": 10,
        "ذو القعدة": 11,
        "ذي القعدة": 11,
        "ذو الحجة": 12,
        "ذي الحجة": 12,
    }
)

# Python's numbering (Monday == 0), so values work with date.weekday().
_WEEKDAY_BASE: dict[str, int] = _norm_keys(
    {
        "الاثنين": 0,
        "الإثنين": 0,
        "الثلاثاء": 1,
        "الأربعاء": 2,
        "الخميس": 3,
        "الجمعة": 4,
        "السبت": 5,
        "الأحد": 6,
    }
)
WEEKDAYS: dict[str, int] = {**_WEEKDAY_BASE, **{f"يوم {k}": v for k, v in _WEEKDAY_BASE.items()}}

# Short names that are also common words: only accepted when nothing is glued in front ("باب" is a door).
_NO_PREFIX = frozenset({normalize_text("آب"), "ماي", "صفر"})


def _alternation(names: dict[str, int]) -> str:
    """One regex alternative per name, longest first, with internal spaces widened to any horizontal run."""
    parts: list[str] = []
    for name in sorted(names, key=len, reverse=True):
        pat = re.escape(name).replace(r"\ ", SP)
        if name in _NO_PREFIX:
            pat = r"(?<!\w)" + pat
        parts.append(pat)
    return "(?:" + "|".join(parts) + r")(?!\w)"


def first_word_anchor(names: Iterable[str]) -> str:
    """A regex found wherever one of the names (as `_alternation` matches them) begins: each name's first
    word as a whole word. Every alternative starts with a letter, so the regex engine scans for it fast;
    the no-prefix names check the character before them with a lookbehind placed after the word."""
    parts: set[str] = set()
    for name in names:
        word = name.split()[0]
        if name in _NO_PREFIX:
            parts.add(re.escape(word) + r"(?<!\w" + "." * len(word) + r")(?!\w)")
        else:
            parts.add(re.escape(word) + r"(?!\w)")
    return "|".join(sorted(parts, key=lambda p: (-len(p), p)))


GREGORIAN_MONTH_NAME_RE = _alternation(GREGORIAN_MONTHS)
"""A single Gregorian month name in any system (normalised text, no groups)."""

_ONE = GREGORIAN_MONTH_NAME_RE
GREGORIAN_MONTH_RE = f"{_ONE}(?:{SP0}/{SP0}{_ONE}|{SP0}\\({SP0}{_ONE}{SP0}\\))?"
"""A Gregorian month name, optionally doubled: "نوفمبر/تشرين الثاني", "نوفمبر (تشرين الثاني)"."""

HIJRI_MONTH_RE = _alternation(HIJRI_MONTHS)
"""A Hijri month name (normalised text, no groups)."""

WEEKDAY_RE = _alternation(_WEEKDAY_BASE)
"""A weekday name without "يوم" (normalised text, no groups)."""

_GREG_FIND = re.compile(GREGORIAN_MONTH_NAME_RE)
_HIJRI_FIND = re.compile(HIJRI_MONTH_RE)
_WEEKDAY_FIND = re.compile(WEEKDAY_RE)


def _squash(s: str) -> str:
    return " ".join(s.split())


def gregorian_month(s: str) -> int | None:
    """Month number of the first Gregorian month name in normalised `s` (the first of a double form)."""
    m = _GREG_FIND.search(s)
    return GREGORIAN_MONTHS.get(_squash(m.group(0))) if m else None


def hijri_month(s: str) -> int | None:
    """Month number of the first Hijri month name in normalised `s`."""
    m = _HIJRI_FIND.search(s)
    return HIJRI_MONTHS.get(_squash(m.group(0))) if m else None


def weekday_number(s: str) -> int | None:
    """Python weekday (Monday == 0) of the first weekday name in normalised `s`."""
    m = _WEEKDAY_FIND.search(s)
    return WEEKDAYS.get(m.group(0)) if m else None
