"""The stated publication date of an article, from its header lines or its metadata.

Relative dates in the story ("أمس", "الأربعاء الماضي") only resolve against the day the article was
published, so this is the reference for `find_dates`. Only a date that the header states counts: one after
a "تم النشر"-style label, one standing on a short line of its own, or one leading a line as a dateline
("الرياض - 18 فبراير 2025 - ..."). A date inside a story sentence is an event date, not a publication date.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from rasd.text.normalize import normalize, normalize_text
from rasd.time.expressions import DateExpr, find_dates

PUB_MIN_YEAR = 1990
PUB_MAX_YEAR = 2035


@dataclass(frozen=True, slots=True)
class PubDate:
    """A publication date and where it is written (offsets into the original text).

    `basis` says why it was taken: "published-label", "dateline", "header-line" or "updated-label".
    """

    date: dt.date
    start: int
    end: int
    basis: str


_LABEL = re.compile(
    r"(?<!\w)(?:(?P<pub>تم النشر|تاريخ النشر|نشر في|نشرت في|نشر بتاريخ|نشر|date published|published on|"
    r"published|publication date|بتاريخ|التاريخ)"
    r"|(?P<upd>تم التحديث|اخر تحديث|تاريخ التحديث|تحديث|محدث|last updated|updated on|updated|"
    r"last modified|modified))(?!\w)"
)
# What may stand between a label and its date: punctuation, a time of day, and a few filler words.
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_GAP_SPLIT = re.compile(r"[\s:：\-–—|،,()/\[\]]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FILLER = _word_set(
    "في بتاريخ يوم on at الساعه ساعه ص م صباحا مساء am pm gmt utc بتوقيت توقيت غرينتش غرينيتش جرينتش "
    "جرينيتش مكه المكرمه القدس الرياض المحلي بيروت القاهره الدوحه ابوظبي دمشق بغداد"
)
_PREPOSITIONS = _word_set("في منذ حتى قبل بعد خلال من الى عن على حول بين لغايه وفي ومنذ وحتى")
_DATELINE_SEPARATORS = "-–—،,:|(/)"
_MAX_GAP = 40
_MAX_DATELINE_PREFIX_WORDS = 5
_MAX_HEADER_LINE_WORDS = 6


def _words(s: str) -> list[str]:
    return [w for w in _GAP_SPLIT.split(_TIME.sub(" ", s)) if w and not w.isdigit()]


def _gap_ok(gap: str) -> bool:
    return len(gap) <= _MAX_GAP and all(w in _FILLER for w in _words(normalize_text(gap)))


def _label_for(text: str, ls: int, le: int, d: DateExpr) -> str | None:
    """ "pub" or "upd" when the nearest label before the date on its line is right next to it."""
    line = normalize(text[ls:le])
    kind: str | None = None
    label_end = ls
    for m in _LABEL.finditer(line.text):
        _, e = line.to_orig_span(m.start(), m.end())
        if ls + e <= d.start:
            kind, label_end = ("pub" if m["pub"] else "upd"), ls + e
    if kind is None or not _gap_ok(text[label_end : d.start]):
        return None
    return kind


def _unlabelled_basis(text: str, ls: int, le: int, d: DateExpr) -> str | None:
    """ "dateline" or "header-line" for a date that the line's shape shows to be a header date."""
    prefix = normalize_text(text[ls : d.start])
    suffix = normalize_text(text[d.end : le])
    pre_words = _words(prefix)
    if pre_words and pre_words[-1] in _PREPOSITIONS:
        return None
    stripped = prefix.rstrip()
    if not stripped:
        return "dateline"
    if len(pre_words) <= _MAX_DATELINE_PREFIX_WORDS and stripped[-1] in _DATELINE_SEPARATORS:
        return "dateline"
    rest = [w for w in pre_words + _words(suffix) if w not in _FILLER]
    if len(rest) <= _MAX_HEADER_LINE_WORDS and not text[ls:le].rstrip().endswith("."):
        return "header-line"
    return None


def _is_pub_candidate(d: DateExpr) -> bool:
    return (
        d.kind in ("absolute", "hijri")
        and d.precision == "day"
        and d.value is not None
        and PUB_MIN_YEAR <= int(d.value[:4]) <= PUB_MAX_YEAR
    )


_PRIORITY = {"published-label": 0, "dateline": 1, "header-line": 1, "updated-label": 2}


def find_publication_date(text: str, max_chars: int = 600) -> PubDate | None:
    """The publication date stated in the header (the first `max_chars` characters), or None.

    A "published" label beats an unlabelled header date, which beats an "updated" label; within a line a
    Gregorian date beats the Hijri one printed beside it.
    """
    window = text[: max_chars + 40]  # do not cut a date that starts just before the limit
    best: tuple[tuple[int, int, bool, int], PubDate] | None = None
    for d in find_dates(window, None):
        if d.start >= max_chars or not _is_pub_candidate(d):
            continue
        ls = text.rfind("\n", 0, d.start) + 1
        le = text.find("\n", d.end)
        if le < 0:
            le = len(text)
        label = _label_for(text, ls, le, d)
        if label == "pub":
            basis: str | None = "published-label"
        elif label == "upd":
            basis = "updated-label"
        else:
            basis = _unlabelled_basis(text, ls, le, d)
        if basis is None:
            continue
        assert d.value is not None
        key = (_PRIORITY[basis], ls, d.kind != "absolute", d.start)
        if best is None or key < best[0]:
            best = (key, PubDate(dt.date.fromisoformat(d.value), d.start, d.end, basis))
    return best[1] if best else None


_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])")
_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:$|T)")
_EN_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_EN_M = r"(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_DMY = re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_EN_M},?\s+(?P<y>\d{{4}})(?!\d)")
_EN_MDY = re.compile(rf"(?<!\w){_EN_M}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)")


def _checked(y: int, m: int, d: int) -> dt.date | None:
    if not PUB_MIN_YEAR <= y <= PUB_MAX_YEAR:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date_string(s: str) -> dt.date | None:
    """The date in a metadata value (ISO, RFC 2822, "18/11/2022", Arabic or English month names).

    The date is taken as written, without shifting time zones: it is the date the outlet states.
    """
    if not s or not s.strip():
        return None
    t = normalize_text(s).strip()
    for rx in (_ISO, _COMPACT):
        m = rx.match(t)
        if m:
            return _checked(int(m[1]), int(m[2]), int(m[3]))
    for d in find_dates(t, None):
        if _is_pub_candidate(d) and d.value:
            return dt.date.fromisoformat(d.value)
    for rx in (_EN_DMY, _EN_MDY):
        m = rx.search(t)
        if m and (found := _checked(int(m["y"]), _EN_MONTHS[m["m"]], int(m["d"]))):
            return found
    try:
        parsed = email.utils.parsedate_to_datetime(t)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _checked(parsed.year, parsed.month, parsed.day)
