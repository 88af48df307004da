"""Date expressions in Arabic news text, resolved against the publication date.

Event records need a date, and news states most dates relative to the day it was written ("أمس",
"الأربعاء الماضي", "الشهر المقبل") or without the year ("16 نوفمبر"). Matching runs on normalised text
(one pattern per form) and every span is mapped back, so offsets always point into the original text.
Where patterns overlap, the longest span wins: "يوم الأربعاء 16 نوفمبر 2022" is one expression, not a
weekday plus a date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from rasd.text.normalize import NormText, normalize
from rasd.time.months import (
    GREGORIAN_MONTH_RE,
    GREGORIAN_MONTHS,
    HIJRI_MONTH_RE,
    HIJRI_MONTHS,
    SP,
    SP0,
    WEEKDAY_RE,
    WEEKDAYS,
    first_word_anchor,
    gregorian_month,
    hijri_month,
    weekday_number,
)

try:  # Optional at import time: without it Hijri dates are still found, just not converted.
    from hijridate import Hijri
except ImportError:  # pragma: no cover - hijridate is installed in the project venv
    Hijri = None

Precision = Literal["day", "week", "month", "year"]
Kind = Literal["absolute", "relative", "hijri"]
Part = Literal["early", "mid", "late"]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression: original offsets, its text, and its value as ISO at `precision`.

    `kind` is "relative" whenever the value depends on the reference date (including a day and month
    without a year); such values are None when no reference is given. Week values are the ISO Monday.
    `part` records "أوائل/منتصف/أواخر" style qualifiers, which narrow but do not change the value.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: Precision | None
    kind: Kind
    part: Part | None = None


class _Val(NamedTuple):
    value: str | None
    precision: Precision | None
    kind: Kind


_Handler = Callable[[re.Match[str], dt.date | None, NormText], _Val | None]

# Gregorian years we accept as dates; four-digit numbers outside this are counts, not years.
MIN_YEAR = 1900
MAX_YEAR = 2099
# How far past the reference a yearless date may lie before we read it as last year's.
FUTURE_WINDOW = dt.timedelta(days=62)

S, S0 = SP, SP0
LB = r"(?<!\w)"
CL = r"(?P<cl>[وف]?[بل]|[وف])?"  # clitic conjunction/preposition glued to the first word
WD_PREFIX = rf"(?:(?:يوم{S})?(?P<wd>{WEEKDAY_RE})(?:{S0}[،,]{S0}|{S})|يوم{S})?"
DAY = r"(?<!\d)(?P<d>[0-3]?\d)(?!\d)"
DM_SEP = rf"(?:{S0}[-/.]{S0}|{S0})(?:من{S})?(?:شهر{S})?"
YEAR_WORD = r"(?:عام|العام|سنه|السنه)"
MY_SEP = rf"(?:{S0}[-/.,،]{S0}|{S})(?:(?:من{S})?{YEAR_WORD}{S})?"
GYEAR = rf"(?P<y>(?:19|20)\d\d)(?!\d)(?:{S0}م(?!\w))?"
HYEAR = r"(?P<hy>1[2-5]\d\d)(?!\d)"
HSUFFIX = rf"(?:{S0}ه(?!\w)|{S}للهجره|{S}هجري(?:ه)?(?!\w))?"

_PAST = ("الماضي", "الماضيه", "المنصرم", "المنصرمه", "الفايت", "الفايته", "المنقضي", "المنقضيه")
_FUTURE = ("المقبل", "المقبله", "القادم", "القادمه")
_CURRENT = ("الجاري", "الجاريه", "الحالي", "الحاليه")
QUAL = "(?P<q>" + "|".join(_PAST + _FUTURE + _CURRENT) + r")(?!\w)"
YQUAL = (
    rf"{S0}[،,]?{S}من{S}(?:(?P<yh>هذا{S}العام|هذه{S}السنه)|{YEAR_WORD}{S}(?P<yq>"
    + "|".join(_PAST + _FUTURE + _CURRENT)
    + r"))(?!\w)"
)
_PARTS: dict[str, Part] = {
    "اوايل": "early",
    "مطلع": "early",
    "بدايه": "early",
    "بدايات": "early",
    "منتصف": "mid",
    "اواسط": "mid",
    "اواخر": "late",
    "نهايه": "late",
    "نهايات": "late",
    "اخر": "late",
}
MOD = "(?P<mod>" + "|".join(_PARTS) + r")(?!\w)"
MODX = rf"(?:{MOD}{S})?"
PREP = r"(?P<prep>[وف]?(?:في|خلال|منذ|حتى|بحلول|قبل|بعد|الى|طوال|طيله|مع))"
UNIT = r"(?P<unit>الشهر|الاسبوع|العام|السنه)"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words before "العام" that make it the adjective "general", not "the year" (الأمين العام الحالي).
_AM_ADJ_HEADS = _word_set(
    "الامين المدعي النايب الراي القطاع المال الشان الموتمر الاضراب العفو المدير الامن المفتش المراقب "
    "المنسق الحاكم القايد المرشد الصالح النفع التعليم الانفاق التيار الاتحاد المشرف الوكيل المستشار "
    "الادعاء النظام الاطار الخط الطابع المزاج المناخ الوضع الجو الشعور الاتجاه"
)
_FUTURE_MARKERS = re.compile(r"(?<!\w)(?:سوف|من المقرر|من المتوقع|المقرر|المرتقب|المزمع|يعتزم|تعتزم)(?!\w)")
# Words after "اليوم" that make it "the day (of something)", not today.
_NOT_TODAY = _word_set("التالي نفسه ذاته السابق الاول الثاني الثالث الاخير الوطني العالمي الدولي")
_TODAY_EXCLUDE = "|".join(sorted(_NOT_TODAY | _word_set("المشهود الموعود الذي الاتي")))
_NUMBER_WORDS: dict[str, int] = {
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثماني": 8,
    "ثمان": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
}
# unit word -> (precision, count implied by the word itself; 0 = plural, needs a number)
_AGO_UNITS: dict[str, tuple[Precision, int]] = {
    "يوم": ("day", 1),
    "يوما": ("day", 1),
    "يومين": ("day", 2),
    "ايام": ("day", 0),
    "اسبوع": ("week", 1),
    "اسبوعا": ("week", 1),
    "اسبوعين": ("week", 2),
    "اسابيع": ("week", 0),
    "شهر": ("month", 1),
    "شهرا": ("month", 1),
    "شهرين": ("month", 2),
    "اشهر": ("month", 0),
    "شهور": ("month", 0),
    "عام": ("year", 1),
    "عاما": ("year", 1),
    "عامين": ("year", 2),
    "اعوام": ("year", 0),
    "سنه": ("year", 1),
    "سنتين": ("year", 2),
    "سنوات": ("year", 0),
    "سنين": ("year", 0),
}


# --- small date helpers -------------------------------------------------------------------------


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _fmt(d: dt.date, precision: Precision) -> str:
    if precision == "day":
        return d.isoformat()
    if precision == "week":
        return _monday(d).isoformat()
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + delta
    return k // 12, k % 12 + 1


def _direction(q: str | None) -> int | None:
    """-1 past, +1 future, 0 current, None when there is no qualifier."""
    if not q:
        return None
    if q in _PAST:
        return -1
    if q in _FUTURE:
        return 1
    return 0


def _year_qual(m: re.Match[str], ref: dt.date) -> int | None:
    """The year named by "من العام الماضي/هذا العام" after a month, if present."""
    gd = m.groupdict()
    if gd.get("yh"):
        return ref.year
    d = _direction(gd.get("yq"))
    return None if d is None else ref.year + d


def _hijri_to_gregorian(y: int, m: int, d: int) -> dt.date | None:
    """Umm al-Qura conversion; day 30 of a 29-day month (sighting calendars) becomes the next day."""
    if Hijri is None:
        return None
    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        if d != 30:
            return None
        try:
            g = Hijri(y, m, 29).to_gregorian() + dt.timedelta(days=1)
        except (ValueError, OverflowError):
            return None
    return dt.date(g.year, g.month, g.day)


def _prev_word(t: str, pos: int) -> str:
    words = t[max(0, pos - 40) : pos].split()
    return words[-1] if words else ""


def _clause_before(t: str, pos: int) -> str:
    chunk = t[max(0, pos - 80) : pos]
    cut = max(chunk.rfind(c) for c in ".!?؟\n")
    return chunk[cut + 1 :]


def _in_year_range(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


# --- handlers -----------------------------------------------------------------------------------


def _h_full(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """Day, month name and year: "الجمعة 18 نوفمبر/تشرين الثاني 2022"."""
    y, mo = int(m["y"]), gregorian_month(m["m"])
    d = _date(y, mo, int(m["d"])) if mo else None
    if d is None or not _in_year_range(y):
        return None
    return _Val(d.isoformat(), "day", "absolute")


def _h_numeric_ymd(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    d = _date(int(m["y"]), int(m["mo"]), int(m["d"]))
    return _Val(d.isoformat(), "day", "absolute") if d else None


def _h_numeric_dmy(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """Day first, as Arabic sites write; month first only when day first is impossible (11/18/2022)."""
    y, a, b = int(m["y"]), int(m["d"]), int(m["mo"])
    d = _date(y, b, a) or _date(y, a, b)
    return _Val(d.isoformat(), "day", "absolute") if d else None


def _nearest_day(mo: int, day: int, ref: dt.date, wd: int | None) -> dt.date | None:
    """The latest occurrence of day/month not more than FUTURE_WINDOW after the reference.

    A stated weekday that fits exactly one of the nearby years picks that year instead.
    """
    options = [c for y in (ref.year + 1, ref.year, ref.year - 1) if (c := _date(y, mo, day))]
    if wd is not None:
        fitting = [c for c in options if c.weekday() == wd and abs((c - ref).days) < 300]
        if len(fitting) == 1:
            return fitting[0]
    for c in options:
        if c <= ref + FUTURE_WINDOW:
            return c
    return None


def _h_day_month(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """Day and month without a year: "16 نوفمبر", "16 نوفمبر الماضي", "3 مارس من العام المقبل"."""
    mo, day = gregorian_month(m["m"]), int(m["d"])
    if not mo or not 1 <= day <= 31 or _date(2000, mo, day) is None:  # 2000: leap year keeps 29 Feb
        return None
    if ref is None:
        return _Val(None, "day", "relative")
    y = _year_qual(m, ref)
    if y is not None:
        d = _date(y, mo, day)
    else:
        direction = _direction(m["q"])
        if direction == -1:
            d = _date(ref.year, mo, day)
            if d is None or d >= ref:
                d = _date(ref.year - 1, mo, day)
        elif direction == 1:
            d = _date(ref.year, mo, day)
            if d is None or d <= ref:
                d = _date(ref.year + 1, mo, day)
        elif direction == 0:
            d = _date(ref.year, mo, day)
        else:
            d = _nearest_day(mo, day, ref, weekday_number(m["wd"]) if m["wd"] else None)
    return _Val(d.isoformat() if d else None, "day", "relative")  # 29 Feb far from a leap year: None


def _h_day_of_month(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """A day of the current/previous/next month: "في 18 من الشهر الجاري"."""
    day = int(m["d"])
    if not 1 <= day <= 31:
        return None
    if ref is None:
        return _Val(None, "day", "relative")
    y, mo = _shift_month(ref.year, ref.month, _direction(m["q"]) or 0)
    d = _date(y, mo, day)
    return _Val(d.isoformat(), "day", "relative") if d else None


def _h_month_year(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    y, mo = int(m["y"]), gregorian_month(m["m"])
    if not mo or not _in_year_range(y):
        return None
    return _Val(f"{y:04d}-{mo:02d}", "month", "absolute")


def _h_month_qual(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "مارس الماضي": the latest March before the reference month (a year back if it is March)."""
    mo = gregorian_month(m["m"])
    if not mo:
        return None
    if ref is None:
        return _Val(None, "month", "relative")
    y = _year_qual(m, ref)
    if y is None:
        direction = _direction(m["q"])
        if direction == -1:
            y = ref.year if mo < ref.month else ref.year - 1
        elif direction == 1:
            y = ref.year if mo > ref.month else ref.year + 1
        else:
            y = ref.year
    return _Val(f"{y:04d}-{mo:02d}", "month", "relative")


def _h_month_bare(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """A month name alone; it needs a preposition, "شهر" or a part word, since "مارس" is also a verb."""
    cl = m["cl"] or ""
    if not (m["prep"] or m["sh"] or m["mod"] or "ب" in cl or "ل" in cl):
        return None
    mo = gregorian_month(m["m"])
    if not mo:
        return None
    if ref is None:
        return _Val(None, "month", "relative")
    limit = ref + FUTURE_WINDOW
    for y in (ref.year + 1, ref.year, ref.year - 1):
        if dt.date(y, mo, 1) <= limit:
            return _Val(f"{y:04d}-{mo:02d}", "month", "relative")
    return None  # pragma: no cover - the previous year always qualifies


def _unit_value(unit: str, direction: int, ref: dt.date) -> _Val:
    if unit == "الشهر":
        y, mo = _shift_month(ref.year, ref.month, direction)
        return _Val(f"{y:04d}-{mo:02d}", "month", "relative")
    if unit == "الاسبوع":
        return _Val(_fmt(ref + dt.timedelta(weeks=direction), "week"), "week", "relative")
    return _Val(f"{ref.year + direction:04d}", "year", "relative")


_UNIT_PRECISION: dict[str, Precision] = {
    "الشهر": "month",
    "الاسبوع": "week",
    "العام": "year",
    "السنه": "year",
}


def _h_unit_qual(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "الشهر الماضي", "الأسبوع المقبل", "العام الجاري", "السنة الماضية"."""
    unit = m["unit"]
    if unit == "العام" and not (m["mod"] or m["cl"]) and _prev_word(nt.text, m.start("x")) in _AM_ADJ_HEADS:
        return None
    if ref is None:
        return _Val(None, _UNIT_PRECISION[unit], "relative")
    return _unit_value(unit, _direction(m["q"]) or 0, ref)


def _h_unit_this(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "هذا الشهر", "نهاية هذا الأسبوع", and "نهاية الشهر" (a part word alone means the current one)."""
    unit = m["unit"]
    if ref is None:
        return _Val(None, _UNIT_PRECISION[unit], "relative")
    return _unit_value(unit, 0, ref)


def _h_yesterday(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    if ref is None:
        return _Val(None, "day", "relative")
    back = 2 if m["db"] else 1
    return _Val((ref - dt.timedelta(days=back)).isoformat(), "day", "relative")


def _h_today(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    if _prev_word(nt.text, m.start("x")) in ("ذلك", "ذاك", "نفس", "ذات"):
        return None
    if ref is None:
        return _Val(None, "day", "relative")
    return _Val(ref.isoformat(), "day", "relative")


_AFTER_TOMORROW_OK = re.compile(
    rf"(?:{S0}(?:$|[.,،؛:!?؟)\-–—]|{WEEKDAY_RE}|(?:في|على|الى|من|مع|عند|بعد|قبل|عن|حول)(?!\w)))"
)


def _h_tomorrow(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "غداً", "يوم الغد", "بعد غد"; bare "غدا" is also the verb "became", so it needs support."""
    if m["bare"]:
        o_start, o_end = nt.to_orig_span(*m.span("x"))
        supported = (
            "\u064b" in nt.original[o_start:o_end]  # written with tanween: غداً
            or _prev_word(nt.text, m.start("x")) in ("يوم", "صباح", "مساء", "ظهر", "حتى", "من")
            or _AFTER_TOMORROW_OK.match(nt.text, m.end("x")) is not None
        )
        if not supported:
            return None
    if ref is None:
        return _Val(None, "day", "relative")
    ahead = 2 if m["ag"] else 1
    return _Val((ref + dt.timedelta(days=ahead)).isoformat(), "day", "relative")


def _h_weekday(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """A weekday: the publication day itself when it is that weekday, else the latest one before it; the next
    one when the text says so; a week back with "الماضي"."""
    if _prev_word(nt.text, m.start("x")) in ("كل", "ايام", "يومي"):
        return None
    wd = weekday_number(m["wd"])
    if wd is None:
        return None
    if ref is None:
        return _Val(None, "day", "relative")
    direction = _direction(m["q"])
    if direction is None and _FUTURE_MARKERS.search(_clause_before(nt.text, m.start("x"))):
        direction = 1
    if direction is None and wd == ref.weekday():
        d = ref  # "اتفقا، الثلاثاء، ..." in an article of that Tuesday: the day itself, as wire copy means it
    elif direction == 1:
        d = ref + dt.timedelta(days=(wd - ref.weekday()) % 7 or 7)
    else:
        d = ref - dt.timedelta(days=(ref.weekday() - wd) % 7 or 7)
    return _Val(d.isoformat(), "day", "relative")


def _h_year(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    y = int(m["y"])
    if not _in_year_range(y):
        return None
    return _Val(f"{y:04d}", "year", "absolute")


def _h_hijri_full(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "15 رمضان 1444 هـ", converted to the Gregorian day."""
    mo, day = hijri_month(m["hm"]), int(m["d"])
    if not mo or not 1 <= day <= 30:
        return None
    g = _hijri_to_gregorian(int(m["hy"]), mo, day)
    return _Val(g.isoformat() if g else None, "day", "hijri")


def _h_hijri_month(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "رمضان 1444 هـ": the Gregorian month holding the middle of the Hijri month."""
    mo = hijri_month(m["hm"])
    if not mo:
        return None
    g = _hijri_to_gregorian(int(m["hy"]), mo, 15)
    return _Val(_fmt(g, "month") if g else None, "month", "hijri")


def _h_ago(m: re.Match[str], ref: dt.date | None, nt: NormText) -> _Val | None:
    """ "قبل يومين", "منذ ثلاثة أسابيع", "بعد أسبوع": an offset from the reference."""
    precision, implied = _AGO_UNITS[m["u"]]
    n_txt = m["n"]
    n = implied
    if n_txt:
        n = int(n_txt) if n_txt.isdigit() else _NUMBER_WORDS[n_txt]
    if n <= 0 or n > 400:
        return None
    if ref is None:
        return _Val(None, precision, "relative")
    sign = 1 if m["dir"] == "بعد" else -1
    if precision == "day":
        d = ref + dt.timedelta(days=sign * n)
    elif precision == "week":
        d = ref + dt.timedelta(weeks=sign * n)
    elif precision == "month":
        y, mo = _shift_month(ref.year, ref.month, sign * n)
        d = dt.date(y, mo, 1)
    else:
        d = dt.date(ref.year + sign * n, 1, 1)
    return _Val(_fmt(d, precision), precision, "relative")


# --- patterns (on normalised text) -------------------------------------------------------------

_PAST_OR_FUTURE = "|".join(_PAST + _FUTURE)
_NUMWORD_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNIT_WORD_RE = "|".join(sorted(_AGO_UNITS, key=len, reverse=True))
_NOT_MORE_DIGITS = rf"(?!{MY_SEP}\d)"

_PATTERNS: list[tuple[str, _Handler]] = [
    (rf"{LB}{CL}(?P<x>{WD_PREFIX}{DAY}{DM_SEP}(?P<m>{GREGORIAN_MONTH_RE}){MY_SEP}{GYEAR})", _h_full),
    (rf"{LB}{CL}(?P<x>(?P<m>{GREGORIAN_MONTH_RE}){S}{DAY}{S0}[،,]{S0}{GYEAR})", _h_full),
    (
        r"(?<![\d/.\-])(?P<y>(?:19|20)\d\d)(?P<s>[-/.])(?P<mo>[01]?\d)(?P=s)(?P<d>[0-3]?\d)(?![\d/])",
        _h_numeric_ymd,
    ),
    (
        r"(?<![\d/.\-])(?P<d>[0-3]?\d)(?P<s>[-/.])(?P<mo>[0-3]?\d)(?P=s)(?P<y>(?:19|20)\d\d)(?![\d/])",
        _h_numeric_dmy,
    ),
    (
        rf"{LB}{CL}(?P<x>{WD_PREFIX}{DAY}{DM_SEP}(?P<m>{GREGORIAN_MONTH_RE}){_NOT_MORE_DIGITS}"
        rf"(?:{YQUAL}|{S}{QUAL})?)",
        _h_day_month,
    ),
    (rf"{LB}{CL}(?P<x>{DAY}{S}من{S}(?:هذا{S})?الشهر(?!\w)(?:{S}{QUAL})?)", _h_day_of_month),
    (rf"{LB}{CL}(?P<x>{MODX}(?:شهر{S})?(?P<m>{GREGORIAN_MONTH_RE}){MY_SEP}{GYEAR})", _h_month_year),
    (
        rf"{LB}{CL}(?P<x>{MODX}(?:شهر{S})?(?P<m>{GREGORIAN_MONTH_RE})(?:{YQUAL}|{S}{QUAL}))",
        _h_month_qual,
    ),
    (
        rf"{LB}(?:{PREP}{S})?{CL}(?P<x>{MODX}(?:(?P<sh>شهر){S})?(?P<m>{GREGORIAN_MONTH_RE})){_NOT_MORE_DIGITS}",
        _h_month_bare,
    ),
    (rf"{LB}{CL}(?P<x>{MODX}{UNIT}{S}{QUAL})", _h_unit_qual),
    (rf"{LB}{CL}(?P<x>{MODX}(?:هذا|هذه){S}{UNIT}(?!\w))", _h_unit_this),
    (rf"{LB}{CL}(?P<x>{MOD}{S}{UNIT}(?!\w))", _h_unit_this),
    (
        rf"{LB}{CL}(?P<x>(?:يوم{S})?(?:(?P<db>اول{S}(?:من{S})?امس|امس{S}الاول)|(?:ال)?امس|البارحه)(?!\w)"
        rf"(?:{S}(?P<wd>{WEEKDAY_RE}))?)",
        _h_yesterday,
    ),
    (
        rf"{LB}{CL}(?P<x>اليوم(?!\w)(?!{S}(?:{_TODAY_EXCLUDE})(?!\w))(?:{S}(?P<wd>{WEEKDAY_RE}))?)",
        _h_today,
    ),
    (
        rf"{LB}{CL}(?P<x>(?:(?P<ag>بعد{S}(?:ال)?غد)|(?:يوم|صباح|مساء|ظهر){S}الغد|(?P<bare>غدا))(?!\w)"
        rf"(?:{S}(?P<wd>{WEEKDAY_RE}))?)",
        _h_tomorrow,
    ),
    (
        rf"{LB}{CL}(?P<x>(?:يوم{S})?(?P<wd>{WEEKDAY_RE})(?:{S}(?P<q>{_PAST_OR_FUTURE}))?(?!\w))",
        _h_weekday,
    ),
    (rf"{LB}{CL}(?P<x>{MODX}(?:{YEAR_WORD}|عامي){S}{GYEAR})", _h_year),
    (rf"{LB}{CL}(?P<x>{MOD}{S}{GYEAR})", _h_year),
    (rf"{LB}{PREP}{S}(?P<x>{GYEAR})(?!{S0}(?:%|[.,]\d|[-/]{S0}\d))", _h_year),
    (
        rf"{LB}{CL}(?P<x>{WD_PREFIX}{DAY}{DM_SEP}(?P<hm>{HIJRI_MONTH_RE}){MY_SEP}{HYEAR}{HSUFFIX})",
        _h_hijri_full,
    ),
    (rf"{LB}{CL}(?P<x>{MODX}(?:شهر{S})?(?P<hm>{HIJRI_MONTH_RE}){MY_SEP}{HYEAR}{HSUFFIX})", _h_hijri_month),
    (
        rf"{LB}{CL}(?P<x>(?P<dir>قبل|منذ|بعد){S}(?:(?P<n>\d{{1,3}}|{_NUMWORD_RE}){S})?(?P<u>{_UNIT_WORD_RE}))"
        rf"(?!\w)(?!{S0}\d)(?!{S}(?:من|على)(?!\w))",
        _h_ago,
    ),
]
_COMPILED: list[tuple[re.Pattern[str], _Handler]] = [(re.compile(p), h) for p, h in _PATTERNS]

# What every match of a handler's patterns contains. Scanning 22 patterns over a whole article is most of
# the date finder's time, and most lines hold none of these words; since no pattern crosses a line break
# (the spaces they allow are [^\S\n]), a pattern only needs to run on the lines where its anchor occurs.
_MONTH_ANCHOR = first_word_anchor(GREGORIAN_MONTHS)
_HIJRI_ANCHOR = first_word_anchor(HIJRI_MONTHS)
_WEEKDAY_ANCHOR = first_word_anchor(name for name in WEEKDAYS if " " not in name)
_YEAR_ANCHOR = r"(?:19|20)\d\d"
_UNIT_ANCHOR = "الشهر|الاسبوع|العام|السنه"
_ANCHORS: dict[_Handler, str] = {
    _h_full: _MONTH_ANCHOR,
    _h_numeric_ymd: _YEAR_ANCHOR,
    _h_numeric_dmy: _YEAR_ANCHOR,
    _h_day_month: _MONTH_ANCHOR,
    _h_day_of_month: "الشهر",
    _h_month_year: _MONTH_ANCHOR,
    _h_month_qual: _MONTH_ANCHOR,
    _h_month_bare: _MONTH_ANCHOR,
    _h_unit_qual: _UNIT_ANCHOR,
    _h_unit_this: _UNIT_ANCHOR,
    _h_yesterday: "امس|البارحه",
    _h_today: "اليوم",
    _h_tomorrow: "غد",
    _h_weekday: _WEEKDAY_ANCHOR,
    _h_year: _YEAR_ANCHOR,
    _h_hijri_full: _HIJRI_ANCHOR,
    _h_hijri_month: _HIJRI_ANCHOR,
    _h_ago: "قبل|منذ|بعد",
}


def _anchored() -> list[tuple[re.Pattern[str], list[tuple[int, re.Pattern[str], _Handler]]]]:
    """The patterns grouped by anchor, each with its place in `_PATTERNS` (the tie-break order)."""
    groups: dict[str, list[tuple[int, re.Pattern[str], _Handler]]] = {}
    for order, (rx, handler) in enumerate(_COMPILED):
        groups.setdefault(_ANCHORS[handler], []).append((order, rx, handler))
    return [(re.compile(anchor), members) for anchor, members in groups.items()]


_ANCHORED = _anchored()
_NEWLINE = re.compile("\n")


class _Cand(NamedTuple):
    start: int
    end: int
    order: int
    val: _Val
    part: Part | None


def _lines_with(anchor: re.Pattern[str], text: str, breaks: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` where `anchor` occurs (`breaks`: the line breaks' offsets)."""
    found: list[int] = []
    pos, n = 0, len(text)
    while pos <= n:  # one search per line that has the anchor, not one step per occurrence
        m = anchor.search(text, pos)
        if m is None:
            break
        k = bisect.bisect_left(breaks, m.start())
        found.append(k)
        if k == len(breaks):
            break
        pos = breaks[k] + 1  # no anchor spans a line break: go on from the next line
    return [(breaks[k - 1] + 1 if k else 0, breaks[k] if k < len(breaks) else len(text)) for k in found]


def _candidates(nt: NormText, reference: dt.date | None) -> list[_Cand]:
    out: list[_Cand] = []
    text = nt.text
    breaks = [m.start() for m in _NEWLINE.finditer(text)]
    for anchor, members in _ANCHORED:
        lines = _lines_with(anchor, text, breaks)
        for order, rx, handler in members if lines else ():
            out.extend(_pattern_candidates(rx, handler, order, lines, nt, reference))
    return out


def _pattern_candidates(
    rx: re.Pattern[str],
    handler: _Handler,
    order: int,
    lines: list[tuple[int, int]],
    nt: NormText,
    reference: dt.date | None,
) -> list[_Cand]:
    out: list[_Cand] = []
    has_x = "x" in rx.groupindex
    has_mod = "mod" in rx.groupindex
    for a, b in lines:
        for m in rx.finditer(nt.text, a, b):
            try:
                val = handler(m, reference, nt)
            except (ValueError, OverflowError):  # arithmetic past date.max/min on odd references
                val = None
            if val is None:
                continue
            s, e = m.span("x") if has_x else m.span()
            if s >= e:
                continue
            part = _PARTS.get(m["mod"]) if has_mod and m["mod"] else None
            out.append(_Cand(s, e, order, val, part))
    return out


def _candidates_unanchored(nt: NormText, reference: dt.date | None) -> list[_Cand]:
    """Every pattern over the whole text: what `_candidates` must equal (the tests compare them)."""
    whole = [(0, len(nt.text))]
    out: list[_Cand] = []
    for order, (rx, handler) in enumerate(_COMPILED):
        out.extend(_pattern_candidates(rx, handler, order, whole, nt, reference))
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest first, then leftmost, then pattern order; drop anything overlapping a chosen span."""
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start, c.order)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def find_dates(text: str, reference: dt.date | None = None, norm: NormText | None = None) -> list[DateExpr]:
    """All date expressions in `text`, in order, with relative ones resolved against `reference`.

    `norm`: the text's normalisation when the caller has it already (the pipeline does), to skip redoing it.
    """
    if norm is None or norm.original != text:
        norm = normalize(text)
    found: list[DateExpr] = []
    for c in _select(_candidates(norm, reference)):
        start, end = norm.to_orig_span(c.start, c.end)
        found.append(DateExpr(start, end, text[start:end], c.val.value, c.val.precision, c.val.kind, c.part))
    return found
