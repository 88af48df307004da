"""Shared fixtures: a small knowledge base written for the tests, and paths to ../shared when present."""

from __future__ import annotations

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
