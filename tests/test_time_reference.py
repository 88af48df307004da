"""Undated articles: relative dates resolve within the latest year the article names with a month or day."""

from __future__ import annotations

from rasd.document import DocMeta, Document
from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig
from rasd.time.reference import find_dates_undated

TEXT = (
    "تحدث الرئيسان في ديسمبر/كانون الأول 2021، ثم في فبراير/شباط 2022. "
    "وفي سبتمبر/أيلول الماضي لوّح الكرملين بالتصعيد، وبدأ الهجوم في 24 فبراير الماضي. "
    "والتقى الوزيران هذا الشهر، وتحدثا يوم الأربعاء."
)


def _values(text: str) -> dict[str, str | None]:
    dates, _ = find_dates_undated(text)
    return {d.text: d.value for d in dates}


def test_relative_months_resolve_in_the_inferred_year_and_the_rest_keep_only_the_year() -> None:
    dates, year = find_dates_undated(TEXT)
    assert year == 2022
    got = {d.text: (d.value, d.precision) for d in dates}
    assert got["سبتمبر/أيلول الماضي"] == ("2022-09", "month")
    assert got["24 فبراير الماضي"] == ("2022-02-24", "day")
    assert got["هذا الشهر"] == ("2022", "year")
    assert got["يوم الأربعاء"] == ("2022", "year")
    assert got["ديسمبر/كانون الأول 2021"] == ("2021-12", "month")


def test_bare_years_do_not_set_the_reference() -> None:
    dates, year = find_dates_undated("تهدف الخطة إلى خفض الانبعاثات بحلول 2030. والتقى الوزيران الشهر الماضي.")
    assert year is None
    assert {d.text: d.value for d in dates}.get("الشهر الماضي") is None


def test_offsets_point_into_the_text() -> None:
    for d in find_dates_undated(TEXT)[0]:
        assert TEXT[d.start : d.end] == d.text


def test_the_pipeline_uses_it_for_undated_articles_only(kb) -> None:
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner="none"))
    undated = pipeline.run(Document(TEXT, DocMeta(id="u")))
    dated = pipeline.run(Document(TEXT, DocMeta(id="d", published="2023-05-10")))
    assert undated.values["reference_year"] == 2022
    assert "reference_year" not in dated.values
    by_text = {d.text: d.value for d in dated.values["dates"]}
    assert by_text["سبتمبر/أيلول الماضي"] == "2022-09"
    assert by_text["هذا الشهر"] == "2023-05"
