"""Actors and their roles, loaded from readable YAML files (the shipped one plus any the user adds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
KINDS = frozenset({"person", "org", "gpe", "loc", "media"})


class KBError(ValueError):
    """A knowledge-base file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Role:
    role: str  # key into roles.yaml
    of: str | None  # actor id of the state or organisation
    title_en: str | None
    start: dt.date | None
    end: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    kind: str
    name_en: str
    name_ar: str | None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    country: str | None = None
    stands_for: str | None = None
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def role_on(self, day: dt.date | None) -> Role | None:
        """The role held on `day` (the most recently started one if several)."""
        if day is None or not self.roles:
            return None
        active = [r for r in self.roles if r.active_on(day)]
        if not active:
            return None
        return max(active, key=lambda r: r.start or dt.date.min)


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as e:
        raise KBError(f"{where}: bad date {value!r} (use YYYY-MM-DD)") from e


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KBError(f"{where}: expected a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def actor_from_dict(d: dict[str, Any], where: str) -> Actor:
    if not isinstance(d, dict):
        raise KBError(f"{where}: each entry must be a mapping")
    aid = d.get("id")
    if not isinstance(aid, str) or not aid:
        raise KBError(f"{where}: entry without an id")
    where = f"{where} ({aid})"
    kind = d.get("kind")
    if kind not in KINDS:
        raise KBError(f"{where}: kind must be one of {sorted(KINDS)}, got {kind!r}")
    roles = []
    for i, r in enumerate(d.get("roles") or []):
        if not isinstance(r, dict) or "role" not in r:
            raise KBError(f"{where}: role {i} needs a 'role' key")
        roles.append(
            Role(
                role=str(r["role"]),
                of=r.get("of"),
                title_en=r.get("title_en"),
                start=_date(r.get("start"), f"{where} role {i}"),
                end=_date(r.get("end"), f"{where} role {i}"),
            )
        )
    known = {
        "id", "kind", "name_en", "name_ar", "wikidata", "aliases", "aliases_en", "country",
        "stands_for", "adjectives", "demonyms", "roles", "capital_of",
    }  # fmt: skip
    return Actor(
        id=aid,
        kind=kind,
        name_en=str(d.get("name_en") or aid),
        name_ar=d.get("name_ar"),
        wikidata=d.get("wikidata") or None,
        aliases=_strings(d.get("aliases"), where),
        aliases_en=_strings(d.get("aliases_en"), where),
        country=d.get("country"),
        stands_for=d.get("stands_for"),
        adjectives=_strings(d.get("adjectives"), where),
        demonyms=_strings(d.get("demonyms"), where),
        roles=tuple(roles),
        extra={k: v for k, v in d.items() if k not in known},
    )


class KnowledgeBase:
    """All actors by id, plus the role vocabulary."""

    def __init__(
        self,
        actors: Iterable[Actor],
        roles: dict[str, dict[str, Any]] | None = None,
        blockers: Iterable[str] = (),
    ) -> None:
        self.blockers: tuple[str, ...] = tuple(blockers)
        self.actors: dict[str, Actor] = {}
        for a in actors:
            self.actors[a.id] = a  # later files override earlier ones
        self.roles: dict[str, dict[str, Any]] = roles or {}

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def resolve(self, actor_id: str) -> Actor | None:
        """The actor an entry stands for: "الكرملين" is Russia's government, "واشنطن" the United States."""
        a = self.actors.get(actor_id)
        seen = set()
        while a is not None and a.stands_for and a.stands_for in self.actors and a.id not in seen:
            seen.add(a.id)
            a = self.actors[a.stands_for]
        return a

    def holders(self, role: str, of: str | None, day: dt.date) -> list[Actor]:
        """Who held `role` of `of` on `day` (for title-only mentions such as "وزير الخارجية الأمريكي")."""
        out = []
        for a in self.actors.values():
            for r in a.roles:
                if r.role == role and (of is None or r.of == of) and r.active_on(day):
                    out.append(a)
                    break
        return out


# libyaml's parser when PyYAML was built with it (the wheels are): the knowledge base is read at every
# start, and the pure-Python parser takes seconds over it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=_LOADER)
    except OSError as e:
        raise KBError(f"cannot read knowledge-base file {path}: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise KBError(f"knowledge-base file {path} is not valid YAML: {e}") from e


def read_actor_file(path: Path) -> list[Actor]:
    data = _read_yaml(path)
    if data is None:
        return []
    if isinstance(data, dict) and "actors" in data:
        data = data["actors"]
    if not isinstance(data, list):
        raise KBError(f"{path}: expected a list of actors")
    return [actor_from_dict(d, f"{path} entry {i}") for i, d in enumerate(data)]


def load_kb(extra: tuple[str, ...] = ()) -> KnowledgeBase:
    """The shipped knowledge base, plus the user's files (`--kb`), which add or override entries.

    Read once per process and set of files: `load_kb()` and `load_kb(())` are the same knowledge base
    (an `lru_cache` on this function would read the YAML twice, keying them apart)."""
    return _load_kb(tuple(extra))


@lru_cache(maxsize=8)
def _load_kb(extra: tuple[str, ...]) -> KnowledgeBase:
    actors: list[Actor] = []
    for p in sorted(DATA_DIR.glob("actors*.yaml")):
        actors.extend(read_actor_file(p))
    for p in extra:
        actors.extend(read_actor_file(Path(p)))
    roles_path = DATA_DIR / "roles.yaml"
    roles = _read_yaml(roles_path) if roles_path.exists() else {}
    blockers_path = DATA_DIR / "blockers.yaml"
    blockers = _read_yaml(blockers_path) if blockers_path.exists() else []
    if not isinstance(blockers, list) or not all(isinstance(b, str) for b in blockers):
        raise KBError(f"{blockers_path}: expected a list of phrases")
    return KnowledgeBase(actors, roles or {}, blockers)
