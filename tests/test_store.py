"""The store, on SQLite and on PostgreSQL alike: idempotent, batched, normalised and clitic-aware search,
failures, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rasd import api
from rasd.pipeline import PipelineConfig
from rasd.store import SearchError, Store, StoreError
from rasd.store.migrations import MIGRATIONS, POSTGRESQL

ARTICLES = {
    "a1.txt": "لقاء في جنيف\n\nالتقى أحمد سالم، مبعوث الأمم المتحدة، ممثلين عن الطرفين في جنيف يوم الإثنين "
    "لبحث تبادل الأسرى.",
    "a2.txt": "مباحثات روسية\n\nقال مسؤول إن الوفد الأمريكي سيتوجه لروسيا الأسبوع المقبل لاستئناف المباحثات "
    "حول الأسلحة النووية.",
    "a3.txt": "قمة اقتصادية\n\nافتتح وزير المالية قمةً اقتصاديةً تُعنى بالطاقة المتجددة والاستثمار في المدن الساحلية.",
}  # fmt: skip


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    yield s
    s.close()


def test_ingest_is_idempotent(tmp_path: Path, store: Store) -> None:
    src = write(tmp_path / "in", ARTICLES)
    first = api.ingest([src], store)
    assert first.processed == 3
    again = api.ingest([src], store)
    assert (again.processed, again.already_stored, again.duplicates) == (0, 3, 0)
    assert store.stats()["documents"] == 3


def test_wal_and_schema_version(db_url: str, store: Store) -> None:
    if store.kind == "sqlite":
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == len(MIGRATIONS) == len(POSTGRESQL)
    store.close()
    reopened = Store(db_url)  # migrations do not run twice
    assert reopened.schema_version == len(MIGRATIONS)
    reopened.close()


def test_newer_schema_is_refused(db_url: str) -> None:
    Store(db_url).close()
    if db_url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("UPDATE rasd_schema SET version = version + 5")
    else:
        conn = sqlite3.connect(db_url)
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 5}")
        conn.close()
    with pytest.raises(StoreError, match="newer than this Rasd"):
        Store(db_url)


def test_search_folds_alef_diacritics_and_clitics(tmp_path: Path, store: Store) -> None:
    api.ingest([write(tmp_path / "in", ARTICLES)], store)
    hits, total = store.search("احمد")  # finds أحمد
    assert total == 1 and hits[0].doc_id == "a1"
    s, e = hits[0].highlights[0]
    assert hits[0].snippet[s:e] == "أحمد"
    assert store.search("قِمَّة")[1] == 1  # diacritised query, plain text ("قمةً" in the text is diacritised)
    assert store.search("روسيا")[0][0].doc_id == "a2"  # the text has لروسيا
    assert store.search("جنيف OR الطاقة")[1] == 2
    assert store.search("الأسرى -جنيف")[1] == 0
    assert store.search('"الأسلحة النووية"')[1] == 1


@pytest.mark.parametrize("bad", ['"', "(", "AND", "NEAR(", "*", "-", "x" * 600, "OR OR", '"unbalanced', "a:b"])
def test_malformed_queries_give_a_clear_error_not_a_crash(store: Store, bad: str) -> None:
    try:
        hits, total = store.search(bad)
    except SearchError as e:
        assert str(e)  # a message the user can act on
    else:
        assert total == len(hits) == 0


def test_failures_are_recorded_once_and_counted(tmp_path: Path, store: Store) -> None:
    src = write(tmp_path / "in", ARTICLES)
    (src / "empty.txt").write_bytes(b"")
    (src / "bin.txt").write_bytes(b"\x00\x01\x02\x00" * 50)
    (src / "english.txt").write_text("This text has no Arabic letters at all, so it cannot be analysed.")
    summary = api.ingest([src], store)
    assert summary.processed == 3
    assert {f.code for f in summary.failed} == {"empty", "binary", "no_arabic"}
    api.ingest([src], store)  # the same failures are not counted twice
    assert store.stats()["failed"] == 3
    reasons = {Path(f["path"]).name: f["reason"] for f in store.failures()}
    assert "empty" in reasons["empty.txt"]


def test_interrupted_ingest_keeps_committed_batches_and_rerun_completes(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = ["وزير", "سفير", "جيش", "حكومة", "برلمان", "حزب", "اتفاق", "ميناء", "نفط", "غاز", "قمح", "سلاح"]
    words += ["حدود", "لاجئ", "مطار", "قرار"]
    bodies = {f"n{i:02d}.txt": f"خبر {i}\n\n" + " ".join(words[i:] + words[:i]) * 2 for i in range(7)}
    src = write(tmp_path / "in", bodies)
    db = db_url
    calls = {"n": 0}
    real = api._ingest_one

    def crash_on_fifth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # the user pressed Ctrl-C in the middle of the second batch
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "_ingest_one", crash_on_fifth)
    store = Store(db)
    with pytest.raises(KeyboardInterrupt):
        api.ingest([src], store, batch_size=3, config=PipelineConfig())
    store.close()
    store = Store(db)
    if store.kind == "sqlite":
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3  # the first batch only
    monkeypatch.setattr(api, "_ingest_one", real)
    summary = api.ingest([src], store, batch_size=3)
    assert summary.already_stored == 3
    assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 7


def test_near_duplicates_are_linked_not_analysed(tmp_path: Path, store: Store) -> None:
    body = (
        "أعلنت وزارة الخارجية أن جولة جديدة من المفاوضات ستعقد في العاصمة العمانية مسقط بمشاركة وفود من عدة دول "
        "وأضافت الوزارة في بيان أن المباحثات ستتناول ملفات الأمن الإقليمي والتجارة وحرية الملاحة في الخليج "
        "وأوضح البيان أن الجولة السابقة انتهت بتفاهمات أولية حول آليات المتابعة وتبادل المعلومات بين الأطراف"
    )
    body += (
        " وأشار المتحدث باسم الوزارة إلى أن الوفود ستبحث أيضا ملف تبادل المحتجزين وإعادة فتح المعابر الحدودية "
        "وتسهيل عودة اللاجئين إلى مدنهم وقراهم، مؤكدا أن بلاده تدعم كل جهد يفضي إلى تهدئة دائمة في المنطقة "
        "وأن الاتصالات مستمرة مع الشركاء الدوليين للتحضير لاجتماع وزاري موسع يعقد قبل نهاية العام الجاري"
    )
    copy = body.replace("جولة جديدة", "جولة أخرى")  # republished with one change and another title
    write(tmp_path / "in", {"orig.txt": "العنوان الأول\n\n" + body, "zcopy.txt": "عنوان آخر تماما\n\n" + copy})
    summary = api.ingest([tmp_path / "in"], store)
    assert (summary.processed, summary.duplicates) == (1, 1)
    assert store.duplicates_of("orig")[0][0] == "zcopy"
    rec = store.get_record("zcopy")
    assert rec["duplicate_of"] == "orig"
    assert store.stats()["duplicates"] == 1


def test_same_id_with_other_content_is_kept_under_a_new_id(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "x", {"same.txt": ARTICLES["a1.txt"]})
    write(tmp_path / "y", {"same.txt": ARTICLES["a3.txt"]})
    summary = api.ingest([tmp_path / "x", tmp_path / "y"], store)
    assert summary.processed == 2 and summary.renamed and summary.renamed[0][0] == "same"


def test_exact_copy_under_another_id_is_a_duplicate_and_reruns_add_nothing(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "in", {"first.txt": ARTICLES["a2.txt"], "second.txt": ARTICLES["a2.txt"]})
    summary = api.ingest([tmp_path / "in"], store)
    assert (summary.processed, summary.duplicates) == (1, 1)
    assert store.get_record("second")["duplicate_of"] == "first"
    again = api.ingest([tmp_path / "in"], store)
    assert (again.processed, again.duplicates, again.already_stored) == (0, 0, 2)


def test_fingerprints_stay_what_stored_ones_are() -> None:
    """Stores keep fingerprints and compare new articles with them: the same text must always give the
    same signature (a change here, in Rasd or in datasketch, would make old stores miss duplicates)."""
    import hashlib

    from rasd.ingest.dedup import fingerprint

    fp = fingerprint(
        "قال وزير الخارجية إن المحادثات مع الوفد الزائر تناولت التعاون الاقتصادي والأمن الإقليمي "
        "وسبل تعزيز العلاقات بين البلدين."
    )
    assert fp.n_words == 18 and fp.norm_hash == "561622806c68cee975d4becce9071054"
    assert hashlib.sha256(fp.signature.tobytes()).hexdigest() == (
        "adacf8735ff1bc86a71849a7fcae4615b5c1135b016d7850137e600a745443dc"
    )
