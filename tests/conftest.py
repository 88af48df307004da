"""Shared fixtures: a small knowledge base written for the tests, and paths to ../shared when present."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rasd.kb.model import KnowledgeBase, actor_from_dict

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TEST_ACTORS = [
    {"id": "united_states", "kind": "gpe", "name_en": "United States", "name_ar": "الولايات المتحدة",
     "wikidata": "Q30", "aliases": ["أمريكا", "أميركا"], "adjectives": ["أمريكي", "أمريكية"],
     "demonyms": ["الأمريكيين", "الأمريكيون"]},
    {"id": "washington", "kind": "gpe", "name_en": "Washington", "name_ar": "واشنطن", "stands_for": "united_states"},
    {"id": "russia", "kind": "gpe", "name_en": "Russia", "name_ar": "روسيا", "wikidata": "Q159",
     "adjectives": ["روسي", "روسية"], "demonyms": ["الروس"]},
    {"id": "moscow", "kind": "gpe", "name_en": "Moscow", "name_ar": "موسكو", "stands_for": "russia"},
    {"id": "ukraine", "kind": "gpe", "name_en": "Ukraine", "name_ar": "أوكرانيا", "wikidata": "Q212",
     "adjectives": ["أوكراني", "أوكرانية"]},
    {"id": "russian_armed_forces", "kind": "org", "name_en": "Russian Armed Forces",
     "name_ar": "القوات المسلحة الروسية", "aliases": ["القوات الروسية", "الجيش الروسي"]},
    {"id": "kremlin", "kind": "org", "name_en": "Kremlin", "name_ar": "الكرملين", "stands_for": "russia"},
    {"id": "oman", "kind": "gpe", "name_en": "Oman", "name_ar": "سلطنة عمان", "aliases": ["عمان"]},
    {"id": "amman", "kind": "gpe", "name_en": "Amman", "name_ar": "عمّان", "aliases": ["عمان"]},
    {"id": "sergey_lavrov", "kind": "person", "name_en": "Sergey Lavrov", "name_ar": "سيرغي لافروف",
     "aliases": ["لافروف", "سيرجي لافروف"],
     "roles": [{"role": "foreign_minister", "of": "russia", "title_en": "Minister of Foreign Affairs of Russia",
                "start": "2004-03-09", "end": None}]},
    {"id": "antony_blinken", "kind": "person", "name_en": "Antony Blinken", "name_ar": "أنتوني بلينكن",
     "aliases": ["بلينكن"],
     "roles": [{"role": "foreign_minister", "of": "united_states", "title_en": "United States Secretary of State",
                "start": "2021-01-26", "end": "2025-01-20"}]},
    {"id": "marco_rubio", "kind": "person", "name_en": "Marco Rubio", "name_ar": "ماركو روبيو",
     "aliases": ["روبيو"],
     "roles": [{"role": "foreign_minister", "of": "united_states", "title_en": "United States Secretary of State",
                "start": "2025-01-21", "end": None}]},
    {"id": "vladimir_putin", "kind": "person", "name_en": "Vladimir Putin", "name_ar": "فلاديمير بوتين",
     "aliases": ["بوتين"],
     "roles": [{"role": "head_of_state", "of": "russia", "title_en": "President of Russia", "start": "2012-05-07"}]},
    {"id": "joe_biden", "kind": "person", "name_en": "Joe Biden", "name_ar": "جو بايدن", "aliases": ["بايدن"],
     "roles": [{"role": "head_of_state", "of": "united_states", "title_en": "President of the United States",
                "start": "2021-01-20", "end": "2025-01-20"}]},
    {"id": "donald_trump", "kind": "person", "name_en": "Donald Trump", "name_ar": "دونالد ترامب",
     "aliases": ["ترامب"],
     "roles": [{"role": "head_of_state", "of": "united_states", "title_en": "President of the United States",
                "start": "2017-01-20", "end": "2021-01-20"},
               {"role": "head_of_state", "of": "united_states", "title_en": "President of the United States",
                "start": "2025-01-20"}]},
    {"id": "us_state_department", "kind": "org", "name_en": "United States Department of State",
     "name_ar": "وزارة الخارجية الأمريكية", "country": "united_states"},
    {"id": "reuters", "kind": "media", "name_en": "Reuters", "name_ar": "رويترز", "aliases_en": ["Reuters"]},
    {"id": "wall_street_journal", "kind": "media", "name_en": "The Wall Street Journal",
     "name_ar": "وول ستريت جورنال"},
]  # fmt: skip


TEST_ROLES = {
    "head_of_state": {"en": "Head of state", "ar": ["رئيس", "الرئيس"]},
    "foreign_minister": {"en": "Foreign minister", "ar": ["وزير الخارجية", "رئيس الدبلوماسية"]},
    "adviser_to_head_of_state": {"en": "Adviser to the head of state", "ar": ["مستشار الرئيس"]},
}


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase([actor_from_dict(d, "test") for d in TEST_ACTORS], TEST_ROLES)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


HOSTILE_ID = "hostile_article"
HOSTILE_TEXT = (
    '<script>alert("title")</script> عنوان خبيث <img src=x onerror=alert(1)>\n\n'
    "موسكو - 3 مارس 2025\n"
    'قال الرئيس الروسي فلاديمير بوتين <script>alert("body")</script> إن بلاده مستعدة للتفاوض، وأضاف: '
    '«<b onmouseover="alert(2)">لن نقبل</b> أي شروط مسبقة».\n'
    "والتقى وزير الخارجية سيرغي لافروف نظيره التركي في أنقرة يوم الأحد الماضي لبحث وقف إطلاق النار.\n"
)


def ingest_samples(db: str, work: Path) -> None:
    """Ingest the bundled sample corpus (copied into `work`) into the store `db`."""
    from rasd import api
    from stores import copy_samples

    src = copy_samples(work)
    with api.open_store(db) as store:
        summary = api.ingest([src], store)
    assert summary.processed == 10 and not summary.failed, summary


def add_hostile(db: str, work: Path) -> None:
    """Ingest a hostile article (markup in its title, text and outlet, a javascript: URL) into the store `db`."""
    import json

    from rasd import api

    title, _, body = HOSTILE_TEXT.partition("\n\n")
    item = {"id": HOSTILE_ID, "title": title, "text": body, "url": "javascript:alert('url')",
            "outlet": "<i onclick=alert(3)>outlet</i>", "published": "2025-03-03"}  # fmt: skip
    (work / "hostile.jsonl").write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    with api.open_store(db) as store:
        summary = api.ingest([work / "hostile.jsonl"], store)
    assert summary.processed == 1 and not summary.failed, summary


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the bundled sample corpus, built once per test session (the web tests read it, never write)."""
    db = tmp_path_factory.mktemp("sample_store") / "samples.db"
    ingest_samples(str(db), tmp_path_factory.mktemp("web_samples"))
    return db


@pytest.fixture(scope="session")
def web_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample store plus a hostile article (see `add_hostile`)."""
    import shutil

    d = tmp_path_factory.mktemp("web_store")
    db = d / "web.db"
    shutil.copy(sample_db, db)
    add_hostile(str(db), d)
    return db


# -- PostgreSQL ------------------------------------------------------------------------------------------------
# RASD_TEST_POSTGRES names a server database the tests may create databases from (scripts/test_postgres.sh
# starts one and prints it; .ci/run does so). Without it the PostgreSQL tests are skipped, saying why, unless
# RASD_REQUIRE_POSTGRES=1 (CI), where a missing server fails them.


@pytest.fixture(scope="session")
def postgres_server() -> str:
    import os

    url = os.environ.get("RASD_TEST_POSTGRES")
    why = ""
    if not url:
        why = "RASD_TEST_POSTGRES is not set (export RASD_TEST_POSTGRES=$(scripts/test_postgres.sh))"
    else:
        try:
            import psycopg

            psycopg.connect(url, autocommit=True).close()
        except Exception as e:  # no psycopg, no server, bad URL
            why = f"no PostgreSQL at {url}: {e}"
    if why:
        if os.environ.get("RASD_REQUIRE_POSTGRES") == "1":
            pytest.fail(why)
        pytest.skip(why)
    assert url
    return url


def new_postgres_db(server: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on the test server: its URL, and how to drop it."""
    import uuid
    from urllib.parse import urlsplit

    import psycopg

    name = f"rasd_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as c:
        c.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    parts = urlsplit(server)
    url = f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    """The URL of a new empty PostgreSQL database, dropped after the test."""
    url, drop = new_postgres_db(postgres_server)
    yield url
    drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new store goes: an SQLite file, then a new PostgreSQL database (each test runs on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def pg_web_db(postgres_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web store (samples plus the hostile article) in PostgreSQL, built by ingesting the same input."""
    url, drop = new_postgres_db(postgres_server)
    d = tmp_path_factory.mktemp("pg_web")
    (d / "samples").mkdir()
    ingest_samples(url, d / "samples")
    add_hostile(url, d)
    yield url
    drop()
