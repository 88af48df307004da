"""`rasd batch` on Ray gives the records of `api.extract`, and `rasd load` the store of `api.ingest`."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_WHY = "Ray Data is not installed (or cannot be imported): pip install 'rasd[scale]' to test `rasd batch`"
pytest.importorskip("ray.data", reason=_WHY, exc_type=ImportError)
pq = pytest.importorskip("pyarrow.parquet", reason=_WHY, exc_type=ImportError)

from rasd import api  # noqa: E402
from rasd.pipeline import PipelineConfig  # noqa: E402
from rasd.scale.ray_batch import TABLES, load, run_batch  # noqa: E402
from rasd.store import Store  # noqa: E402
from stores import SAMPLES, dump_store  # noqa: E402
from test_ingest_warc import write_warc  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray Data's own, on its context

CONFIG = PipelineConfig(ner="none")  # the analysis is the same code either way; no NER keeps the test fast

PEOPLE = [
    "وزير الخارجية الأمريكي ماركو روبيو",
    "وزير الخارجية الروسي سيرغي لافروف",
    "الرئيس الأوكراني فولوديمير زيلينسكي",
    "الرئيس الفرنسي إيمانويل ماكرون",
    "المستشار الألماني أولاف شولتس",
    "الأمين العام للأمم المتحدة أنطونيو غوتيريش",
]
COUNTRIES = ["روسيا", "أوكرانيا", "الصين", "إيران", "مصر", "قطر", "تركيا", "السعودية", "الأردن", "فرنسا"]
CITIES = ["الرياض", "القاهرة", "الدوحة", "أنقرة", "جنيف", "مسقط", "عمّان", "باريس"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر"]
SENTENCES = [
    "التقى {p} نظيره من {c} في {city} لبحث سبل إنهاء الأزمة.",
    "وقال {p} إن بلاده مستعدة للحوار مع {c} دون شروط مسبقة.",
    "وأعلنت {c} أنها ستستضيف جولة جديدة من المفاوضات في {m} المقبل.",
    "وأكد {p} في مؤتمر صحفي: «لن نقبل بأي اتفاق لا يحترم سيادة {c}».",
    "ونقلت وكالة رويترز عن مسؤول في {c} قوله إن المحادثات كانت صريحة وبناءة.",
    "وأدانت {c} الهجوم الذي استهدف قافلة إغاثة قرب الحدود وأسفر عن {n} قتلى.",
    "ووقّعت {c} و{c2} اتفاقاً لتبادل {n} أسيراً بوساطة من {c3}.",
    "وذكر مصدران دبلوماسيان أن وفد {c} غادر {city} قبل انتهاء الجلسة الثانية.",
    "ورفض {p} الاتهامات الموجهة إلى حكومته ووصفها بأنها لا أساس لها.",
    "وهددت {c} بفرض عقوبات جديدة على {c2} إذا لم توقف عملياتها العسكرية.",
    "ودعا {p} إلى وقف فوري لإطلاق النار وفتح الممرات الإنسانية أمام المدنيين.",
    "وأفادت صحيفة الشرق الأوسط بأن {c} تدرس مقترحاً لعقد قمة ثلاثية في {m}.",
    "وقال متحدث باسم الخارجية في {c}: «نحن ندعم كل جهد يقود إلى سلام دائم».",
    "وزار {p} العاصمة {city} حيث أجرى محادثات استمرت {n} ساعات.",
    "وتعهدت {c} بتقديم مساعدات بقيمة {n} مليون دولار لإعادة إعمار المناطق المتضررة.",
    "وأشار مسؤولون أمريكيون إلى أن واشنطن لن تشارك في الاجتماع المقرر في {city}.",
]


def _articles(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Short articles of our own, several sentences each with their own names, places and numbers."""
    rnd = random.Random(seed)
    for i in range(n):
        fill = {"p": rnd.choice(PEOPLE), "c": rnd.choice(COUNTRIES), "c2": rnd.choice(COUNTRIES),
                "c3": rnd.choice(COUNTRIES), "city": rnd.choice(CITIES), "m": rnd.choice(MONTHS),
                "n": rnd.randint(2, 900)}  # fmt: skip
        body = " ".join(s.format(**fill) for s in rnd.sample(SENTENCES, rnd.randint(3, 6)))
        day = f"{rnd.randint(2019, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        yield {
            "id": f"s{seed}-{i:04d}",
            "title": f"{fill['city']}: محادثات بشأن {fill['c']} ({i})",
            "text": f"{fill['city']} - {body} وجاء ذلك في اليوم رقم {i} من الأزمة.",
            "published": day if i % 3 else None,  # a third say nothing: the date then comes from the text
            "outlet": rnd.choice(["وكالة المدار للأنباء", "الشرق الأوسط", None]),
        }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated articles in a JSONL and a JSONL.gz shard, the bundled feed, an exact copy, a broken line and a
    WARC web archive of five pages (and crawl furniture)."""
    d = tmp_path_factory.mktemp("archive")
    first = list(_articles(240, 1))
    with open(d / "a.jsonl", "w", encoding="utf-8") as f:
        for rec in first:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        f.write('{"id": "broken", "text": \n')  # an invalid line: a failure, the rest goes on
        f.write(json.dumps({"id": "no-arabic", "text": "only latin letters here"}) + "\n")
    with gzip.open(d / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        for rec in [*_articles(60, 2), {**first[5], "id": "copy-of-s1-0005"}]:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    shutil.copy(SAMPLES / "news_feed.jsonl", d / "c_news_feed.jsonl")
    write_warc(d / "d_crawl.warc.gz", [(a["title"], a["text"]) for a in _articles(5, 3)])
    return d


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    import ray
    import ray.data

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def batch_out(corpus: Path, ray_cluster: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    summary = run_batch([corpus], out, num_cpus=2, ner="none")
    assert summary.inputs == 4 and summary.documents == 240 + 61 + 3 + 5 and summary.failed == 3
    return out


def test_batch_records_equal_extract(corpus: Path, batch_out: Path) -> None:
    docs = pq.read_table(batch_out / "documents.parquet").to_pylist()
    batch = {d["doc_id"]: d["record"] for d in docs}
    assert len(batch) == len(docs)  # every article analysed once, duplicates included
    expected = {}
    duplicates = []
    for res in api.extract([corpus], config=CONFIG):
        if res.record is not None:
            expected[res.record["doc_id"]] = res.record
        elif res.duplicate is not None:
            duplicates.append(res.doc_id)
    assert len(expected) > 280 and "copy-of-s1-0005" in duplicates
    for doc_id, record in expected.items():
        assert json.loads(batch[doc_id]) == record, doc_id
    assert set(batch) == set(expected) | set(duplicates)
    failures = pq.read_table(batch_out / "failures.parquet").to_pylist()
    assert sorted((f["code"], Path(f["path"]).name) for f in failures) == [
        ("json", "a.jsonl"),
        ("no_arabic", "a.jsonl"),
        ("no_arabic", "d_crawl.warc.gz"),  # the page of the archive with no Arabic text
    ]
    assert all(f["stage"] == "read" for f in failures)
    assert {"d_crawl:3", "d_crawl:11"} <= set(batch)  # the archive's pages, by record number


def test_flat_tables_follow_the_records(batch_out: Path) -> None:
    records = [json.loads(r) for r in pq.read_table(batch_out / "documents.parquet")["record"].to_pylist()]
    counts = {t: pq.read_table(batch_out / f"{t}.parquet").num_rows for t in TABLES}
    assert counts["actors"] == sum(len(r["actors"]) for r in records) > 0
    assert counts["mentions"] == sum(len(a["mentions"]) for r in records for a in r["actors"])
    for table in ("events", "quotes", "sources"):
        assert counts[table] == sum(len(r[table]) for r in records) > 0, table
    quote = pq.read_table(batch_out / "quotes.parquet").to_pylist()[0]
    text = next(r["text"] for r in records if r["doc_id"] == quote["doc_id"])
    assert text[quote["start"] : quote["end"]] == quote["text"]  # offsets point into the stored text


def test_load_gives_the_store_of_ingest(corpus: Path, batch_out: Path, tmp_path: Path, db_url: str) -> None:
    """Loaded into SQLite, then into PostgreSQL: the store `rasd ingest` gives, table by table."""
    store = Store(tmp_path / "ingest.db")
    ingested = api.ingest([corpus], store, config=CONFIG)
    store.close()
    store = Store(db_url)
    loaded = load(batch_out, store)
    again = load(batch_out, store)  # a re-run adds nothing
    store.close()
    assert (loaded.processed, loaded.duplicates, len(loaded.failed)) == (
        ingested.processed,
        ingested.duplicates,
        len(ingested.failed),
    )
    assert loaded.duplicates >= 1 and again.processed == again.duplicates == 0
    assert dump_store(db_url) == dump_store(tmp_path / "ingest.db")


def test_parquet_shards_read_like_json_lines(ray_cluster: None, tmp_path: Path) -> None:
    """A Parquet row is read as the JSON line with the same fields (a timestamp column as its ISO date)."""
    import datetime as dt

    import pyarrow as pa

    rows = list(_articles(20, 3))
    with open(tmp_path / "same.jsonl", "w", encoding="utf-8") as f:
        for rec in rows:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    stamps = [dt.datetime.fromisoformat(r["published"]) if r["published"] else None for r in rows]
    table = pa.Table.from_pylist([{**r, "published": None} for r in rows]).set_column(
        3, "published", pa.array(stamps, pa.timestamp("s"))
    )
    (tmp_path / "shards").mkdir()
    pq.write_table(table, tmp_path / "shards" / "part-0.parquet")
    run_batch([tmp_path / "shards"], tmp_path / "out", num_cpus=1, ner="none")  # 20 articles: one block
    got = {
        d["doc_id"]: json.loads(d["record"]) for d in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    }
    want = {r.record["doc_id"]: r.record for r in api.extract([tmp_path / "same.jsonl"], config=CONFIG, dedup=False)}
    assert got == want and len(got) == 20
