"""CRF features for one sentence of tokens: word forms, affixes, clusters, a context window and gazetteers.

Arabic has no capital letters, so the signals are the word itself and its clitic-free readings, affixes
(foreign names end in -وف, -سكي ...), the article ال (names of people rarely take it), word clusters learnt
from unlabelled news (to generalise beyond the tagged words), and the knowledge base's names.
Everything that depends on one word only is computed once per word type and cached, which is what keeps
tagging fast; the window features are precomputed per word as well and only concatenated per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.kb import Gazetteer, load_kb
from rasd.kb.model import KnowledgeBase
from rasd.ner.clusters import ClusterTable, freq_bucket, load_clusters, load_lexicon, vec_key
from rasd.text.normalize import normalize_text, normalize_token
from rasd.text.segment import clitic_bases

OFFSETS = (-2, -1, 1, 2)
_CACHE_MAX = 50_000  # word types; bounded so that memory stays flat on large archives
_ORDINALS = frozenset(("الاول", "الثاني", "الثانيه", "الثالث", "الرابع", "الخامس", "السادس", "عشر"))
_ARTICLES = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال")


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """Which feature groups to emit (for ablations while tuning; the shipped model records its own)."""

    readings: bool = True
    affixes: int = 4
    clusters: bool = True
    window: int = 2
    window_clusters: bool = True
    bigrams: bool = True
    gazetteer: bool = True
    names: bool = True
    lexicon: bool = False

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class NameLists:
    """Per-word gazetteer lists: first and last names of people and single-word names of each kind."""

    first: frozenset[str] = frozenset()
    last: frozenset[str] = frozenset()
    single: dict[str, frozenset[str]] = field(default_factory=dict)

    def any_name(self) -> frozenset[str]:
        """Every word of the lists: most words are none of them, which one set lookup settles."""
        return self.first.union(self.last, *self.single.values())


def name_lists(kb: KnowledgeBase) -> NameLists:
    """First/last names from the person aliases ("سيرغي لافروف" gives سيرغي and لافروف) and one-word names."""
    first: set[str] = set()
    last: set[str] = set()
    single: dict[str, set[str]] = {}
    for a in kb.actors.values():
        for alias in (a.name_ar, *a.aliases):
            if not alias:
                continue
            toks = normalize_text(alias).split()
            if a.kind == "person":
                # Titles ("الرئيس", "الملك") come first and carry the article; ordinals come last.
                words = [t for t in toks if len(t) >= 3 and t not in _ORDINALS]
                given = [t for t in words if not t.startswith("ال")]
                if len(toks) > 1 and given and given[0] != words[-1]:
                    first.add(given[0])
                if words:
                    last.add(words[-1])
            elif len(toks) == 1:
                single.setdefault(a.kind, set()).add(toks[0])
    return NameLists(frozenset(first), frozenset(last), {k: frozenset(v) for k, v in single.items()})


@dataclass(slots=True)
class _Word:
    """A word's features: its own, and those it lends its neighbours, which are named with the offset in
    front ("-1w=..."; see `around`): `far` to the words two places away and next to it, `near` (the
    rest) only to the words next to it."""

    own: list[str]
    far: list[str]
    near: list[str]
    key: str  # for bigram features

    def lent(self, off: int) -> list[str]:
        """The unprefixed features this word lends the word `off` places away from it."""
        return self.far + self.near if abs(off) == 1 else self.far

    def around(self, off: int) -> list[str]:
        """The features this word lends the word `off` places away, as named in the model."""
        return [f"{off}{f}" for f in self.lent(off)]


_ARABIC_WORD = re.compile("[\u0600-\u06ff]+")


def _shape(w: str) -> str:
    if _ARABIC_WORD.fullmatch(w):
        return "A"
    kinds = []
    for c in w:
        if "\u0600" <= c <= "\u06ff":
            k = "A"
        elif c.isdigit():
            k = "D"
        elif c.isalpha():
            k = "L"
        else:
            k = "P"
        if not kinds or kinds[-1] != k:
            kinds.append(k)
    return "".join(kinds[:3])


def _len_bucket(n: int) -> str:
    return str(n) if n <= 3 else ("4-5" if n <= 5 else ("6-8" if n <= 8 else "9+"))


class FeatureExtractor:
    """Turns token lists into crfsuite feature lists; one instance per process, reused across sentences."""

    def __init__(
        self,
        config: FeatureConfig | None = None,
        clusters: ClusterTable | None = None,
        kb: KnowledgeBase | None = None,
        lexicon: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.config = config or FeatureConfig()
        self.clusters = clusters if clusters is not None else load_clusters()
        if lexicon is None and self.config.lexicon:
            lexicon = load_lexicon()
        self.lexicon: Mapping[str, tuple[str, ...]] = lexicon or {}
        self._kb = kb
        self._gaz: Gazetteer | None = None
        self._names: NameLists | None = None
        self._cache: dict[str, _Word] = {}
        self._gaz_kinds: dict[tuple[tuple[str, ...], str], str] = {}
        self._any_name: tuple[NameLists, frozenset[str]] | None = None

    def _kb_parts(self) -> tuple[KnowledgeBase, Gazetteer, NameLists]:
        if self._kb is None:
            self._kb = load_kb()
        if self._gaz is None:
            self._gaz = Gazetteer(self._kb, include_adjectives=True)
            self._names = name_lists(self._kb)
        assert self._names is not None
        return self._kb, self._gaz, self._names

    def clear_cache(self) -> None:
        """Forget the per-word features (benchmarks use it to time a cold start)."""
        self._cache.clear()

    def word(self, token: str) -> _Word:
        """Features of one token that do not depend on its neighbours (cached per token string)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        w = self.word_features(token)
        self._cache[token] = w
        return w

    def word_features(self, token: str) -> _Word:
        """`word` without the cache, for callers that keep their own (the NumPy decoder keeps score vectors).

        The decoder calls it for every word type it has not seen, so it avoids work it can skip: the
        name lists are consulted only for readings that are in one of them at all."""
        cfg = self.config
        norm = normalize_text(token) or token
        ct = self.clusters
        key = vec_key(norm)
        bare = ct.bare(key) if ct.counts else key
        own = ["b", "w=" + norm, "sh=" + _shape(norm), "len=" + _len_bucket(len(norm))]
        if bare != key:
            own.append("bare=" + bare)
        article = norm.startswith(_ARTICLES)
        if article:
            own.append("art")
        alpha = norm[:1].isalpha()
        bases = clitic_bases(norm) if alpha else ((0, norm),)  # computed once, used twice
        if cfg.readings and alpha:
            own.extend([f"r{p}={base}" for p, base in bases[1:]])
        for k in range(1, min(cfg.affixes, len(norm) - 1) + 1):
            own.append(f"p{k}={norm[:k]}")
            own.append(f"s{k}={norm[-k:]}")
        if bare != key and len(bare) > 2:
            own.append("bs2=" + bare[-2:])
            own.append("bp2=" + bare[:2])
        ctx_ids: list[str] = []
        if cfg.clusters and ct.names:
            own.append(f"fq={freq_bucket(ct.count(key))}")
            ids = ct.ids.get(key)
            if ids is not None:
                own.extend([f"{n}={v}" for n, v in zip(ct.names, ids, strict=True)])
                ctx_ids = own[len(own) - len(ids) + 1 :]  # all but the coarsest
            else:
                own.append("c=none")
            if bare != key:
                bids = ct.ids.get(bare)
                if bids is not None:
                    own.extend([f"b{n}={v}" for n, v in zip(ct.names, bids, strict=True)])
                    if not ctx_ids:
                        ctx_ids = [f"{n}={v}" for n, v in zip(ct.names[1:], bids[1:], strict=True)]
        if cfg.names:
            names, any_name = self._name_lists()
            readings = [b for _, b in bases if b in any_name]
            if readings:
                if any(r in names.first for r in readings):
                    own.append("fn")
                if any(r in names.last for r in readings):
                    own.append("ln")
                for kind, words in names.single.items():
                    if any(r in words for r in readings):
                        own.append("g1=" + kind)
        lex: tuple[str, ...] = ()
        if cfg.lexicon:
            lex = self.lexicon.get(key) or (self.lexicon.get(bare, ()) if bare != key else ())
            own.extend(["lx=" + f for f in lex])
            if bare != key:
                own.extend(["blx=" + f for f in self.lexicon.get(bare, ())])
            if not lex:
                own.append("lx=none")
        far = ["w=" + norm, "b=" + bare] if bare != key else ["w=" + norm]
        near = ["s2=" + norm[-2:], "art"] if article else ["s2=" + norm[-2:]]
        if cfg.window_clusters:
            far.extend(ctx_ids)
        near.extend(["lx=" + f for f in lex])
        return _Word(own, far, near, bare)

    def _name_lists(self) -> tuple[NameLists, frozenset[str]]:
        if self._any_name is None:
            _, _, names = self._kb_parts()
            self._any_name = (names, names.any_name())
        return self._any_name

    def gazetteer_tags(self, tokens: Sequence[str]) -> list[str | None]:
        """B-/I-<kind> per token for knowledge-base names found in the sentence (joined with spaces)."""
        return self.gazetteer_tags_many([tokens])[0]

    def gazetteer_tags_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str | None]]:
        """`gazetteer_tags` of several sentences (a name never spans two)."""
        out: list[list[str | None]] = []
        for sentence, names in zip(sentences, self.gazetteer_names(sentences), strict=True):
            tags: list[str | None] = [None] * len(sentence)
            for first, last, kind in names:
                tags[first] = "B-" + kind
                for i in range(first + 1, last + 1):
                    tags[i] = "I-" + kind
            out.append(tags)
        return out

    def gazetteer_names(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[int, int, str]]]:
        """Per sentence, the knowledge-base names in it: (first token, last token, kind), left to right."""
        kb, gaz, _ = self._kb_parts()
        kinds = self._gaz_kinds
        out: list[list[tuple[int, int, str]]] = []
        for sentence in sentences:
            found: list[tuple[int, int, str]] = []
            for first, last, entry in gaz.match_words(list(map(normalize_token, sentence))):
                kind = kinds.get((entry.actor_ids, entry.form))
                if kind is None:
                    types = sorted({kb.actors[a].kind for a in entry.actor_ids if a in kb.actors})
                    kind = "-".join(types) or "x"
                    if entry.form != "alias":
                        kind += "-" + entry.form
                    kinds[(entry.actor_ids, entry.form)] = kind
                found.append((first, last, kind))
            out.append(found)
        return out

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        """crfsuite items (lists of binary feature names) for one tokenised sentence."""
        words = [self.word(t) for t in tokens]
        n = len(words)
        cfg = self.config
        gaz = self.gazetteer_tags(tokens) if cfg.gazetteer and n else [None] * n
        items: list[list[str]] = []
        for i, w in enumerate(words):
            f = list(w.own)
            for off in OFFSETS:
                j = i + off
                if 0 <= j < n:
                    if abs(off) <= cfg.window:
                        f.extend(words[j].around(off))
                elif abs(off) <= cfg.window:
                    f.append(f"{off}w=<S>")
            if i == 0:
                f.append("BOS")
            elif i == n - 1:
                f.append("EOS")
            if cfg.bigrams:
                if i > 0:
                    f.append(f"bg-={words[i - 1].key}|{w.key}")
                if i < n - 1:
                    f.append(f"bg+={w.key}|{words[i + 1].key}")
            g = gaz[i]
            if g is not None:
                f.append("g=" + g)
                f.append("gk=" + g[2:])
            if cfg.gazetteer:
                if i > 0 and gaz[i - 1] is not None:
                    f.append("-1g=" + gaz[i - 1][2:])  # type: ignore[index]
                if i < n - 1 and gaz[i + 1] is not None:
                    f.append("+1g=" + gaz[i + 1][2:])  # type: ignore[index]
            items.append(f)
        return items


@lru_cache(maxsize=1)
def default_extractor() -> FeatureExtractor:
    return FeatureExtractor()
