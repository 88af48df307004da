"""find_boilerplate: page furniture is excluded line by line, news content never is."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import DocMeta, Document
from rasd.ingest.boilerplate import find_boilerplate

PARA_1 = "استقبل رئيس الوزراء صباح اليوم وفدا برلمانيا رفيع المستوى لبحث سبل تعزيز التعاون بين البلدين."
PARA_2 = "وأكد الجانبان في ختام اللقاء على أهمية مواصلة التنسيق في القضايا الإقليمية ذات الاهتمام المشترك."
PARA_3 = "وكان الوفد قد وصل إلى العاصمة مساء أمس في زيارة رسمية تستغرق ثلاثة أيام."


def labels(text: str) -> list[tuple[str, str]]:
    return [(s.label, text[s.start : s.end]) for s in find_boilerplate(text)]


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("تحميل المزيد", "load_more"),
        ("عرض المزيد من الأخبار", "load_more"),
        ("اقرأ أيضاً: الحكومة تقر مشروع الموازنة الجديدة", "read_more"),
        ("إقرأ أيضا.. وزير المالية يعلن خطة للإصلاح", "read_more"),
        ("اقرأ أيضًا", "read_more"),
        ("للمزيد من الأخبار تابع موقعنا", "read_more"),
        ("مواضيع ذات صلة", "read_more"),
        ("شارك", "share"),
        ("شارك هذا الخبر", "share"),
        ("مشاركة: فيسبوك تويتر واتساب", "share"),
        ("شارك الخبر على فيسبوك | تويتر | واتساب", "share"),
        ("فيسبوك تويتر واتساب تيليجرام", "share"),
        ("تابعونا على فيسبوك وتويتر", "follow_us"),
        ("تابعوا آخر الأخبار عبر قناتنا على تيليجرام", "follow_us"),
        ("اشترك في نشرتنا البريدية", "follow_us"),
        ("https://example.com/news/123?utm_source=twitter", "tracking"),
        ("www.example.com/a https://example.org/b", "tracking"),
        ("utm_campaign=share_button", "tracking"),
        ("gettyimages-123456789", "tracking"),
        ("© 2024 جميع الحقوق محفوظة", "copyright"),
        ("جميع الحقوق محفوظة لموقع الأخبار", "copyright"),
        ("الآراء الواردة في التعليقات لا تعبر عن رأي الموقع", "copyright"),
    ],
)
def test_single_line_rules(line: str, label: str) -> None:
    text = f"{PARA_1}\n{line}\n{PARA_2}"
    start = len(PARA_1) + 1
    spans = find_boilerplate(text)
    assert [(s.start, s.end, s.label) for s in spans] == [(start, start + len(line), label)]


@pytest.mark.parametrize(
    "line",
    [
        PARA_1,
        "تابعوا المباراة عبر قناة رياضية محلية حسب ما أفاد المنظمون.",
        "تابع الرئيس أعمال القمة عبر الفيديو من مكتبه.",
        "وشارك في الاجتماع ممثلون عن الأحزاب السياسية والنقابات.",
        "وقال المتحدث إن الحكومة ستنشر التفاصيل على موقعها وحساباتها في فيسبوك وتويتر خلال الأيام المقبلة، "
        "مضيفا أن الهدف هو إطلاع المواطنين على الإجراءات الجديدة.",
        "المزيد من الضحايا سقطوا في الاشتباكات الأخيرة قرب الحدود الشمالية",
        "الرياض (رويترز) - قال وزير الطاقة إن بلاده ستواصل دعم استقرار الأسواق.",
    ],
)
def test_content_is_kept(line: str) -> None:
    assert find_boilerplate(f"{line}\n{PARA_2}") == []


def test_caption_once_is_kept_repeats_are_excluded() -> None:
    caption = "الوزير خلال المؤتمر الصحفي (رويترز)"
    text = f"{caption}\n{PARA_1}\n{caption}\n{PARA_2}\n{caption}"
    spans = find_boilerplate(text)
    assert [s.label for s in spans] == ["caption", "caption"]
    assert all(text[s.start : s.end] == caption for s in spans)
    assert spans[0].start > 0  # the first occurrence stays


@pytest.mark.parametrize(
    "caption",
    [
        "جانب من الاجتماع /رويترز",
        "صورة من الجلسة (Getty)",
        "مبنى البرلمان (أرشيفية)",
        "المحتجون في الساحة الرئيسية - أ ف ب",
    ],
)
def test_caption_credits(caption: str) -> None:
    single = f"{caption}\n{PARA_1}"
    assert find_boilerplate(single) == []
    twice = f"{caption}\n{PARA_1}\n{caption}"
    assert labels(twice) == [("caption", caption)]


def test_repeated_paragraph_after_normalisation() -> None:
    # Same paragraph with different hamza seat, diacritics and spacing.
    variant = PARA_2.replace("الجانبان", " الجانبان").replace("أهمية", "اهميةَ").replace("على", "علی")
    assert variant != PARA_2
    text = f"{PARA_1}\n{PARA_2}\n{PARA_3}\n{variant}"
    assert labels(text) == [("repeated_paragraph", variant)]


def test_short_repeated_lines_are_kept() -> None:
    text = f"الرياض\n{PARA_1}\nالرياض\n{PARA_2}"
    assert find_boilerplate(text) == []


def test_crlf_lines_exclude_the_carriage_return() -> None:
    text = f"{PARA_1}\r\nتحميل المزيد\r\n{PARA_2}\r\n"
    (span,) = find_boilerplate(text)
    assert text[span.start : span.end] == "تحميل المزيد"


def test_document_blanks_excluded_lines() -> None:
    text = f"{PARA_1}\nشارك هذا الخبر\n{PARA_2}"
    doc = Document(text, DocMeta(id="x"), excluded=find_boilerplate(text))
    assert len(doc.analysed) == len(text)
    assert "شارك" not in doc.analysed
    assert PARA_1 in doc.analysed and PARA_2 in doc.analysed


_BOILER = ["تحميل المزيد", "اقرأ أيضا: خبر آخر", "صورة للوزير (رويترز)", "شارك هذا الخبر", "© 2024", PARA_1]
_line = st.one_of(
    st.sampled_from(_BOILER),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_spans_are_whole_lines_within_bounds(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    line_set = set(text.split("\n")) | {ln.removesuffix("\r") for ln in text.split("\n")}
    previous_end = -1
    for span in find_boilerplate(text):
        assert 0 <= span.start <= span.end <= len(text)
        assert span.start > previous_end
        previous_end = span.end
        assert span.start == 0 or text[span.start - 1] == "\n"
        assert span.end == len(text) or text[span.end] in "\r\n"
        assert "\n" not in text[span.start : span.end]
        assert text[span.start : span.end] in line_set
        assert span.label


def test_reading_time_badges_are_boilerplate() -> None:
    text = (
        "عنوان الخبر\nبقلم: فريق التحرير | قراءة في 3 دقائق\nوقت القراءة: دقيقتان\n"
        "نص الخبر الذي يقرؤه الناس في دقائق قليلة."
    )
    labels = [(text[s.start : s.end], s.label) for s in find_boilerplate(text)]
    assert labels == [
        ("بقلم: فريق التحرير | قراءة في 3 دقائق", "reading_time"),
        ("وقت القراءة: دقيقتان", "reading_time"),
    ]
