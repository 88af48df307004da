"""Cross-article event merge: the pure rules, and the store keeping one event with several mentions.

The articles are short reports written for these tests: the same Blinken-Lavrov meeting told by three outlets
on neighbouring days (sides swapped, one report undated), a planned meeting two weeks later, and an accusation.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from rasd import api
from rasd.events.merge import (
    Cluster,
    MergeIndex,
    actor_identity,
    actors_key,
    choose,
    consensus_date,
    distance,
    merged_status,
    to_day,
    when,
)
from rasd.pipeline import PipelineConfig
from rasd.store import Store
from rasd.store.filters import Filters
from rasd.store.migrations import MIGRATIONS, POSTGRESQL

ARTICLES = [
    {"id": "wire_a", "outlet": "وكالة الشرق", "published": "2024-03-06", "title": "لقاء في موسكو",
     "text": "التقى وزير الخارجية الأمريكي أنتوني بلينكن نظيره الروسي سيرغي لافروف في موسكو يوم الثلاثاء، "
             "وتناول اللقاء ملف الأسرى."},
    {"id": "daily_b", "outlet": "صحيفة الغد", "published": "2024-03-07", "title": "محادثات روسية أمريكية",
     "text": "وبحسب رويترز، عقد لافروف محادثات مع بلينكن أمس في العاصمة الروسية استمرت ثلاث ساعات."},
    {"id": "site_c", "outlet": "موقع النهار", "published": "2024-03-07", "title": "توتر جديد",
     "text": "اتهمت روسيا الولايات المتحدة بعرقلة الحل في المنطقة. وأجرى بلينكن محادثات مع لافروف في موسكو."},
    {"id": "later_d", "outlet": "وكالة الشرق", "published": "2024-03-20", "title": "موعد جديد",
     "text": "ومن المقرر أن يلتقي بلينكن لافروف في جنيف يوم الثلاثاء المقبل."},
]  # fmt: skip


def write_articles(folder: Path, articles: list[dict] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feed.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def build_store(db: str, folder: Path, kb, articles: list[dict] = ARTICLES) -> Store:
    store = Store(db)
    api.ingest([write_articles(folder / "in", articles)], store, config=PipelineConfig(kb=kb, ner="none"))
    return store


@pytest.fixture
def store(tmp_path: Path, db_url: str, kb) -> Store:
    """The four articles merged in SQLite, then in PostgreSQL: every store test runs on both."""
    s = build_store(db_url, tmp_path, kb)
    yield s
    s.close()


def groups(store: Store) -> list[tuple[str, list[str]]]:
    return [(ev.type, [m.doc_id for m in ev.mentions]) for ev in store.merged_events()]


# -- the pure rules -----------------------------------------------------------------------------------------------
def test_actor_identity_prefers_wikidata_then_kb_then_local_key() -> None:
    assert actor_identity({"wikidata": "Q30", "kb_id": "united_states"}) == "wd:Q30"
    assert actor_identity({"wikidata": None, "kb_id": "sergey_lavrov"}) == "kb:sergey_lavrov"
    assert actor_identity({"local_key": "local:person:جون تيرني"}) == "local:person:جون تيرني"
    assert actor_identity({"id": "a1"}) is None


def test_symmetric_types_ignore_sides_directed_types_do_not() -> None:
    assert actors_key("CONSULT", ["kb:x"], ["kb:y"]) == actors_key("CONSULT", ["kb:y"], ["kb:x"])
    assert actors_key("CONSULT", ["kb:x", "kb:y"], []) == actors_key("CONSULT", ["kb:y"], ["kb:x"])
    assert actors_key("AGREE", ["kb:x"], ["kb:y"]) == actors_key("AGREE", ["kb:y"], ["kb:x"])
    assert actors_key("ACCUSE", ["kb:x"], ["kb:y"]) != actors_key("ACCUSE", ["kb:y"], ["kb:x"])
    assert actors_key("ACCUSE", ["kb:x", "kb:z"], ["kb:y"]) == actors_key("ACCUSE", ["kb:z", "kb:x"], ["kb:y"])
    assert actors_key("CONSULT", ["kb:x"], ["kb:y"]) != actors_key("CONSULT", ["kb:x"], ["kb:z"])


def test_unidentified_or_missing_actors_never_merge() -> None:
    assert actors_key("CONSULT", [None], ["kb:y"]) is None
    assert actors_key("CONSULT", [], []) is None
    assert actors_key("CONSULT", ["kb:x"], []) is None  # a meeting needs two parties
    assert actors_key("CONSULT", ["kb:x"], ["kb:x"]) is None
    assert actors_key("ASSAULT", ["kb:x"], []) is None  # one-sided reports are too vague
    assert actors_key("ASSAULT", [], ["kb:y"]) is None


def test_dates_within_the_window() -> None:
    c = Cluster(0, "2024-03-05", to_day("2024-03-05"), to_day("2024-03-06"))
    assert distance(c, when("2024-03-07", "2024-03-08")) == 2
    assert distance(c, when("2024-03-08", "2024-03-06")) is None  # stated days decide when both have one
    assert distance(c, when(None, "2024-03-07")) == 1  # undated: the publication dates decide
    assert distance(c, when(None, "2024-03-09")) is None
    assert distance(c, when(None, None)) is None
    assert distance(c, when("2024-03", "2024-03-07")) == 1  # March contains March 5
    assert distance(c, when("2024-04", "2024-03-07")) is None
    assert distance(c, when("2024-03-07", "2024-03-08"), window=1) is None


def test_undated_events_match_only_when_both_publication_dates_are_known() -> None:
    c = Cluster(0, None, None, None)
    assert distance(c, when(None, "2024-03-07")) is None
    c = Cluster(0, None, None, to_day("2024-03-06"))
    assert distance(c, when("2024-03-06", None)) is None
    assert distance(c, when("2024-03-06", "2024-03-08")) == 2


def test_choose_takes_the_nearest_and_skips_events_the_article_already_reports() -> None:
    far = Cluster(1, None, to_day("2024-03-03"), None)
    near = Cluster(2, None, to_day("2024-03-05"), None, docs={"doc_x"})
    w = when("2024-03-05", "2024-03-06")
    assert choose([far, near], "doc_y", w) is near
    assert choose([far, near], "doc_x", w) is far  # one mention per article


def test_a_daily_series_does_not_chain_into_one_event() -> None:
    index = MergeIndex(window=2)
    key = actors_key("CONSULT", ["kb:x"], ["kb:y"])
    ids = [index.add("CONSULT", key, f"d{day}", when(f"2024-03-0{day}", None)) for day in range(1, 7)]
    assert ids == [0, 0, 0, 1, 1, 1]  # compared with the first day of each event, not with the latest report
    assert index.add("ACCUSE", key, "d9", when("2024-03-01", None)) == 2
    assert index.add("CONSULT", None, "d9", when("2024-03-01", None)) == 3


def test_summaries() -> None:
    assert merged_status(["future", "occurred", "future"]) == "occurred"
    assert merged_status(["future", "negated", "future"]) == "future"
    assert merged_status(["negated", "failed"]) == "failed"
    assert consensus_date(["2024-03", "2024-03-05", "2024-03-06", "2024-03-05"]) == "2024-03-05"
    assert consensus_date([None, None]) is None


# -- the store ----------------------------------------------------------------------------------------------------
def test_one_meeting_from_three_outlets_is_one_event_with_three_mentions(store: Store) -> None:
    assert groups(store) == [
        ("CONSULT", ["wire_a", "daily_b", "site_c"]),
        ("ACCUSE", ["site_c"]),
        ("CONSULT", ["later_d"]),
    ]
    meeting = next(store.merged_events(Filters(type="CONSULT")))
    assert (meeting.status, meeting.date, meeting.date_min, meeting.date_max) == (
        "occurred", "2024-03-05", "2024-03-05", "2024-03-06",
    )  # fmt: skip
    assert [a.id for a in meeting.actors_a] == ["antony_blinken"]
    assert [a.id for a in meeting.actors_b] == ["sergey_lavrov"]
    assert [m.outlet for m in meeting.mentions] == ["وكالة الشرق", "صحيفة الغد", "موقع النهار"]
    b = meeting.mentions[1]
    assert [a.id for a in b.actors_a] == ["sergey_lavrov"]  # each mention keeps its own sides
    assert [a.name_en for a in b.reported_by] == ["Reuters"]
    assert any(s["kind"] == "media" and s["text"].endswith("رويترز") for s in b.sources)
    assert store.stats()["merged_events"] == 3 and store.stats()["events"] == 5


def test_every_mention_points_at_the_exact_characters_of_its_article(store: Store) -> None:
    for ev in store.merged_events():
        for m in ev.mentions:
            text = store.get_record(m.doc_id)["text"]
            assert text[m.evidence["start"] : m.evidence["end"]] == m.evidence["text"]
            assert text[m.trigger["start"] : m.trigger["end"]] == m.trigger["text"]
            assert m.evidence["start"] <= m.trigger["start"] < m.trigger["end"] <= m.evidence["end"]


def test_reingest_is_idempotent(tmp_path: Path, store: Store, kb) -> None:
    before = [ev.to_dict() for ev in store.merged_events()]
    again = api.ingest([tmp_path / "in"], store, config=PipelineConfig(kb=kb, ner="none"))
    assert again.already_stored == len(ARTICLES) and again.processed == 0
    assert [ev.to_dict() for ev in store.merged_events()] == before


def test_articles_in_another_order_give_the_same_events(tmp_path: Path, kb) -> None:
    (tmp_path / "other").mkdir()
    order = [ARTICLES[2], ARTICLES[1], ARTICLES[0], ARTICLES[3]]
    other = build_store(str(tmp_path / "other" / "o.db"), tmp_path / "other", kb, order)
    assert sorted((t, sorted(d)) for t, d in groups(other)) == [
        ("ACCUSE", ["site_c"]),
        ("CONSULT", ["daily_b", "site_c", "wire_a"]),
        ("CONSULT", ["later_d"]),
    ]


def test_deleting_an_article_remerges_what_it_touched(store: Store) -> None:
    meeting_id = next(store.merged_events(Filters(type="CONSULT"))).id
    assert store.delete_document("wire_a")
    assert not store.delete_document("wire_a")
    meeting = store.merged_event(meeting_id)  # its first surviving mention keeps the id
    assert meeting is not None and [m.doc_id for m in meeting.mentions] == ["daily_b", "site_c"]
    assert meeting.date == "2024-03-06"
    assert store.search("الأسرى")[1] == 0  # gone from search too
    assert store.stats()["events"] == 4
    store.delete_document("site_c")
    assert groups(store) == [("CONSULT", ["daily_b"]), ("CONSULT", ["later_d"])]
    assert store.conn.execute("SELECT COUNT(*) FROM minhash_bands").fetchone()[0] == 2 * 32


def test_replacing_an_article_keeps_one_version(store: Store, kb) -> None:
    rec = store.get_record("daily_b")
    ids = {a["id"]: a for a in rec["actors"]}
    assert {ids[x]["kb_id"] for e in rec["events"] for x in e["actors_a"]} == {"sergey_lavrov"}
    from rasd.ingest.dedup import fingerprint

    with store.batch():
        store.add_document(rec, source_path=None, content_hash="x" * 32, fp=fingerprint(rec["text"]), replace=True)
    assert groups(store)[0] == ("CONSULT", ["wire_a", "site_c", "daily_b"])  # re-filed, not doubled
    assert store.stats()["documents"] == len(ARTICLES)


def test_rebuild_gives_what_incremental_merging_gave(store: Store) -> None:
    before = groups(store)
    store.rebuild_merged_events()
    assert groups(store) == before


def test_a_narrower_window_remerges_the_store(tmp_path: Path, store: Store) -> None:
    path = store.path
    store.close()
    narrow = Store(path, merge_window_days=0)
    assert narrow.merge_window_days == 0
    assert [d for t, d in groups(narrow) if t == "CONSULT"] == [["wire_a"], ["daily_b", "site_c"], ["later_d"]]
    narrow.close()
    assert Store(path).merge_window_days == 0  # the store remembers its window


def test_a_store_from_before_the_merge_migration_is_merged_when_opened(tmp_path: Path, store: Store) -> None:
    expected = groups(store)
    path = store.path
    store.close()
    version = next(i for i, sql in enumerate(MIGRATIONS) if "CREATE TABLE merged_events" in sql)
    assert "CREATE TABLE merged_events" in POSTGRESQL[version]
    drop = "DROP TABLE event_mentions; DROP TABLE merged_events; DROP TABLE store_meta;"
    if path.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(path, autocommit=True) as conn:
            conn.execute(f"{drop} DROP FUNCTION rasd_week_start; UPDATE rasd_schema SET version = {version}".encode())
    else:
        conn = sqlite3.connect(path)
        conn.executescript(f"{drop} PRAGMA user_version={version};")
        conn.close()
    reopened = Store(path)
    assert groups(reopened) == expected
    reopened.close()


def test_filters(store: Store) -> None:
    def ids(limit: int | None = None, offset: int = 0, **kw) -> list[tuple[str, int]]:
        return [(ev.type, len(ev.mentions)) for ev in store.merged_events(Filters(**kw), limit=limit, offset=offset)]

    assert ids(type="accuse") == [("ACCUSE", 1)]
    assert ids(status="future") == [("CONSULT", 1)]
    assert ids(actor="Q159") == [("ACCUSE", 1)]  # Russia, by its Wikidata id
    assert ids(actor="sergey_lavrov") == [("CONSULT", 3), ("CONSULT", 1)]
    assert ids(start="2024-03-10") == [("CONSULT", 1)]
    assert ids(end="2024-03-05") == [("CONSULT", 3)]
    assert ids(start="2024-03", end="2024-03") == ids()
    assert ids(outlet="صحيفة الغد") == [("CONSULT", 3)]
    assert ids(limit=1, offset=1) == [("ACCUSE", 1)]
    with pytest.raises(ValueError, match="ISO date"):
        list(store.merged_events(Filters(start="March")))
