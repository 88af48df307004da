"""Date expressions: every supported form on invented sentences, plus span invariants on random text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text import normalize
from rasd.time.expressions import DateExpr, find_dates
from rasd.time.months import (
    GREGORIAN_MONTH_RE,
    GREGORIAN_MONTHS,
    HIJRI_MONTHS,
    WEEKDAYS,
    gregorian_month,
    hijri_month,
    weekday_number,
)
from strategies import arabic_text, news_text

REF = dt.date(2022, 11, 18)  # a Friday


def only(text: str, ref: dt.date | None = REF) -> DateExpr:
    found = find_dates(text, ref)
    assert len(found) == 1, found
    return found[0]


def check(text: str, expected_text: str, value: str | None, precision: str, kind: str, ref=REF) -> DateExpr:
    d = only(text, ref)
    assert d.text == expected_text
    assert text[d.start : d.end] == expected_text
    assert (d.value, d.precision, d.kind) == (value, precision, kind)
    return d


# --- months.py ----------------------------------------------------------------------------------


def test_month_lexicons_cover_every_system() -> None:
    for name, month in [
        ("يناير", 1),
        ("ابريل", 4),
        ("يونيه", 6),
        ("يوليه", 7),
        ("اغسطس", 8),
        ("كانون الثاني", 1),
        ("اذار", 3),
        ("اب", 8),
        ("تشرين الاول", 10),
        ("كانون الاول", 12),
        ("جانفي", 1),
        ("فيفري", 2),
        ("افريل", 4),
        ("ماي", 5),
        ("جوان", 6),
        ("جويليه", 7),
        ("اوت", 8),
        ("يوليوز", 7),
        ("غشت", 8),
        ("شتنبر", 9),
        ("نونبر", 11),
        ("دجنبر", 12),
    ]:
        assert GREGORIAN_MONTHS[name] == month
    assert HIJRI_MONTHS["ربيع الاخر"] == HIJRI_MONTHS["ربيع الثاني"] == 4
    assert HIJRI_MONTHS["جمادي الاخره"] == HIJRI_MONTHS["جمادي الثانيه"] == 6
    assert HIJRI_MONTHS["ذو القعده"] == 11
    assert HIJRI_MONTHS["ذو الحجه"] == 12
    assert WEEKDAYS["الاحد"] == WEEKDAYS["يوم الاحد"] == 6
    assert WEEKDAYS["الاثنين"] == 0


@pytest.mark.parametrize(
    "s", ["نوفمبر", "نوفمبر/تشرين الثاني", "نوفمبر (تشرين الثاني)", "تشرين الثاني / نوفمبر", "شتنبر"]
)
def test_month_fragment_matches_single_and_double_forms(s: str) -> None:
    assert re.fullmatch(GREGORIAN_MONTH_RE, s)


def test_month_helpers() -> None:
    assert gregorian_month("تشرين الثاني/نوفمبر") == 11
    assert gregorian_month("لا شيء") is None
    assert hijri_month("جمادي الاولي") == 5
    assert weekday_number("يوم الاربعاء") == 2


def test_short_month_names_need_a_word_boundary() -> None:
    assert re.search(GREGORIAN_MONTH_RE, "باب") is None


# --- absolute Gregorian dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected", "value"),
    [
        (
            "قال الوزير يوم الأربعاء 16 نوفمبر/تشرين الثاني 2022 إن المحادثات مستمرة.",
            "يوم الأربعاء 16 نوفمبر/تشرين الثاني 2022",
            "2022-11-16",
        ),
        (
            "وقّعت الاتفاقية في 5 تشرين الثاني/نوفمبر 2021 بحضور الوفدين.",
            "5 تشرين الثاني/نوفمبر 2021",
            "2021-11-05",
        ),
        ("انعقدت الجلسة في 6 نوفمبر (تشرين الثاني) 2021 مساءً.", "6 نوفمبر (تشرين الثاني) 2021", "2021-11-06"),
        ("تظاهر المحتجون في 18 جانفي 2022 أمام البرلمان.", "18 جانفي 2022", "2022-01-18"),
        ("صدر المرسوم يوم 3 غشت 2021 في الجريدة الرسمية.", "يوم 3 غشت 2021", "2021-08-03"),
        ("وفي 5 دجنبر 2020 أعلنت اللجنة النتائج.", "5 دجنبر 2020", "2020-12-05"),
        ("جرى التصويت في 12 أيار 2019.", "12 أيار 2019", "2019-05-12"),
        ("بدأت الأزمة في 07-يوليو-2023 وفق البيان.", "07-يوليو-2023", "2023-07-07"),
        ("في ١٨ فبراير ٢٠٢٥ أعلنت الحكومة خطتها.", "١٨ فبراير ٢٠٢٥", "2025-02-18"),
        ("أُجري الاقتراع في 9 من شهر أبريل من عام 2017.", "9 من شهر أبريل من عام 2017", "2017-04-09"),
        ("الجمعة، 18 تشرين الثاني 2022", "الجمعة، 18 تشرين الثاني 2022", "2022-11-18"),
    ],
)
def test_full_dates(sentence: str, expected: str, value: str) -> None:
    check(sentence, expected, value, "day", "absolute")


@pytest.mark.parametrize(
    ("sentence", "expected", "value"),
    [
        ("صدر القرار بتاريخ 2022/11/18 عن المجلس.", "2022/11/18", "2022-11-18"),
        ("نُشر الإعلان في 18-11-2022 على الموقع.", "18-11-2022", "2022-11-18"),
        ("التقرير المؤرخ 18.11.2022 يفصّل الأرقام.", "18.11.2022", "2022-11-18"),
        ("الوثيقة المؤرخة ١٨/١١/٢٠٢٢ سرية.", "١٨/١١/٢٠٢٢", "2022-11-18"),
        ("كتب على الرسالة 11/18/2022 بالخطأ.", "11/18/2022", "2022-11-18"),
    ],
)
def test_numeric_dates(sentence: str, expected: str, value: str) -> None:
    check(sentence, expected, value, "day", "absolute")


def test_impossible_numeric_date_is_not_a_date() -> None:
    assert find_dates("الرقم 31/02/2022 خاطئ.", REF) == []


def test_month_and_year() -> None:
    check("ارتفعت الأسعار في مارس/آذار 2022 بشكل حاد.", "مارس/آذار 2022", "2022-03", "month", "absolute")
    check("وبلغ العجز ذروته في شهر حزيران 2020.", "شهر حزيران 2020", "2020-06", "month", "absolute")


def test_years() -> None:
    found = find_dates("تغيرت السياسة منذ عام 2014، وفي 2019 أُجريت انتخابات.", REF)
    assert [(d.text, d.value, d.precision, d.kind) for d in found] == [
        ("عام 2014", "2014", "year", "absolute"),
        ("2019", "2019", "year", "absolute"),
    ]


def test_plain_numbers_are_not_years() -> None:
    assert find_dates("شارك 2022 شخصا في المسيرة، وبلغت النسبة 2022.5 في المئة.", REF) == []


# --- relative expressions -----------------------------------------------------------------------


def test_day_month_without_year_takes_the_reference_year() -> None:
    check("وصل الوفد في 16 نوفمبر إلى العاصمة.", "16 نوفمبر", "2022-11-16", "day", "relative")
    check("عاد السفير في 3 مارس إلى بلاده.", "3 مارس", "2022-03-03", "day", "relative")


def test_day_month_far_after_the_reference_is_last_year() -> None:
    check("في 20 ديسمبر أُغلق المعبر.", "20 ديسمبر", "2021-12-20", "day", "relative", ref=dt.date(2022, 6, 18))


def test_day_month_just_after_the_reference_stays_ahead() -> None:
    check("تبدأ القمة في 5 يناير.", "5 يناير", "2023-01-05", "day", "relative", ref=dt.date(2022, 12, 20))


def test_day_month_with_qualifier() -> None:
    check("يوم 16 نوفمبر الماضي", "يوم 16 نوفمبر الماضي", "2022-11-16", "day", "relative")
    check("في 3 مارس من العام الماضي", "3 مارس من العام الماضي", "2021-03-03", "day", "relative")


def test_day_month_without_reference_has_no_value() -> None:
    check("وصل الوفد في 16 نوفمبر.", "16 نوفمبر", None, "day", "relative", ref=None)


def test_day_of_current_month() -> None:
    check("تنتهي المهلة في 25 من الشهر الجاري.", "25 من الشهر الجاري", "2022-11-25", "day", "relative")


@pytest.mark.parametrize(
    ("sentence", "expected", "value", "ref"),
    [
        ("وفي مارس/آذار الماضي أُعلنت النتائج.", "مارس/آذار الماضي", "2022-03", REF),
        ("وفي مارس الماضي أعلن الحزب انسحابه.", "مارس الماضي", "2021-03", dt.date(2022, 3, 10)),
        ("وفي ديسمبر الماضي عُقدت القمة.", "ديسمبر الماضي", "2021-12", REF),
        ("ستُجرى الانتخابات في مارس المقبل.", "مارس المقبل", "2023-03", REF),
        ("وتُستأنف المحادثات في مايو من هذا العام.", "مايو من هذا العام", "2022-05", REF),
        ("انطلقت الحملة في شهر يونيو.", "شهر يونيو", "2022-06", REF),
    ],
)
def test_month_relative(sentence: str, expected: str, value: str, ref: dt.date) -> None:
    check(sentence, expected, value, "month", "relative", ref=ref)


def test_month_name_as_verb_is_not_a_date() -> None:
    assert find_dates("مارس الحزب ضغوطا كبيرة على الحكومة.", REF) == []


@pytest.mark.parametrize(
    ("sentence", "expected", "value", "precision"),
    [
        ("ارتفعت الأسعار الشهر الماضي.", "الشهر الماضي", "2022-10", "month"),
        ("ستنخفض الأسعار الشهر المقبل.", "الشهر المقبل", "2022-12", "month"),
        ("استقرت الأسعار خلال الشهر الجاري.", "الشهر الجاري", "2022-11", "month"),
        ("اجتمع المجلس الأسبوع الماضي.", "الأسبوع الماضي", "2022-11-07", "week"),
        ("سيجتمع المجلس الأسبوع المقبل.", "الأسبوع المقبل", "2022-11-21", "week"),
        ("تراجع النمو العام الماضي.", "العام الماضي", "2021", "year"),
        ("تراجع النمو في السنة الماضية.", "السنة الماضية", "2021", "year"),
        ("يُتوقع التعافي العام المقبل.", "العام المقبل", "2023", "year"),
        ("هذا العام صعب على الأسواق.", "هذا العام", "2022", "year"),
    ],
)
def test_relative_units(sentence: str, expected: str, value: str, precision: str) -> None:
    check(sentence, expected, value, precision, "relative")


def test_general_secretary_is_not_a_year() -> None:
    found = find_dates("التقى الأمين العام الحالي بالوفد، وقال إن العام الحالي صعب.", REF)
    assert [(d.text, d.value) for d in found] == [("العام الحالي", "2022")]
    assert found[0].start > 30


@pytest.mark.parametrize(
    ("sentence", "expected", "value"),
    [
        ("أعلن الجيش أمس أن العملية انتهت.", "أمس", "2022-11-17"),
        ("قال بالأمس إن الحوار مستمر.", "الأمس", "2022-11-17"),
        ("وصل أول من أمس إلى المدينة.", "أول من أمس", "2022-11-16"),
        ("قال الوزير اليوم إن الاتفاق قريب.", "اليوم", "2022-11-18"),
        ("قال الوزير اليوم الجمعة إن الاتفاق قريب.", "اليوم الجمعة", "2022-11-18"),
        ("سيعلن الوزير غداً عن الخطة.", "غداً", "2022-11-19"),
        ("تُعقد الجلسة يوم الغد.", "يوم الغد", "2022-11-19"),
        ("يصل الوفد بعد غد إلى العاصمة.", "بعد غد", "2022-11-20"),
    ],
)
def test_day_words(sentence: str, expected: str, value: str) -> None:
    check(sentence, expected, value, "day", "relative")


def test_ghada_as_verb_is_not_tomorrow() -> None:
    assert find_dates("غدا الوضع أكثر تعقيدا مما كان.", REF) == []


def test_the_next_day_is_not_today() -> None:
    assert find_dates("وفي اليوم التالي غادر الوفد.", REF) == []


@pytest.mark.parametrize(
    ("sentence", "expected", "value"),
    [
        ("التقى الرئيس يوم الأربعاء نظيره.", "يوم الأربعاء", "2022-11-16"),
        ("التقاه الأربعاء الماضي في العاصمة.", "الأربعاء الماضي", "2022-11-16"),
        ("قال المتحدث الجمعة إن الهدنة صامدة.", "الجمعة", "2022-11-18"),  # the publication day: wire usage
        ("وكان قد زار المدينة الجمعة الماضية.", "الجمعة الماضية", "2022-11-11"),
        ("وسيلتقيه الأحد المقبل.", "الأحد المقبل", "2022-11-20"),
        ("ومن المقرر أن يصل يوم الخميس.", "يوم الخميس", "2022-11-24"),
    ],
)
def test_weekdays(sentence: str, expected: str, value: str) -> None:
    check(sentence, expected, value, "day", "relative")


def test_weekday_without_reference() -> None:
    check("التقاه الأربعاء الماضي.", "الأربعاء الماضي", None, "day", "relative", ref=None)


@pytest.mark.parametrize(
    ("sentence", "expected", "value", "precision", "kind", "part"),
    [
        (
            "في أوائل أكتوبر/تشرين الأول شهدت البلاد احتجاجات.",
            "أوائل أكتوبر/تشرين الأول",
            "2022-10",
            "month",
            "relative",
            "early",
        ),
        ("بحلول مطلع أكتوبر تنتهي المرحلة.", "مطلع أكتوبر", "2022-10", "month", "relative", "early"),
        ("استمرت الاحتجاجات حتى أواخر الشهر.", "أواخر الشهر", "2022-11", "month", "relative", "late"),
        ("يُنتظر القرار نهاية الشهر.", "نهاية الشهر", "2022-11", "month", "relative", "late"),
        ("تعقد القمة نهاية هذا الأسبوع.", "نهاية هذا الأسبوع", "2022-11-14", "week", "relative", "late"),
        ("في منتصف مارس الماضي تغيّر الموقف.", "منتصف مارس الماضي", "2022-03", "month", "relative", "mid"),
        ("تتغير الخطة منتصف العام المقبل.", "منتصف العام المقبل", "2023", "year", "relative", "mid"),
        ("في أواخر عام 2021 تفاقمت الأزمة.", "أواخر عام 2021", "2021", "year", "absolute", "late"),
    ],
)
def test_parts_of_periods(
    sentence: str,
    expected: str,
    value: str,
    precision: str,
    kind: str,
    part: str,
) -> None:
    assert check(sentence, expected, value, precision, kind).part == part


@pytest.mark.parametrize(
    ("sentence", "expected", "value", "precision"),
    [
        ("وقع الهجوم قبل يومين.", "قبل يومين", "2022-11-16", "day"),
        ("بدأ الإضراب منذ ثلاثة أسابيع.", "منذ ثلاثة أسابيع", "2022-10-24", "week"),
        ("تنتهي الولاية بعد شهرين.", "بعد شهرين", "2023-01", "month"),
        ("أُعلن القرار قبل 15 يوما.", "قبل 15 يوما", "2022-11-03", "day"),
    ],
)
def test_offsets(sentence: str, expected: str, value: str, precision: str) -> None:
    check(sentence, expected, value, precision, "relative")


def test_offset_from_another_event_is_skipped() -> None:
    assert find_dates("اعتُقل بعد يومين من الهجوم.", REF) == []


# --- Hijri ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("وقعت الحادثة في 15 رمضان 1444 هـ وفق الرواية.", "15 رمضان 1444 هـ"),
        ("وقعت الحادثة في 15 رمضان 1444 وفق الرواية.", "15 رمضان 1444"),
        ("وقعت الحادثة في ١٥ رَمَضان ١٤٤٤هـ وفق الرواية.", "١٥ رَمَضان ١٤٤٤هـ"),
    ],
)
def test_hijri_dates(sentence: str, expected: str) -> None:
    pytest.importorskip("hijridate")
    check(sentence, expected, "2023-04-06", "day", "hijri")


def test_hijri_with_weekday_and_gregorian_equivalent() -> None:
    pytest.importorskip("hijridate")
    found = find_dates("صدر البيان الجمعة 24 ربيع الآخر 1444 هـ الموافق 18 نوفمبر 2022.", None)
    assert [(d.text, d.value, d.kind) for d in found] == [
        ("الجمعة 24 ربيع الآخر 1444 هـ", "2022-11-18", "hijri"),
        ("18 نوفمبر 2022", "2022-11-18", "absolute"),
    ]


def test_hijri_month_and_year() -> None:
    pytest.importorskip("hijridate")
    check("في رمضان 1444 هـ ارتفعت الأسعار.", "رمضان 1444 هـ", "2023-04", "month", "hijri")


# --- ordering and offsets ------------------------------------------------------------------------


def test_several_expressions_in_order_with_exact_offsets() -> None:
    text = "قال المتحدثُ أمسِ إن الوفد سيصل غداً، بعد اجتماعٍ عُقد في ١٦ نوفمبر/تشرين الثاني ٢٠٢٢."
    found = find_dates(text, REF)
    assert [d.text for d in found] == ["أمسِ", "غداً", "١٦ نوفمبر/تشرين الثاني ٢٠٢٢"]
    for d in found:
        assert text[d.start : d.end] == d.text
    assert [d.start for d in found] == sorted(d.start for d in found)


def test_tatweel_and_diacritics_inside_a_date() -> None:
    text = "في ١٨ نـوفـمـبـر ٢٠٢٢ وقّع الطرفان."
    d = only(text)
    assert d.text == "١٨ نـوفـمـبـر ٢٠٢٢"
    assert d.value == "2022-11-18"


# --- properties ----------------------------------------------------------------------------------

_FRAGMENTS = [
    "نوفمبر",
    "تشرين الثاني",
    "/",
    " (",
    ")",
    "آب",
    "ماي",
    "جانفي",
    "يوم",
    "الأربعاء",
    "الجمعة",
    "الماضي",
    "المقبل",
    "أوائل",
    "نهاية",
    "الشهر",
    "الأسبوع",
    "العام",
    "عام",
    "في",
    "منذ",
    "قبل",
    "أمس",
    "اليوم",
    "غداً",
    "رمضان",
    "هـ",
    "1444",
    "2022",
    "١٨",
    "29",
    "31",
    "-",
    "،",
    " ",
    "\n",
    "ﻻ",
    "\u0640",
    "\u064b",
    "\u0651",
]
_CHARS = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    + "ءآأإؤئىة"
    + "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640\u200f"
    + "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
    + " \n\t-/.:،,()|%"
)
_piece = st.one_of(st.sampled_from(_FRAGMENTS), st.text(_CHARS, max_size=4))
random_text = st.lists(_piece, max_size=40).map("".join)
_VALUE_SHAPES = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "week": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4,5}-\d{2}"),
    "year": re.compile(r"\d{4,5}"),
}


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(random_text, arabic_text), ref=st.one_of(st.none(), st.dates()))
def test_spans_always_index_the_original(text: str, ref: dt.date | None) -> None:
    found = find_dates(text, ref)
    last_end = 0
    for d in found:
        assert 0 <= d.start <= d.end <= len(text)
        assert text[d.start : d.end] == d.text
        assert d.start >= last_end  # sorted and non-overlapping
        last_end = d.end
        assert d.kind in ("absolute", "relative", "hijri")
        if d.value is not None:
            assert d.precision is not None
            assert _VALUE_SHAPES[d.precision].fullmatch(d.value)
        if d.kind == "relative" and ref is None:
            assert d.value is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), ref=st.one_of(st.none(), st.dates()))
def test_any_unicode_is_safe(text: str, ref: dt.date | None) -> None:
    for d in find_dates(text, ref):
        assert text[d.start : d.end] == d.text


@settings(max_examples=300, deadline=None)
@given(news_text, st.sampled_from([None, dt.date(2025, 3, 1), dt.date(2018, 12, 31)]))
def test_scanning_only_anchored_lines_finds_what_scanning_everything_finds(text: str, ref: dt.date | None) -> None:
    from rasd.time.expressions import _candidates, _candidates_unanchored

    nt = normalize(text)
    assert sorted(_candidates(nt, ref)) == sorted(_candidates_unanchored(nt, ref))


def test_short_month_anchor_needs_a_word_boundary_before_it() -> None:
    from rasd.time.expressions import _MONTH_ANCHOR

    rx = re.compile(_MONTH_ANCHOR)
    assert rx.search("في اب الماضي") and rx.search("اب 2020")
    assert not rx.search("الكتاب") and not rx.search("كتاب جديد")
