"""Dates of an article that carries no publication date, resolved against the year it evidently speaks of.

Many archived articles lost their date. Their absolute dates ("في فبراير/شباط 2022") still say when the
story is set, so the latest year named with a month or a day serves as the reference year: "سبتمبر/أيلول
الماضي" and "24 فبراير الماضي" resolve within it (to 2022-09, 2022-02-24), while expressions that need the
day of writing ("هذا الشهر", "يوم الأربعاء", "أمس") keep only the year. Without any such date, relative
expressions stay unresolved, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from rasd.text.normalize import NormText, normalize_text
from rasd.time.expressions import DateExpr, find_dates
from rasd.time.months import gregorian_month, hijri_month


def inferred_year(dates: list[DateExpr]) -> int | None:
    """The latest year the article names with a month or a day (bare years are often plans or history)."""
    years = [
        int(d.value[:4])
        for d in dates
        if d.kind != "relative" and d.value and d.precision in ("day", "month") and d.value[:4].isdigit()
    ]
    return max(years) if years else None


def find_dates_undated(text: str, norm: NormText | None = None) -> tuple[list[DateExpr], int | None]:
    """Date expressions of an undated article, and the inferred reference year (None when there is none)."""
    plain = find_dates(text, None, norm)
    year = inferred_year(plain)
    if year is None:
        return plain, None
    out: list[DateExpr] = []
    for d in find_dates(text, dt.date(year, 12, 31), norm):
        if d.kind == "relative" and d.value:
            words = normalize_text(d.text)
            if gregorian_month(words) is None and hijri_month(words) is None:
                d = dataclasses.replace(d, value=d.value[:4], precision="year")
        out.append(d)
    return out, year
