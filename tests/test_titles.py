"""Titles, counterparts and government phrases resolved to actors, by the article's date."""

from __future__ import annotations

import pytest

from rasd.document import DocMeta, Document
from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig


@pytest.fixture(scope="module")
def run(kb):
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))

    def analyse(text: str, published: str | None) -> dict[str, list[str]]:
        doc = pipeline.run(Document(text, DocMeta(id="t", published=published)))
        return {a.kb_id: [doc.text[m.start : m.end] for m in a.mentions] for a in doc.values["actors"]}

    return analyse


def test_one_title_is_two_people_at_two_dates(run) -> None:
    text = "وصل وزير الخارجية الأمريكي إلى الرياض لبحث الملف الأوكراني."
    assert run(text, "2023-06-01") == {"antony_blinken": ["وزير الخارجية الأمريكي"]}
    assert run(text, "2025-06-01") == {"marco_rubio": ["وزير الخارجية الأمريكي"]}
    assert "الرئيس الأمريكي" in run("قال الرئيس الأمريكي إن المحادثات مثمرة.", "2022-03-01")["joe_biden"]
    assert "الرئيس الأمريكي" in run("قال الرئيس الأمريكي إن المحادثات مثمرة.", "2019-03-01")["donald_trump"]


def test_construct_form_and_feminine_adjective(run) -> None:
    got = run("التقى وزير خارجية روسيا بنظرائه العرب.", "2024-01-10")
    assert got["sergey_lavrov"] == ["وزير خارجية روسيا"]


def test_a_title_before_a_name_joins_its_mention_and_states_the_role(kb) -> None:
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))
    doc = pipeline.run(Document("وقال وزير الخارجية الروسي سيرغي لافروف إن بلاده مستعدة.", DocMeta(id="t")))
    [lavrov] = [a for a in doc.values["actors"] if a.kb_id == "sergey_lavrov"]
    assert [doc.text[m.start : m.end] for m in lavrov.mentions] == ["وزير الخارجية الروسي سيرغي لافروف"]
    assert lavrov.role == "Minister of Foreign Affairs of Russia"  # stated by the text, the article is undated


def test_counterpart_is_the_same_role_of_the_other_state(run) -> None:
    got = run("أجرى وزير الخارجية الأمريكي أنتوني بلينكن اتصالا مع نظيره الروسي.", "2023-02-01")
    assert got["sergey_lavrov"] == ["نظيره الروسي"]


def test_undated_article_resolves_a_title_to_the_holder_it_names(run) -> None:
    got = run("التقى بايدن نظراءه. وقال الرئيس الأمريكي إن الاجتماع كان مثمرا.", None)
    assert got["joe_biden"] == ["بايدن", "الرئيس الأمريكي"]
    assert run("وقال الرئيس الأمريكي إن الاجتماع كان مثمرا.", None) == {}  # no date, nobody named: unknown


def test_government_phrases_are_the_state(run) -> None:
    got = run("وأكدت الإدارة الأمريكية أن إدارة بايدن والوفد الأمريكي لن يتنازلوا.", "2023-01-01")
    assert got["united_states"] == ["الإدارة الأمريكية", "إدارة بايدن", "الوفد الأمريكي"]


def test_an_adviser_of_the_president_is_not_the_president(run) -> None:
    got = run("وقال مستشار الرئيس الأمريكي جو بايدن للأمن القومي إن المحادثات سرية.", "2022-11-07")
    assert all("مستشار الرئيس الأمريكي جو بايدن" not in forms for forms in got.values())
    assert got["joe_biden"] == ["الرئيس الأمريكي جو بايدن"]


def test_a_former_holder_or_an_assistant_is_not_resolved_by_date(run) -> None:
    assert "marco_rubio" not in run("قالت مساعدة وزير الخارجية الأمريكي إن الوضع خطير.", "2025-05-01")
    assert "marco_rubio" not in run("قال وزير الخارجية الأمريكي السابق إن الوضع خطير.", "2025-05-01")


def test_officials_of_a_state_named_by_its_plural_adjective(run) -> None:
    got = run("والتقى الوفد مسؤولين روسيين، فيما تحدث المسؤولون الأمريكيون عن تقدم.", "2023-01-01")
    assert got["russia"] == ["مسؤولين روسيين"]
    assert got["united_states"] == ["المسؤولون الأمريكيون"]
