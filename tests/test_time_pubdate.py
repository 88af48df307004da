"""Publication dates from invented article headers and metadata strings."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.time.pubdate import PubDate, find_publication_date, parse_date_string

NOV18 = dt.date(2022, 11, 18)


def found(text: str) -> PubDate:
    pub = find_publication_date(text)
    assert pub is not None
    return pub


@pytest.mark.parametrize(
    ("header", "expected_text", "date", "basis"),
    [
        (
            "وزراء الخارجية يلتقون في العاصمة\nتم النشر: 2022/11/18 الساعة 13:06 بتوقيت غرينتش\nنص الخبر.",
            "2022/11/18",
            NOV18,
            "published-label",
        ),
        (
            "عنوان الخبر\nنشر في: الجمعة، 18 نوفمبر 2022 - 10:15\nنص الخبر.",
            "الجمعة، 18 نوفمبر 2022",
            NOV18,
            "published-label",
        ),
        ("عنوان الخبر\nتاريخ النشر 18-11-2022\nنص الخبر.", "18-11-2022", NOV18, "published-label"),
        ("أخبار محلية | 07-يوليو-2023\nنص الخبر.", "07-يوليو-2023", dt.date(2023, 7, 7), "dateline"),
        (
            "قمة المناخ\n18 نوفمبر/تشرين الثاني 2022\nنص الخبر.",
            "18 نوفمبر/تشرين الثاني 2022",
            NOV18,
            "dateline",
        ),
        ("الجمعة 18 تشرين الثاني 2022\nنص الخبر.", "الجمعة 18 تشرين الثاني 2022", NOV18, "dateline"),
        ("2022-11-18\nنص الخبر.", "2022-11-18", NOV18, "dateline"),
        ("18/11/2022\nنص الخبر.", "18/11/2022", NOV18, "dateline"),
        ("١٨ فبراير ٢٠٢٥\nنص الخبر.", "١٨ فبراير ٢٠٢٥", dt.date(2025, 2, 18), "dateline"),
        (
            "الرياض - 18 فبراير/شباط 2025 - أعلنت الحكومة عن خطة جديدة للنقل العام تمتد عشر سنوات.",
            "18 فبراير/شباط 2025",
            dt.date(2025, 2, 18),
            "dateline",
        ),
        (
            "تونس (وكالات) - 18 جانفي 2022: قررت الهيئة تأجيل الجلسة.",
            "18 جانفي 2022",
            dt.date(2022, 1, 18),
            "dateline",
        ),
        ("بقلم محرر الشؤون الدولية 18 نوفمبر 2022\nنص الخبر.", "18 نوفمبر 2022", NOV18, "header-line"),
    ],
)
def test_header_forms(header: str, expected_text: str, date: dt.date, basis: str) -> None:
    pub = found(header)
    assert header[pub.start : pub.end] == expected_text
    assert (pub.date, pub.basis) == (date, basis)


def test_published_beats_updated_whatever_the_order() -> None:
    header = "عنوان\nآخر تحديث: 2022/11/19 الساعة 08:00\nتم النشر: 2022/11/18 الساعة 13:06\nنص."
    pub = found(header)
    assert pub.date == NOV18
    assert pub.basis == "published-label"


def test_both_labels_on_one_line() -> None:
    pub = found("عنوان\nتم النشر: 18/11/2022 | تم التحديث: 19/11/2022\nنص.")
    assert pub.date == NOV18


def test_updated_label_is_used_when_nothing_else_is_stated() -> None:
    pub = found("عنوان\nآخر تحديث: 19/11/2022\nنص الخبر الذي يتحدث عن أمور كثيرة في المنطقة.")
    assert pub.date == dt.date(2022, 11, 19)
    assert pub.basis == "updated-label"


def test_gregorian_beats_hijri_on_the_same_line() -> None:
    header = "الجمعة 24 ربيع الآخر 1444 هـ الموافق 18 نوفمبر 2022\nنص."
    pub = found(header)
    assert header[pub.start : pub.end] == "18 نوفمبر 2022"


def test_offsets_survive_diacritics_and_tatweel() -> None:
    header = "عنوانٌ طويـــل\nنُشِرَ في: ١٨ نـوفـمـبـر ٢٠٢٢\nنص."
    pub = found(header)
    assert header[pub.start : pub.end] == "١٨ نـوفـمـبـر ٢٠٢٢"
    assert pub.date == NOV18


@pytest.mark.parametrize(
    "header",
    [
        "عنوان الخبر بدون تاريخ\nبقلم محرر الشؤون السياسية\nالنص الكامل للخبر هنا.",
        "عنوان\nالجمعة\nقال مسؤولون إن المفاوضات مستمرة.",
        (
            "عنوان\nأعلنت الحكومة في بيان مطول صدر عنها بعد اجتماع استثنائي أن الاجتماع الذي عقد في "
            "18 نوفمبر 2022 ناقش ملفات عديدة تخص الاقتصاد والأمن."
        ),
        "عنوان\nوقع الانفجار في 18 نوفمبر 2022.",
        "عنوان\nتم النشر: 31/02/2022\nنص.",
        "عنوان\n18 نوفمبر 1985\nنص.",
        "عنوان\n18 نوفمبر 2040\nنص.",
        "",
    ],
)
def test_no_stated_date(header: str) -> None:
    assert find_publication_date(header) is None


def test_dates_past_the_header_are_ignored() -> None:
    body = "نص " * 300
    assert find_publication_date(body + "\n18 نوفمبر 2022\n") is None
    assert find_publication_date("\n18 نوفمبر 2022\n" + body) is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-18", NOV18),
        ("2022-11-18T13:06:00+00:00", NOV18),
        ("2022-11-18T23:30:00-05:00", NOV18),
        ("2022-11-18T13:06:00.000Z", NOV18),
        ("2015-07-21 02:51:32", dt.date(2015, 7, 21)),
        ("20221118", NOV18),
        ("Fri, 18 Nov 2022 13:06:00 +0000", NOV18),
        ("18/11/2022", NOV18),
        ("18 نوفمبر 2022", NOV18),
        ("الجمعة 18 تشرين الثاني 2022 - 13:06", NOV18),
        ("٢٠٢٢-١١-١٨", NOV18),
        ("November 18, 2022", NOV18),
        ("18 Nov. 2022", NOV18),
        ("garbage", None),
        ("", None),
        ("0001-01-01T00:00:00", None),
        ("2022-02-31", None),
        ("الجمعة", None),
    ],
)
def test_parse_date_string(value: str, expected: dt.date | None) -> None:
    assert parse_date_string(value) == expected


_HEADER_BITS = [
    "تم النشر:",
    "آخر تحديث:",
    "نشر في",
    "الرياض - ",
    "الجمعة ",
    "18 ",
    "١٨ ",
    "نوفمبر",
    "/تشرين الثاني",
    " 2022",
    "٢٠٢٢",
    "2022/11/18",
    "18-11-2022",
    "31/02/2022",
    "\n",
    " | ",
    "قال الوزير في ",
    "\u0640",
    "\u064e",
    ".",
]
header_text = st.lists(
    st.one_of(st.sampled_from(_HEADER_BITS), st.text("ابتثجحخدسشنهويءأة0123456789٠١٢ \n-/:.", max_size=5)),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=header_text, max_chars=st.integers(min_value=0, max_value=700))
def test_pubdate_span_indexes_the_original(text: str, max_chars: int) -> None:
    pub = find_publication_date(text, max_chars=max_chars)
    if pub is not None:
        assert 0 <= pub.start < pub.end <= len(text)
        assert pub.start < max_chars
        assert 1990 <= pub.date.year <= 2035
        assert pub.basis in ("published-label", "dateline", "header-line", "updated-label")


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(header_text, st.text(max_size=40)))
def test_parse_date_string_never_raises(value: str) -> None:
    result = parse_date_string(value)
    assert result is None or 1990 <= result.year <= 2035
