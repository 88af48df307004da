"""PLOVER events on sentences written for these tests: types, participants, every status, date, place, source."""

from __future__ import annotations

import pytest

from rasd.document import DocMeta, Document
from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig


@pytest.fixture(scope="module")
def events(kb):
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))

    def run(text: str, published: str | None = "2024-03-06"):  # a Wednesday
        doc = pipeline.run(Document(text, DocMeta(id="t", published=published)))
        return [(e.type, e.mode, e.status, e.actors_a, e.actors_b, e.date, e.location) for e in doc.values["events"]]

    return run


def test_a_meeting_with_its_participants_date_and_place(events) -> None:
    [ev] = events("التقى أنتوني بلينكن سيرغي لافروف في موسكو يوم الجمعة.")
    assert ev == ("CONSULT", "meeting", "occurred", ["antony_blinken"], ["sergey_lavrov"], "2024-03-01", "moscow")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("سيلتقي بلينكن لافروف في موسكو.", "future"),
        ("ومن المقرر أن يلتقي بلينكن لافروف الأسبوع المقبل.", "future"),
        ("لم يلتق بلينكن لافروف منذ شهور.", "negated"),
        ("حاول بلينكن الاتصال بلافروف لكن دون جدوى.", "failed"),
        ("إذا التقى بلينكن لافروف فقد يتغير الموقف.", "hypothetical"),
        ("التقى بلينكن لافروف أمس.", "occurred"),
    ],
)
def test_every_status(events, text: str, status: str) -> None:
    got = [e for e in events(text) if e[0] == "CONSULT"]
    assert got and got[0][2] == status and {"antony_blinken", "sergey_lavrov"} <= set(got[0][3] + got[0][4])


def test_counterparts_after_with_and_between(events) -> None:
    [ev] = events("أجرى بوتين محادثات مع بايدن حول الأمن الأوروبي.")
    assert ev[:5] == ("CONSULT", "talks", "occurred", ["vladimir_putin"], ["joe_biden"])
    [ev] = events("جرت مباحثات بين روسيا والولايات المتحدة في موسكو.")
    assert set(ev[3] + ev[4]) == {"russia", "united_states"}


def test_other_types(events) -> None:
    assert events("اتهمت روسيا الولايات المتحدة بتأجيج الحرب.")[0][:5] == (
        "ACCUSE", None, "occurred", ["russia"], ["united_states"],
    )  # fmt: skip
    assert events("وحث بلينكن روسيا على وقف الهجمات.")[0][0] == "REQUEST"
    assert events("ورفض لافروف المقترح الأمريكي.")[0][0] == "REJECT"


def test_newsroom_routine_is_not_an_event(events) -> None:
    assert events("ورفض لافروف التعليق على التقارير.") == []
    assert events("وقال مسؤول روسي طلب عدم الكشف عن هويته إن موسكو مستعدة.") == []


def test_media_report_events_and_are_not_parties(kb) -> None:
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))
    doc = pipeline.run(Document("وبحسب رويترز، التقى بلينكن لافروف في موسكو.", DocMeta(id="t")))
    [ev] = doc.values["events"]
    assert ev.reported_by == ["reuters"] and "reuters" not in ev.actors_a + ev.actors_b


def test_the_same_event_told_twice_is_one_event(events) -> None:
    got = events("التقى بلينكن لافروف في موسكو. وخلال اللقاء بين بلينكن ولافروف بحث الطرفان الأزمة.")
    assert len([e for e in got if e[0] == "CONSULT"]) == 1


def test_subject_before_the_verb_and_in_a_relative_clause(events) -> None:
    [ev] = events("وقال مسؤولون إن بلينكن التقى لافروف في موسكو.")
    assert (ev[3], ev[4]) == (["antony_blinken"], ["sergey_lavrov"])
    [ev] = events("وكان لافروف الذي التقى بلينكن قد وصل إلى موسكو.")
    assert (ev[3], ev[4]) == (["sergey_lavrov"], ["antony_blinken"])
    [ev] = events("وأضاف أن بايدن قد التقى بوتين.")
    assert (ev[3], ev[4]) == (["joe_biden"], ["vladimir_putin"])


def test_coordinated_actors_join_their_side(events) -> None:
    [ev] = events("التقى بلينكن ولافروف بوتين في موسكو.")
    assert (ev[3], ev[4]) == (["antony_blinken", "sergey_lavrov"], ["vladimir_putin"])
    [ev] = events("أجرى بايدن محادثات مع بوتين ولافروف.")
    assert (ev[3], ev[4]) == (["joe_biden"], ["vladimir_putin", "sergey_lavrov"])


def test_the_same_pair_on_two_dates_is_two_events(events) -> None:
    got = events("تحدث بايدن مع بوتين في ديسمبر 2021. وتحدث بايدن مع بوتين في فبراير 2022.")
    assert [(e[0], e[5]) for e in got] == [("CONSULT", "2021-12"), ("CONSULT", "2022-02")]
    assert len(events("تحدث بايدن مع بوتين أمس. وقال إن بايدن تحدث مع بوتين بصراحة.")) == 1


def test_contact_words_need_a_partner(events) -> None:
    assert events("تواصل القصف الروسي على المدن الأوكرانية.") == []
    assert events("ونشر بوتين الصورة على موقع التواصل الاجتماعي.") == []
    assert events("تواصل بلينكن مع لافروف هاتفيا.")[0][:2] == ("CONSULT", "phone")
    assert events("وتعد روسيا أكبر مصدر للقمح.") == []


def test_ambiguous_triggers_need_their_complement(events) -> None:
    assert events("أطلقت روسيا عملية إنقاذ في المنطقة.") == []
    assert events("وأطلقت روسيا صواريخ على أوكرانيا.")[0][0] == "ASSAULT"
    assert events("وأطلقت روسيا يوم الثلاثاء ما يصل إلى 100 صاروخ على أوكرانيا.")[0][0] == "ASSAULT"
    assert events("وأطلقت روسيا سراح جنود أوكرانيين.")[0][0] == "RETREAT"
    assert events("تراجع حاد في قيمة الروبل الروسي.") == []
    assert events("وتراجعت روسيا عن مطلبها.")[0][0] == "CONCEDE"


def test_objects_after_time_and_place_parentheticals(events) -> None:
    [ev] = events("وأشاد بلينكن، في تصريحات بموسكو، يوم الأربعاء، بلافروف.")
    assert (ev[0], ev[3], ev[4]) == ("SUPPORT", ["antony_blinken"], ["sergey_lavrov"])
    [ev] = events("وأشاد بلينكن، وهو في طريقه إلى المطار، بلافروف.")
    assert ev[4] == []


def test_including_phrase_joins_the_subject_side(events) -> None:
    [ev] = events("وحث كبار المسؤولين الأمريكيين، بمن فيهم بلينكن، روسيا على وقف الهجمات.")
    assert (ev[3], ev[4]) == (["united_states", "antony_blinken"], ["russia"])


def test_qad_after_kana_is_past_not_hypothetical(events) -> None:
    assert events("وكان بلينكن قد التقى لافروف في موسكو.")[0][2] == "occurred"
    assert events("وقد يلتقي بلينكن لافروف في موسكو.")[0][2] == "hypothetical"


def test_warnings_deployments_and_demands(events) -> None:
    assert events("وحذر بلينكن روسيا من استخدام الأسلحة الكيماوية.")[0][:5] == (
        "THREATEN", None, "occurred", ["antony_blinken"], ["russia"],
    )  # fmt: skip
    assert events("ونشرت روسيا قوات إضافية قرب الحدود.")[0][0] == "MOBILIZE"
    assert events("ونشرت روسيا تقريرا عن الحرب.") == []
    assert events("وشدد بلينكن على ضرورة وقف روسيا للهجمات.")[0][0] == "REQUEST"
    assert events("وشدد بلينكن على أهمية العلاقات مع روسيا.") == []


def test_talking_to_the_press_and_relative_clauses_of_other_nouns(events) -> None:
    assert events("وقال مسؤولون روس تحدثوا للصحيفة إن لافروف غاضب.") == []
    got = events("ورفض بلينكن التفاوض مع الدولة التي تهاجم روسيا يوميا.")
    assert [e for e in got if e[0] == "ASSAULT" and "antony_blinken" in e[3]] == []


def test_a_later_with_phrase_is_not_the_counterpart(events) -> None:
    [ev] = [e for e in events("وحث بلينكن بوتين على التفاوض مع بايدن.") if e[0] == "REQUEST"]
    assert (ev[3], ev[4]) == (["antony_blinken"], ["vladimir_putin"])


def test_the_speaker_is_the_subject_of_what_he_says_he_did(events) -> None:
    got = [e for e in events("وقال بلينكن إنه حذر روسيا من التصعيد.") if e[0] == "THREATEN"]
    assert got and (got[0][3], got[0][4]) == (["antony_blinken"], ["russia"])


def test_counterparts_in_countries_and_places_as_targets(events) -> None:
    [ev] = events("وتحدث بلينكن مع نظرائه في روسيا وعمان.")
    assert (ev[3], ev[4]) == (["antony_blinken"], ["russia", "oman"])
    [ev] = events("وقالت واشنطن إن القوات الروسية كانت تستعد لشن هجوم في أوكرانيا.")
    assert ev[0] == "MOBILIZE"
    assert events("وتستعد روسيا للانتخابات الرئاسية.") == []


def test_a_light_verb_makes_a_one_actor_noun_an_event(events) -> None:
    assert [e[:4] for e in events("وعقدت روسيا اجتماعا طارئا أمس.")] == [("CONSULT", "meeting", "occurred", ["russia"])]
    assert events("وتحدثت روسيا عن الاجتماعات السابقة.") == []


def test_bringing_two_parties_together(events) -> None:
    [ev] = events("وستجمع المحادثات المقبلة روسيا وعمان في مسقط.")
    assert ev[0] == "CONSULT" and set(ev[3] + ev[4]) == {"russia", "oman"} and ev[2] == "future"
    assert events("وتجمع روسيا الأموال لإعادة الإعمار.") == []


def test_the_light_verbs_subject_holds_the_talks(events) -> None:
    [ev] = events("وكان بلينكن ولافروف قد عقدا في وقت سابق من هذا الأسبوع محادثات مطولة.")
    assert (ev[0], ev[3]) == ("CONSULT", ["antony_blinken", "sergey_lavrov"])


def test_troops_entering_a_country_is_an_invasion(events) -> None:
    [ev] = events("ودخلت القوات الروسية أوكرانيا فجر الخميس.")
    assert (ev[0], ev[1], ev[4]) == ("ASSAULT", "invasion", ["ukraine"])
    assert events("ودخل بلينكن روسيا للمرة الأولى.") == []


def test_contacts_with_the_press_are_sourcing(events) -> None:
    assert events("وقال مسؤول روسي تحدث إلى رويترز إن موسكو مستعدة.") == []
    assert events("وحذر كثيرون ممن اتصلت بهم رويترز من التصعيد.") == [] or all(
        e[0] != "CONSULT" for e in events("وحذر كثيرون ممن اتصلت بهم رويترز من التصعيد.")
    )
