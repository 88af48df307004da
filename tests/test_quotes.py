"""Direct quotes and their speakers, on sentences written for these tests."""

from __future__ import annotations

import pytest

from rasd.document import DocMeta, Document
from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig
from rasd.quotes import quoted_spans


@pytest.fixture(scope="module")
def run(kb):
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))

    def analyse(text: str, published: str | None = "2024-03-01") -> Document:
        return pipeline.run(Document(text, DocMeta(id="t", published=published)))

    return analyse


def quotes(doc: Document) -> list[tuple[str, str | None, str | None]]:
    return [(doc.text[q.start : q.end], q.speaker, q.speaker_text) for q in doc.values["quotes"]]


def test_quote_marks_pair_within_a_paragraph() -> None:
    text = 'قال: «أ» و“ب” و"ج"\nثم "غير مغلق\nو‘د’'
    assert [text[a + 1 : b] for a, b in quoted_spans(text)] == ["أ", "ب", "ج", "د"]


def test_named_speaker_before_the_quote_and_its_continuation(run) -> None:
    doc = run(
        "وقال وزير الخارجية الروسي سيرغي لافروف للصحفيين: «لن نقبل بأي شروط مسبقة في هذه المفاوضات».\n"
        "وأضاف: «الحوار هو الطريق الوحيد لإنهاء الأزمة»."
    )
    got = quotes(doc)
    assert got[0] == ("لن نقبل بأي شروط مسبقة في هذه المفاوضات", "sergey_lavrov", "وزير الخارجية الروسي سيرغي لافروف")
    assert got[1][:2] == ("الحوار هو الطريق الوحيد لإنهاء الأزمة", "sergey_lavrov")


def test_reporting_clause_after_the_quote(run) -> None:
    doc = run("«نحن مستعدون للقاء نظرائنا في أي وقت»، قال بلينكن في ختام الاجتماع.")
    assert quotes(doc) == [("نحن مستعدون للقاء نظرائنا في أي وقت", "antony_blinken", "بلينكن")]


def test_subject_before_the_verb(run) -> None:
    doc = run('بلينكن أكد أن "الولايات المتحدة لن تتخلى عن حلفائها مهما طال الزمن".')
    assert quotes(doc)[0][1] == "antony_blinken"


def test_anonymous_official_is_kept_with_its_phrase(run) -> None:
    doc = run("وقال مسؤول أمريكي رفيع طلب عدم الكشف عن هويته إن «المحادثات كانت صعبة لكنها مثمرة».")
    [(_, speaker, phrase)] = quotes(doc)
    assert speaker is None and phrase.startswith("مسؤول أمريكي رفيع")
    [src] = doc.values["sources"]
    assert (src.kind, src.count, src.named) == ("officials", 1, False)


def test_title_refers_back_to_the_person_it_introduced(run) -> None:
    doc = run(
        "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الرياض صباح اليوم في جولة تشمل عدة عواصم.\n"
        "وقال الوزير في مؤتمر صحفي: «جئنا لنستمع إلى شركائنا قبل أن نتحدث»."
    )
    assert quotes(doc)[0][1:] == ("antony_blinken", "الوزير")


def test_unnamed_spokesperson_speaks_for_the_body(run) -> None:
    doc = run(
        "وقال متحدث باسم وزارة الخارجية الأمريكية إن الاتصالات مستمرة.\n"
        "وأضاف المتحدث: «لم نتلق أي رد رسمي حتى الآن من الطرف الآخر»."
    )
    assert quotes(doc)[0][1] == "us_state_department"


@pytest.mark.parametrize(
    "text",
    [
        "ونشرت صحيفة «وول ستريت جورنال» تقريرا مطولا عن المفاوضات.",
        "وتحدث التقرير عن «خطوط حمراء» لا يمكن تجاوزها.",
        "أطلقت الحكومة مبادرة «الطريق الآمن» لإعادة اللاجئين.",
        "وتقول «وول ستريت جورنال» إن المحادثات بدأت قبل أشهر.",
        "يبقى «الحل السياسي» بعيد المنال في ظل التصعيد الحالي.",
    ],
)
def test_titles_and_scare_quotes_are_not_quotes(run, text: str) -> None:
    assert quotes(run(text)) == []


def test_media_cited_as_source(run) -> None:
    doc = run(
        "وبحسب صحيفة وول ستريت جورنال، فإن المحادثات جرت سرا. ونقلت رويترز عن ثلاثة مسؤولين مطلعين أن الاجتماع تأجل."
    )
    kinds = {(s.kind, s.actor, s.count) for s in doc.values["sources"]}
    assert ("media", "wall_street_journal", None) in kinds
    assert ("media", "reuters", None) in kinds


def test_quote_offsets_point_into_the_original_text(run) -> None:
    text = "وَقالَ لافروفُ: «لَنْ نَقْبَلَ بِالشُّرُوطِ»."
    doc = run(text)
    [(q, speaker, _)] = quotes(doc)
    assert q == "لَنْ نَقْبَلَ بِالشُّرُوطِ" and speaker == "sergey_lavrov"


def test_an_unknown_named_speaker_is_kept_and_not_replaced_by_an_earlier_one(run) -> None:
    doc = run(
        "وقال لافروف: «نرحب بأي مبادرة جادة لوقف القتال».\n"
        "وقال جميل الخطيب، أستاذ العلوم السياسية: «هذه التصريحات موجهة إلى الداخل أكثر من الخارج».\n"
        "وأضاف: «لا أتوقع اختراقا قريبا في المفاوضات»."
    )
    got = quotes(doc)
    assert got[0][1] == "sergey_lavrov"
    assert got[1][1:] == (None, "جميل الخطيب")
    assert got[2][1:] == (None, "جميل الخطيب")


def test_a_quoted_name_after_a_label_noun_with_a_clitic_is_not_a_quote(run) -> None:
    assert quotes(run("وقال لافروف إن أعضاء بجماعة «الفجر الجديد» اعتقلوا.")) == []
