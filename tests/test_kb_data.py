"""Checks on the shipped knowledge-base data: every actors*.yaml file and roles.yaml.

These are data-quality checks, not tests of the loader: the schema, the cross-references between entries,
role dates, Wikidata ids, and above all the Arabic surface forms that the gazetteer matches in text.
The actor files are checked together, as `load_kb` reads them: ids are unique across files (a later file
must not silently override an entry), references resolve across files, and two actors in any files may
share a surface form only when the pair is listed in ALLOWED_SHARED with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from rasd.text.normalize import normalize_text

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "rasd" / "kb" / "data"
ACTORS_PATH = DATA_DIR / "actors.yaml"
ACTOR_PATHS = tuple(sorted(DATA_DIR.glob("actors*.yaml")))  # what rasd.kb.model.load_kb reads
ROLES_PATH = DATA_DIR / "roles.yaml"
# The kinds each themed file may hold (actors.yaml holds all of them).
FILE_KINDS = {
    "actors_places.yaml": {"loc", "gpe"},
    "actors_institutions.yaml": {"org"},
}

KINDS = {"person", "org", "gpe", "loc", "media"}
ALLOWED_KEYS = {
    "id", "kind", "name_en", "name_ar", "wikidata", "aliases", "aliases_en", "country",
    "stands_for", "adjectives", "demonyms", "roles", "capital_of",
}  # fmt: skip
ROLE_KEYS = {"role", "of", "title_en", "start", "end"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
QID_RE = re.compile(r"^Q\d+$")
ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
# Persian/Urdu letters that the normaliser folds or that are not Arabic spellings of a name.
NON_ARABIC_LETTERS_RE = re.compile(r"[یکپچژگ]")
ARTICLE = "ال"

# Pairs of actors that legitimately share a surface form; the gazetteer returns both ids and the pipeline
# disambiguates from context. Key: the two ids, sorted.
ALLOWED_SHARED: dict[tuple[str, str], str] = {
    ("amman", "oman"): "عمان is both Oman (ʿUmān) and Amman (ʿAmmān); they differ only in vowels and shadda",
    ("javier_milei", "mark_milley"): "ميلي is the usual Arabic spelling of both Milley (US, to 2023) and Milei "
    "(Argentina, from 2023)",
    ("akp", "pjd_morocco"): "حزب العدالة والتنمية is the name of both Turkey's AKP and Morocco's PJD",
}

# Forms that are common words or bare titles/first names; none may be an alias on its own.
BANNED_FORMS = {
    "الأمن", "الدفاع", "الشعب", "الرئيس", "الحكومة", "الدولة", "الجيش", "الوزير", "الملك", "الأمير",
    "الشيخ", "السلطان", "المرشد", "الخارجية", "الداخلية", "البرلمان", "المجلس", "الحزب", "الحركة",
    "التحالف", "المعارضة", "الاحتلال", "المقاومة", "العربية", "الأخبار", "الشرق الأوسط", "القاعدة",
    "الخليج", "المتوسط", "الأقصى", "المنار", "الميادين", "المسيرة", "الحدث", "الحرة", "الأهرام", "النهار",
    "فتح", "الإخوان", "الشباب", "النصرة", "الصدر", "المهندس", "المعلم", "الحية", "الضيف", "المنفي",
    "محمد", "أحمد", "علي", "حسن", "حسين", "عباس", "عبد الله", "عبدالله", "جو", "جون", "مايك", "سلمان",
    "خالد", "فيصل", "تميم", "هيلاري", "كلينتون", "عون", "كوهين", "جونسون", "ماي", "لولا", "كيف", "رئيسي",
    "المالكي", "الجعفري", "بارزاني", "البرغوثي", "مالي",
}  # fmt: skip
# Forms banned only for some kinds: مالي is allowed only as the country (Mali), الشرق الأوسط only as the
# region (the newspaper is "صحيفة الشرق الأوسط").
BANNED_KINDS_FOR_FORM = {
    "مالي": {"person", "org", "media", "loc"},
    "الشرق الأوسط": {"person", "org", "media", "gpe"},
}

# Roles whose holders of the same `of` must not overlap in time (with the exceptions listed).
EXCLUSIVE_ROLES = {
    "head_of_state", "head_of_government", "foreign_minister", "defence_minister", "chief_of_general_staff",
    "un_secretary_general",
}  # fmt: skip
ALLOWED_OVERLAPS: dict[tuple[str, str], str] = {}


@cache
def load_actor_files() -> dict[str, list[dict[str, Any]]]:
    """Each actors*.yaml file's entries, by file name, in the order load_kb reads them."""
    out = {}
    for path in ACTOR_PATHS:
        with path.open(encoding="utf-8") as f:
            data = yaml.safe_load(f)
        assert isinstance(data, list), f"{path.name} must be a YAML list of mappings"
        out[path.name] = data
    return out


@cache
def load_actors() -> list[dict[str, Any]]:
    """The entries of all actor files together."""
    return [a for entries in load_actor_files().values() for a in entries]


def file_of(actor_id: str) -> str:
    return next(name for name, entries in load_actor_files().items() if any(a.get("id") == actor_id for a in entries))


@cache
def load_roles() -> dict[str, Any]:
    with ROLES_PATH.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict), "roles.yaml must be a mapping from role key to {en, ar}"
    return data


def by_id() -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in load_actors()}


def match_key(form: str) -> str:
    """How the gazetteer sees a form: normalised, tokens rejoined, the article dropped from the first word.

    The gazetteer strips ال from words in the text, so an alias "الX" also claims every "X" reading and
    shadows another actor's "X" (the Iraqi PM's "السوداني" would take every "the Sudanese"). The article is
    recognised only when written as a bare alef + lam: the أل of "ألباريس" or "ألكسندر" is part of the name.
    """
    tokens = re.findall(r"[^\W_]+|[^\w\s]", normalize_text(form))
    if tokens and form.startswith(ARTICLE) and len(tokens[0]) > len(ARTICLE) + 2:
        tokens[0] = tokens[0][len(ARTICLE) :]
    return " ".join(tokens)


def surface_forms(actor: dict[str, Any]) -> list[tuple[str, str]]:
    """(form, field) for every Arabic form the gazetteer indexes for this actor."""
    out = []
    if actor.get("name_ar"):
        out.append((actor["name_ar"], "name_ar"))
    for field in ("aliases", "demonyms", "adjectives"):
        out.extend((s, field) for s in actor.get(field) or [])
    return out


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))  # raises on a malformed date


# --- structure ---------------------------------------------------------------------------------------


def test_files_load_and_enough_actors() -> None:
    files = load_actor_files()
    assert {ACTORS_PATH.name, *FILE_KINDS} <= set(files), f"actor files found: {sorted(files)}"
    actors = load_actors()
    assert len(actors) >= 350
    assert all(isinstance(a, dict) for a in actors)
    kinds = {a.get("kind") for a in actors}
    assert kinds == KINDS, f"every kind should be represented, got {sorted(map(str, kinds))}"


def test_themed_files_hold_their_kinds() -> None:
    for name, entries in load_actor_files().items():
        allowed = FILE_KINDS.get(name, KINDS)
        assert entries, f"{name} is empty"
        for a in entries:
            assert a.get("kind") in allowed, f"{name} {a.get('id')}: kind {a.get('kind')!r} not in {sorted(allowed)}"


def test_ids_unique_and_snake_case() -> None:
    seen: dict[str, str] = {}
    for name, entries in load_actor_files().items():
        for a in entries:
            aid = a.get("id")
            assert isinstance(aid, str) and ID_RE.match(aid), f"{name}: bad id {aid!r}"
            assert aid not in seen, f"duplicate id {aid} in {seen[aid]} and {name} (a later file would override)"
            seen[aid] = name


def test_keys_kinds_and_names() -> None:
    for a in load_actors():
        aid = a["id"]
        unknown = set(a) - ALLOWED_KEYS
        assert not unknown, f"{aid}: unknown keys {sorted(unknown)}"
        assert a.get("kind") in KINDS, f"{aid}: kind {a.get('kind')!r}"
        assert isinstance(a.get("name_en"), str) and a["name_en"].strip(), f"{aid}: name_en"
        assert isinstance(a.get("name_ar"), str) and ARABIC_LETTER_RE.search(a["name_ar"]), f"{aid}: name_ar"
        if a["kind"] != "person":
            assert not a.get("roles"), f"{aid}: only people have roles"


def test_wikidata_ids() -> None:
    seen: dict[str, str] = {}
    for a in load_actors():
        qid = a.get("wikidata")
        if qid is None:
            continue
        assert isinstance(qid, str) and QID_RE.match(qid), f"{a['id']}: wikidata {qid!r}"
        assert qid not in seen, f"{a['id']} and {seen[qid]} share {qid}"
        seen[qid] = a["id"]


def test_references_resolve() -> None:
    actors = by_id()
    for a in load_actors():
        aid = a["id"]
        country = a.get("country")
        if country is not None:
            assert country in actors, f"{aid}: country {country!r} is not an actor"
            assert actors[country]["kind"] == "gpe", f"{aid}: country {country!r} is not a gpe"
            assert country != aid
        target = a.get("stands_for")
        if target is not None:
            assert target in actors, f"{aid}: stands_for {target!r} is not an actor"
            assert target != aid
            assert not actors[target].get("stands_for"), f"{aid}: stands_for chains through {target}"
        capital_of = a.get("capital_of")
        if capital_of is not None:
            assert capital_of in actors, f"{aid}: capital_of {capital_of!r} is not an actor"
        for r in a.get("roles") or []:
            assert r.get("of") in actors, f"{aid}: role {r.get('role')} of {r.get('of')!r} is not an actor"


def test_places_inside_a_state_do_not_stand_for_it() -> None:
    """A city or province names its state with `country`; only capitals (no `country`) stand for a government."""
    for a in load_actors():
        if a["kind"] == "gpe" and a.get("country"):
            assert not a.get("stands_for"), f"{a['id']}: has both country and stands_for"
    for a in load_actor_files()["actors_places.yaml"]:
        if a["kind"] == "gpe":
            assert a.get("country") or a.get("stands_for"), f"{a['id']}: a city or province needs its country"


def test_adjectives_and_demonyms_only_on_countries() -> None:
    for a in load_actors():
        if a.get("adjectives") or a.get("demonyms"):
            assert a["kind"] == "gpe" and not a.get("stands_for"), f"{a['id']}: adjectives/demonyms on a non-country"
        for d in a.get("demonyms") or []:
            assert d.startswith(ARTICLE), f"{a['id']}: demonym {d!r} should be written with ال"
        for adj in a.get("adjectives") or []:
            assert not adj.startswith(ARTICLE), f"{a['id']}: adjective {adj!r} should be written without ال"


# --- roles -------------------------------------------------------------------------------------------


def test_roles_vocabulary() -> None:
    roles = load_roles()
    assert len(roles) >= 20
    for key, spec in roles.items():
        assert ID_RE.match(key), f"role key {key!r}"
        assert isinstance(spec, dict) and set(spec) == {"en", "ar"}, f"role {key}: needs exactly en and ar"
        assert isinstance(spec["en"], str) and spec["en"].strip()
        assert isinstance(spec["ar"], list) and spec["ar"], f"role {key}: ar must be a non-empty list"
        for title in spec["ar"]:
            assert isinstance(title, str) and ARABIC_LETTER_RE.search(title), f"role {key}: {title!r}"


def test_person_roles_and_dates() -> None:
    roles = load_roles()
    for a in load_actors():
        for r in a.get("roles") or []:
            where = f"{a['id']} role {r.get('role')!r}"
            assert isinstance(r, dict) and set(r) <= ROLE_KEYS, f"{where}: keys {sorted(r)}"
            assert r.get("role") in roles, f"{where}: not in roles.yaml"
            assert isinstance(r.get("title_en"), str) and r["title_en"].strip(), f"{where}: title_en"
            start, end = as_date(r.get("start")), as_date(r.get("end"))
            if start and end:
                assert start <= end, f"{where}: start {start} after end {end}"
            for d in (start, end):
                assert d is None or dt.date(1950, 1, 1) <= d <= dt.date(2026, 12, 31), f"{where}: date {d}"


def test_exclusive_roles_do_not_overlap() -> None:
    spans: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for a in load_actors():
        for r in a.get("roles") or []:
            if r["role"] not in EXCLUSIVE_ROLES or r.get("start") is None:
                continue
            start = as_date(r["start"])
            end = as_date(r.get("end")) or dt.date.max
            assert start is not None
            spans[(r["role"], r["of"])].append((start, end, a["id"]))
    problems = []
    for (role, of), items in spans.items():
        for i, (s1, e1, id1) in enumerate(items):
            for s2, e2, id2 in items[i + 1 :]:
                if id1 == id2 or tuple(sorted((id1, id2))) in ALLOWED_OVERLAPS:
                    continue
                if s1 < e2 and s2 < e1:  # a handover on the same day is not an overlap
                    problems.append(f"{role} of {of}: {id1} ({s1}..{e1}) overlaps {id2} ({s2}..{e2})")
    assert not problems, "\n".join(problems)


# --- surface forms -----------------------------------------------------------------------------------


def test_aliases_are_arabic_strings() -> None:
    for a in load_actors():
        for form, field in surface_forms(a):
            where = f"{a['id']} {field} {form!r}"
            assert isinstance(form, str) and form == form.strip() and form, where
            assert ARABIC_LETTER_RE.search(form), f"{where}: no Arabic letter"
            assert not NON_ARABIC_LETTERS_RE.search(form), f"{where}: Persian letter"
            assert "  " not in form, f"{where}: double space"
            key = match_key(form)
            assert len(key) >= 2, f"{where}: too short to match"
        for form in a.get("aliases_en") or []:
            assert isinstance(form, str) and LATIN_LETTER_RE.search(form), f"{a['id']} aliases_en {form!r}"
            assert not ARABIC_LETTER_RE.search(form), f"{a['id']} aliases_en {form!r} has Arabic letters"


def test_no_duplicate_forms_within_an_actor() -> None:
    """A variant that normalises to a form already listed is dead weight (often a typo or a Persian letter)."""
    for a in load_actors():
        for field in ("aliases", "demonyms", "adjectives", "aliases_en"):
            seen: dict[str, str] = {}
            for form in a.get(field) or []:
                key = match_key(form) if field != "aliases_en" else form.casefold()
                assert key not in seen, f"{a['id']} {field}: {form!r} duplicates {seen[key]!r}"
                seen[key] = form


def test_no_banned_forms() -> None:
    banned = {match_key(f) for f in BANNED_FORMS}
    role_titles = {match_key(t) for spec in load_roles().values() for t in spec["ar"]}
    problems = []
    for a in load_actors():
        for form, field in surface_forms(a):
            key = match_key(form)
            if key in banned and field in ("name_ar", "aliases"):
                allowed_kinds = BANNED_KINDS_FOR_FORM.get(form)
                if allowed_kinds is None or a["kind"] in allowed_kinds:
                    problems.append(f"{a['id']} {field}: {form!r} is a common word, bare title or first name")
            if key in role_titles:
                problems.append(f"{a['id']} {field}: {form!r} is a role title")
    assert not problems, "\n".join(problems)


def test_no_form_shared_between_actors() -> None:
    owners: dict[str, dict[str, str]] = defaultdict(dict)
    for a in load_actors():
        for form, _field in surface_forms(a):
            owners[match_key(form)].setdefault(a["id"], form)
    clashes = []
    used_allowances = set()
    for key, ids in owners.items():
        if len(ids) < 2:
            continue
        pairs = {tuple(sorted(p)) for p in _pairs(sorted(ids))}
        unexplained = pairs - set(ALLOWED_SHARED)
        used_allowances |= pairs & set(ALLOWED_SHARED)
        if unexplained:
            clashes.append(f"{key!r}: " + ", ".join(f"{i} {form!r} ({file_of(i)})" for i, form in ids.items()))
    assert not clashes, "surface forms shared by several actors:\n" + "\n".join(clashes)
    stale = set(ALLOWED_SHARED) - used_allowances
    assert not stale, f"ALLOWED_SHARED lists pairs that no longer share a form: {sorted(stale)}"


def test_no_form_is_a_clitic_plus_another_actors_form() -> None:
    """ "بX" or "وX" listed for one actor while "X" belongs to another would make that reading unreachable."""
    owners: dict[str, set[str]] = defaultdict(set)
    for a in load_actors():
        for form, _field in surface_forms(a):
            owners[match_key(form)].add(a["id"])
    problems = []
    for key, ids in owners.items():
        if " " in key:
            continue
        for n in (1, 2):
            head, rest = key[:n], key[n:]
            if all(c in "وفبلك" for c in head) and rest in owners and not owners[rest] & ids:
                problems.append(f"{key!r} {sorted(ids)} = {head} + {rest!r} {sorted(owners[rest])}")
    assert not problems, "\n".join(problems)


def _pairs(ids: list[str]) -> list[tuple[str, str]]:
    return [(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :]]


# --- spot checks of well-known entries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actor_id"),
    [
        ("أميركا", "united_states"),
        ("الأمريكيين", "united_states"),
        ("بوتين", "vladimir_putin"),
        ("زيلنسكي", "volodymyr_zelensky"),
        ("بلينكين", "antony_blinken"),
        ("سوليفان", "jake_sullivan"),
        ("نتنياهو", "benjamin_netanyahu"),
        ("اردوغان", "recep_tayyip_erdogan"),
        ("لافروف", "sergey_lavrov"),
        ("أنصار الله", "houthis"),
        ("الحوثي", "houthis"),
        ("داعش", "isis"),
        ("قسد", "sdf"),
        ("الناتو", "nato"),
        ("البنتاجون", "pentagon"),
        ("الكرملين", "kremlin"),
        ("واشنطن", "washington_dc"),
        ("أ ف ب", "afp"),
        ("أوروبا", "europe"),
        ("إفريقيا", "africa"),
        ("أمريكا اللاتينية", "latin_america"),
        ("الشرق الأوسط", "middle_east"),
        ("صحيفة الشرق الأوسط", "asharq_al_awsat"),
        ("ميامي", "miami"),
        ("طرابلس", "tripoli_libya"),
        ("طرابلس اللبنانية", "tripoli_lebanon"),
        ("خاركوف", "kharkiv"),
        ("مكتب الرئيس الأوكراني", "office_of_the_president_of_ukraine"),
        ("المخابرات الأمريكية", "us_intelligence_community"),
        ("مجلس العلاقات الخارجية", "council_on_foreign_relations"),
        ("صندوق الاستثمار المباشر الروسي", "rdif"),
        ("اللجنة الاستشارية الثنائية", "bilateral_consultative_commission"),
    ],
)
def test_known_forms(text: str, actor_id: str) -> None:
    index: dict[str, set[str]] = defaultdict(set)
    for a in load_actors():
        for form, _field in surface_forms(a):
            index[match_key(form)].add(a["id"])
    assert actor_id in index[match_key(text)]


def test_stand_ins_point_at_states() -> None:
    actors = by_id()
    expected = {
        "washington_dc": "united_states",
        "moscow": "russia",
        "kyiv": "ukraine",
        "beijing": "china",
        "tehran": "iran",
        "ankara": "turkey",
        "riyadh": "saudi_arabia",
        "kremlin": "russia",
        "white_house": "united_states",
        "elysee": "france",
        "downing_street": "uk",
    }
    for aid, state in expected.items():
        assert actors[aid].get("stands_for") == state, aid


def test_project_loader_accepts_the_files() -> None:
    model = pytest.importorskip("rasd.kb.model")
    for path in ACTOR_PATHS:
        assert len(model.read_actor_file(path)) == len(load_actor_files()[path.name]), path.name
    kb = model.load_kb()
    assert set(kb.actors) == {a["id"] for a in load_actors()}
    assert len(kb) == len(load_actors())  # nothing overridden


def test_the_knowledge_base_is_read_once_per_process() -> None:
    """The pipeline asks for load_kb(kb_paths) and the NER features for load_kb(): one read, not two."""
    model = pytest.importorskip("rasd.kb.model")
    assert model.load_kb() is model.load_kb(())
