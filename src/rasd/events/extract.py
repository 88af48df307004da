"""PLOVER events from triggers and the actors around them, with status, date, location and sources.

Per sentence: a trigger word (a verb such as التقى or a verbal noun such as محادثات) gives the type and mode.
For a verb, the initiator is the actor right after it (Arabic's verb-subject order) or, failing that, the one
before it; the counterpart is the actor after "مع"/"بين ... و" or the verb's object. Places after "في" are the
location, not participants. The status reads the words around the trigger: لم/لن (negated), حاول ... دون جدوى
(failed), س-/من المقرر/المقبل (future), إذا/قد (hypothetical). The date is the nearest date expression of
the sentence, resolved against the publication date; `reported_by` are the media and bodies the sentence
cites. The same event told twice in an article is kept once.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from rasd.document import Span
from rasd.events.lexicon import (
    ATTEMPT,
    FAILURE,
    FUTURE_WORDS,
    HYPOTHETICAL,
    LIGHT_VERBS,
    NEEDS_NEXT,
    NEGATION,
    RELEASE,
    ROUTINE_OBJECTS,
    TOGETHER,
    TRIGGERS,
    TROOPS,
    Trigger,
)
from rasd.quotes.attribution import Attribution
from rasd.text.normalize import normalize_text
from rasd.text.segment import Token
from rasd.time import DateExpr

_WITH = frozenset({"مع", "ومع"})
_BETWEEN = frozenset({"بين", "وبين"})
_LOCATIVE = frozenset({"في", "وفي", "الي", "من", "داخل", "قرب"})
# Between a subject and its verb: قد/لقد, "ايضا", or a relative pronoun ("لافروف الذي التقى ...").
_PARTICLES = frozenset(
    {"قد", "لقد", "وقد", "فقد", "ايضا", "بدوره", "بدورها", "الذي", "التي", "الذين", "اللذين"}
    | {"كان", "كانت", "كانوا", "كانا", "كانتا"}  # "القوات الروسية كانت تستعد": كان as an auxiliary
)
# Physical actions whose target may be a country named as a place ("شن غارات في سوريا").
_TARGETS_PLACES = frozenset({"ASSAULT", "MOBILIZE"})
_COUNTERPART = ("نظير", "نظرا")  # normalised: نظيره، نظيريه، نظراء، نظرائه ...
# Words that open a new clause or phrase: a subject is not searched past them.
_CLAUSE_WORDS = frozenset(
    {"في", "على", "الي", "من", "عن", "مع", "ان", "انه", "انها", "الذي", "التي", "الذين", "بعد", "قبل", "و", "او", "ثم"}
)
_LIGHT_NOUNS = frozenset({"عقد", "اجراء", "لعقد", "لاجراء"})
_THAT_HE = frozenset({"انه", "انها", "بانه", "بانها", "وانه", "وانها"})
_RELATIVE = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"})
# "تحدثوا للصحيفة": officials talking to the press are sources, not parties to a contact.
_TO_THE_PRESS = frozenset(
    normalize_text(w)
    for w in "للصحيفة لصحيفة للصحف لشبكة لوكالة لقناة للصحفيين للصحافة لوسائل للتلفزيون لموقع لإذاعة".split()
)
_COMMAS = frozenset({"،", ","})
_STOPS = frozenset({"؛", ";", ".", ":", "!", "؟", "?"})
_INCLUDING = frozenset({"بمن", "بما", "ومنهم", "منهم", "بينهم", "ومن"})
# Words that open a parenthetical a clause continues after: places, times, sources.
_PARENTHETICAL = frozenset(
    normalize_text(w)
    for w in "في خلال يوم أمس اليوم مساء صباح بعد قبل منذ عبر حسب بحسب وفق وفقا نقلا الاثنين الثلاثاء الأربعاء "
    "الخميس الجمعة السبت الأحد".split()
)
# Media report events; they are not parties to them.
_PARTICIPANT_KINDS = frozenset({"person", "org", "gpe"})


@dataclass
class Event:
    type: str
    mode: str | None
    status: str
    actors_a: list[str]  # actor keys
    actors_b: list[str]
    date: str | None
    location: str | None  # actor key of the place
    reported_by: list[str]
    evidence: Span
    trigger: Span
    confidence: float
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class _M:
    first: int
    last: int
    key: str
    kind: str
    start: int
    prefix: bool  # the mention carries a proclitic (ب/ل/ك ...): it sits in a prepositional phrase


def _bare(w: str) -> str:
    return w[1:] if len(w) > 3 and w[0] in "وف" else w


def _together(w: str) -> bool:
    return _bare(w) in TOGETHER


def _present(w: str) -> bool:
    """A present-tense verb form: ي/ن-, or ت- without a past ending ("تلتقي" but not "تراجعت")."""
    w = _bare(w)
    return w[:1] in ("ي", "ن") or (w[:1] == "ت" and not w.endswith(("ت", "وا")))


def _trigger_at(tokens: Sequence[Token], i: int) -> tuple[Trigger, int] | None:
    w = tokens[i].norm
    for form in (w, w[1:] if len(w) >= 3 and w[0] in "وف" else w):
        for toks, trig in TRIGGERS.get(form, ()):
            k = len(toks)
            if i + k <= len(tokens) and all(tokens[i + j].norm == toks[j] for j in range(1, k)):
                return trig, i + k - 1
    return None


class EventExtractor:
    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Span],
        mentions: Sequence[Span],
        actor_kinds: dict[str, str],
        dates: Sequence[DateExpr],
        attributions: Sequence[Attribution],
        places: frozenset[str] = frozenset(),
    ) -> None:
        """`places`: keys of actors that are always places (cities, regions), never parties to an event."""
        self.text = text
        self.places = places
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.sentences = sentences
        self.kinds = actor_kinds
        self.mentions: list[_M] = []
        for m in mentions:
            first, last = m.attrs["tokens"]
            key = m.attrs["actor"]
            self.mentions.append(_M(first, last, key, actor_kinds.get(key, ""), m.start, m.start > tokens[first].start))
        self.mentions.sort(key=lambda m: m.first)
        self.firsts = [m.first for m in self.mentions]
        self.dates = sorted(dates, key=lambda d: d.start)
        self.atts = attributions
        # The tokens a trigger can start at (bare, or behind و/ف): `_trigger_at` decides; the rest are skipped.
        self.maybe = [
            i for i, t in enumerate(tokens) if (w := t.norm) in TRIGGERS or (w[:1] in ("و", "ف") and w[1:] in TRIGGERS)
        ]

    def extract(self) -> list[Event]:
        events: list[Event] = []
        for sent in self.sentences:
            a = bisect.bisect_left(self.starts, sent.start)
            b = bisect.bisect_left(self.starts, sent.end)
            events.extend(self._sentence(sent, a, b))
        return _dedupe(events)

    # -- one sentence ---------------------------------------------------------------------------------------
    def _sentence(self, sent: Span, a: int, b: int) -> list[Event]:
        ms = self.mentions[bisect.bisect_left(self.firsts, a) : bisect.bisect_left(self.firsts, b)]
        covered = {i for m in ms for i in range(m.first, m.last + 1)}
        out: list[Event] = []
        i = a  # the first token not yet passed over
        lo, hi = bisect.bisect_left(self.maybe, a), bisect.bisect_left(self.maybe, b)
        for at in self.maybe[lo:hi]:
            if at < i:
                continue
            i = at
            tok = self.tokens[i]
            found = _trigger_at(self.tokens, i) if tok.is_word and i not in covered else None
            if found is None:
                continue
            trig, last = found
            following = [self.tokens[k].norm for k in range(last + 1, min(b, last + 11))]
            needs = NEEDS_NEXT.get(_bare(tok.norm)) if last == i else None
            if any(w in ROUTINE_OBJECTS for w in following[:2]) or (
                needs is not None and not any(w in needs[0] or _bare(w) in needs[0] for w in following[: needs[1]])
            ):
                i = last + 1
                continue
            if trig.type == "CONSULT" and (
                (following and following[0] in _TO_THE_PRESS) or self._media_near(ms, i, last)
            ):
                i = last + 1  # talking to the press, or a news agency calling people: sourcing, not a contact
                continue
            if trig.mode == "missile" and "سراح" in following:
                trig = RELEASE
            ev = self._event(sent, a, b, i, last, trig, ms)
            if ev is not None:
                out.append(ev)
            i = last + 1
            if ev is not None and needs is not None:
                # The required complement and the noun it governs are part of this event's phrase: "تستعد
                # لشن هجوم" is one MOBILIZE (the attack is what is prepared), not a second ASSAULT.
                k = next(k for k, w in enumerate(following) if w in needs[0] or _bare(w) in needs[0])
                i = last + k + 3
        return out

    def _media_near(self, ms: list[_M], t: int, t_last: int) -> bool:
        """A medium right around a contact word ("تحدث إلى سي إن إن", "ممن اتصلت بهم رويترز")."""
        return any(m.kind == "media" and t_last < m.first <= t_last + 3 for m in ms)  # not "وبحسب رويترز، التقى"

    def _is_place(self, m: _M) -> bool:
        if m.kind == "loc" or m.key in self.places:
            return True
        if m.kind != "gpe":
            return False
        prev = self.tokens[m.first - 1].norm if m.first > 0 else ""
        return prev in _LOCATIVE or (m.prefix and self.tokens[m.first].norm.startswith(("ب", "وب")))

    def _event(self, sent: Span, a: int, b: int, t: int, t_last: int, trig: Trigger, ms: list[_M]) -> Event | None:
        places = [m for m in ms if self._is_place(m)]
        parts = [m for m in ms if m not in places and m.kind in _PARTICIPANT_KINDS]
        side_a: list[str] = []
        side_b: list[str] = []
        after = [m for m in parts if m.first > t_last]
        before = [m for m in parts if m.last < t]
        # Counterparts introduced by مع / بين ... و
        with_idx = next((k for k in range(t_last + 1, b) if self.tokens[k].norm in _WITH), None)
        between_idx = next(
            (k for k in range(max(a, t - 2), min(b, t_last + 4)) if self.tokens[k].norm in _BETWEEN), None
        )
        if between_idx is not None:
            pair = [m for m in after if m.first > between_idx][:2]
            if len(pair) == 2:
                side_a, side_b = [pair[0].key], [pair[1].key]
        if _together(self.tokens[t].norm):
            return self._together_event(sent, a, b, t, t_last, trig, after, parts, places, with_idx)
        if not side_a:
            subj: _M | None = None
            subj_end = t_last
            pronoun = trig.verbal and any(tok.norm in _THAT_HE for tok in self.tokens[max(a, t - 2) : t])
            if pronoun:
                # "قال سوليفان إنه حذر الكرملين": the subject is "he", the one who says so; what follows is the object.
                speaker = self._reported_speaker(sent, max(a, t - 2), t)
                side_a = [speaker] if speaker else []
            elif trig.verbal and before and self._svo_subject(before[-1], t):
                subj = before[-1]  # "سوليفان التقى أوشاكوف", "إن بوتين قد التقى ...": subject-verb order
            elif trig.verbal and after and not after[0].prefix and self._short_gap(t_last, after[0].first):
                subj = after[0]  # verb-subject order, possibly past a title ("حث فيه كبار المسؤولين الأمريكيين")
            elif (
                not trig.verbal
                and (lv := self._light_verb_at(a, t)) is not None
                and (lv_subj := self._subject_of(lv, t, before, parts))
            ):
                subj = lv_subj  # "ويتكوف وكوشنر قد عقدا في وقت سابق ... محادثات": the subject of عقد
            elif before and t - before[-1].last <= 8 and self._plain_gap(before[-1].last, t):
                subj = before[-1]
            elif not trig.verbal and after and after[0].first <= t_last + 3:
                subj = after[0]
            if subj is not None:
                conj = self._conjuncts(subj, parts)
                if subj.last < t:  # and the ones coordinated before it: "ويتكوف وكوشنر"
                    conj = self._conjuncts_back(subj, parts)[:-1] + conj
                side_a = [m.key for m in conj]
                if subj.first > t:
                    subj_end = conj[-1].last
                    # "كبار المسؤولين الأمريكيين، بمن فيهم سوليفان، ..." names more of the same side.
                    incl = self._including(subj_end, b)
                    if incl is not None:
                        side_a += [m.key for m in parts if subj_end < m.first < incl]
                        subj_end = incl
            # مع belongs to this trigger only when no other participant comes first ("يضغطون على زيلينسكي
            # للتخلي عن ... التفاوض مع بوتين": the pressure is on Zelensky, the talks are another matter).
            if with_idx is not None and not any(subj_end < m.first < with_idx for m in after):
                partners = [m for m in after if m.first > with_idx]
                if with_idx + 1 < b and self.tokens[with_idx + 1].norm.startswith(_COUNTERPART):
                    # "مع نظرائه في أوكرانيا وبولندا": the counterparts are those countries' officials.
                    side_b = self._countries_after(with_idx + 1, b, places)
                if not side_b and partners and partners[0].first - with_idx <= 4:
                    side_b = [m.key for m in self._conjuncts(partners[0], parts)]
            if not side_b:
                # The object: the next participant in the same clause (up to a comma), often after على/إلى/ل.
                rest = [m for m in after if m.first > subj_end and self._same_clause(subj_end, m.first)]
                if rest and rest[0].first - subj_end <= 12:
                    side_b = [m.key for m in self._conjuncts(rest[0], parts)]
        if not side_b and trig.type in _TARGETS_PLACES:
            side_b = self._countries_after(t_last, b, places)[:1]
        if trig.mode == "invasion":
            # "دخلت القوات الروسية أوكرانيا": only troops as the subject and a state entered make an invasion.
            troops = [m for m in ms if m.key in side_a and _bare(self.tokens[m.first].norm) in TROOPS]
            if not troops:
                return None
            if not side_b:
                side_b = [m.key for m in ms if m.first > troops[0].last and m.kind == "gpe"][:1]
        side_b = [k for k in dict.fromkeys(side_b) if k not in side_a]
        if not any(not k.startswith("local:person:") for k in side_a + side_b):
            return None  # private persons only (artists, athletes): not a political event
        if (
            not trig.verbal
            and not (side_a and side_b)
            and not (side_a and (self._light_verb_at(a, t) is not None or self._planned(a, t)))
        ):
            # A verbal noun with one actor ("المحادثات", "الضربة") is too often background, unless a verb
            # makes it happen: "تتوقع عقد اجتماع", "أجرى محادثات", "شنت غارات".
            return None
        return self._make(sent, a, b, t, t_last, trig, side_a, side_b, places)

    def _make(
        self,
        sent: Span,
        a: int,
        b: int,
        t: int,
        t_last: int,
        trig: Trigger,
        side_a: list[str],
        side_b: list[str],
        places: list[_M],
    ) -> Event:
        status = self._status(a, b, t, t_last)
        location = self._location(places, t)
        return Event(
            type=trig.type,
            mode=trig.mode,
            status=status,
            actors_a=side_a,
            actors_b=side_b,
            date=self._date(sent, t),
            location=location,
            reported_by=self._reported_by(sent),
            evidence=sent,
            trigger=Span(self.tokens[t].start, self.tokens[t_last].end, "trigger"),
            confidence=round(0.4 + 0.2 * bool(side_a) + 0.2 * bool(side_b) + 0.1 * trig.verbal, 2),
        )

    def _svo_subject(self, m: _M, t: int) -> bool:
        """An actor right before the verb (or before قد/لقد) and not inside a prepositional phrase is its subject."""
        if m.prefix and not self.tokens[m.first].norm.startswith(("و", "ف")):
            return False
        between = [self.tokens[k].norm for k in range(m.last + 1, t)]
        return all(w in _PARTICLES for w in between) and len(between) <= 1

    def _reported_speaker(self, sent: Span, i: int, t: int) -> str | None:
        """The speaker of the reporting verb when the trigger follows "إنه/أنها" ("that he/she"), else None."""
        start = self.tokens[i].start
        for att in reversed(self.atts):
            if sent.start <= att.cue.start < start and att.actor and att.kind in ("actor", "title", "continued"):
                return att.actor if self.kinds.get(att.actor) in _PARTICIPANT_KINDS else None
        return None

    def _countries_after(self, i: int, b: int, places: list[_M]) -> list[str]:
        """States named as places (after في) within a few words of token i, with their conjuncts."""
        near = [m for m in places if i < m.first <= i + 6 and m.kind == "gpe" and m.key not in self.places]
        if not near or not self._same_clause(i, near[0].first):
            return []
        out = [near[0]]
        for m in self.mentions:  # conjuncts, whether or not they read as places ("في روسيا وعمان")
            if m.first == out[-1].last + 1 and self.tokens[m.first].norm.startswith("و") and m.kind == "gpe":
                out.append(m)
        return [m.key for m in out]

    def _light_verb_at(self, a: int, t: int) -> int | None:
        """A finite light verb (عقد، أجرى، شن ...) up to eight words before a noun trigger, in the same clause."""
        for k in range(t - 1, max(a, t - 9) - 1, -1):
            if _bare(self.tokens[k].norm) in LIGHT_VERBS:
                return k if self._plain_gap(k, t) else None
        return None

    def _subject_of(self, v: int, t: int, before: list[_M], parts: list[_M]) -> _M | None:
        """The subject of the verb at token v: right before it (SVO) or right after it, before the noun t."""
        pre = [m for m in before if m.last < v]
        if pre and self._svo_subject(pre[-1], v):
            return pre[-1]
        post = [m for m in parts if v < m.first < t and not m.prefix]
        if post and self._short_gap(v, post[0].first):
            return post[0]
        return None

    def _conjuncts_back(self, m: _M, parts: list[_M]) -> list[_M]:
        """`m` and the actors it is coordinated after ("ويتكوف وكوشنر" from كوشنر), in text order."""
        out = [m]
        for n in reversed(parts):
            if n.last == out[0].first - 1 and self.tokens[out[0].first].norm.startswith("و") and out[0].prefix:
                out.insert(0, n)
        return out

    def _planned(self, a: int, t: int) -> bool:
        """A plan verb and a light verbal noun before the event noun: "تتوقع عقد اجتماع", "تعتزم إجراء محادثات"."""
        words = [tok.norm for tok in self.tokens[max(a, t - 2) : t]]
        return len(words) == 2 and words[-1] in _LIGHT_NOUNS and _bare(words[-2]) in FUTURE_WORDS

    def _together_event(
        self,
        sent: Span,
        a: int,
        b: int,
        t: int,
        t_last: int,
        trig: Trigger,
        after: list[_M],
        parts: list[_M],
        places: list[_M],
        with_idx: int | None,
    ) -> Event | None:
        """ "جمع X وY" (brought X and Y together), "جمعه مع Y" (brought him together with Y, him being the
        sentence's speaker): a meeting between two named parties, or nothing."""
        side_a: list[str] = []
        side_b: list[str] = []
        if after and self._short_gap(t_last, after[0].first):
            group = self._conjuncts(after[0], parts)
            if len(group) >= 2:
                side_a, side_b = [group[0].key], [m.key for m in group[1:]]
        elif with_idx is not None and with_idx <= t_last + 2:
            partners = [m for m in after if with_idx < m.first <= with_idx + 3]
            speaker = self._reported_speaker(sent, t, t) if self.tokens[t].norm.endswith(("ه", "ها", "هما")) else None
            if partners and speaker:
                side_a, side_b = [speaker], [m.key for m in self._conjuncts(partners[0], parts)]
        if not side_a or not side_b:
            return None
        return self._make(sent, a, b, t, t_last, trig, side_a, side_b, places)

    def _plain_gap(self, i: int, j: int) -> bool:
        """Nothing between an actor and a later verb that starts another clause: no comma, no relative pronoun,
        no مع ("رفض زيلينسكي التفاوض مع الدولة التي تهاجم بلاده": the attacker is not Zelensky)."""
        return not any(
            tok.norm in _COMMAS or tok.norm in _STOPS or tok.norm in _RELATIVE or tok.norm in _WITH
            for tok in self.tokens[i + 1 : j]
        )

    def _short_gap(self, i: int, j: int) -> bool:
        """Up to three plain words between the verb and its subject (titles, "فيه", "كبار"), no clause break."""
        between = [self.tokens[k] for k in range(i + 1, j)]
        return len(between) <= 3 and all(tok.is_word and tok.norm not in _CLAUSE_WORDS for tok in between)

    def _conjuncts(self, m: _M, parts: list[_M]) -> list[_M]:
        """`m` and the actors joined to it with و ("الولايات المتحدة وروسيا", "ويتكوف وكوشنر")."""
        out = [m]
        for n in parts:
            if n.first == out[-1].last + 1 and self.tokens[n.first].norm.startswith("و") and n.prefix:
                out.append(n)
        return out

    def _including(self, i: int, b: int) -> int | None:
        """The closing comma of an ", including ..." phrase right after token `i`, if there is one."""
        if i + 2 >= b or self.tokens[i + 1].norm not in _COMMAS or self.tokens[i + 2].norm not in _INCLUDING:
            return None
        return next((k for k in range(i + 3, min(b, i + 12)) if self.tokens[k].norm in _COMMAS), None)

    def _same_clause(self, i: int, j: int) -> bool:
        """No clause break between tokens i and j: commas only around parentheticals that open with a
        preposition or a time word ("أشاد، في تصريحات بنيويورك، يوم الأربعاء، بالجيش ...")."""
        cuts = [k for k in range(i + 1, j) if self.tokens[k].norm in _COMMAS or self.tokens[k].norm in _STOPS]
        if not cuts:
            return True
        if any(self.tokens[k].norm in _STOPS for k in cuts) or not 2 <= len(cuts) <= 4:
            return False
        for c in cuts[:-1]:  # each parenthetical opens with a preposition or time word; the last cut resumes
            opener = self.tokens[c + 1].norm
            if opener not in _PARENTHETICAL and _bare(opener) not in _PARENTHETICAL:
                return False
        return True

    def _status(self, a: int, b: int, t: int, t_last: int) -> str:
        toks = self.tokens
        window = [toks[k].norm for k in range(max(a, t - 4), t) if toks[k].is_word]
        clause = [toks[k].norm for k in range(a, t) if toks[k].is_word]
        trig = toks[t].norm
        if window and (window[-1] in NEGATION or _bare(window[-1]) in NEGATION):
            return "negated"
        if any(_bare(w) in ATTEMPT or w in ATTEMPT for w in window):
            later = [toks[k].norm for k in range(t_last + 1, b)]
            if any(_bare(w) in FAILURE or w in FAILURE for w in later):
                return "failed"
        if self._hypothetical(max(a, t - 4), t):
            return "hypothetical"
        if _bare(trig)[:1] == "س" and _bare(trig)[1:2] in ("ي", "ت", "ن"):
            return "future"
        if window and len(_bare(window[-1])) >= 4 and _bare(window[-1])[:2] in ("سي", "ست", "سن"):
            return "future"  # "ستواصل تزويد", "سيبدأ محادثات": the future sits on the verb before the noun
        sentence_words = {toks[k].norm for k in range(a, b)}
        if any(w in FUTURE_WORDS or _bare(w) in FUTURE_WORDS for w in clause[-8:]) or sentence_words & {
            "المقبل", "المقبله", "القادم", "القادمه", "المرتقب", "المرتقبه", "مرتقب", "مرتقبه"
        }:  # fmt: skip
            return "future"
        return "occurred"

    def _hypothetical(self, i: int, t: int) -> bool:
        """إذا/لو/ربما/يمكن before the trigger, or قد before a present-tense verb ("قد يلتقي" may meet; but
        "وكان بلينكن قد التقى" and "وقد التقى" are past)."""
        words = [tok.norm for tok in self.tokens[i:t] if tok.is_word][-3:]
        for k, w in enumerate(words):
            base = w[1:] if w in ("وقد", "فقد") else _bare(w)
            if base == "قد":
                nxt = words[k + 1] if k + 1 < len(words) else self.tokens[t].norm
                if _present(nxt):
                    return True
            elif w in HYPOTHETICAL or base in HYPOTHETICAL:
                return True
        return False

    def _date(self, sent: Span, t: int) -> str | None:
        pos = self.tokens[t].start
        best: DateExpr | None = None
        for d in self.dates:
            if d.start >= sent.end:
                break
            if d.start >= sent.start and d.value and (best is None or abs(d.start - pos) < abs(best.start - pos)):
                best = d
        return best.value if best else None

    def _location(self, places: list[_M], t: int) -> str | None:
        if not places:
            return None
        return min(places, key=lambda m: abs(m.first - t)).key

    def _reported_by(self, sent: Span) -> list[str]:
        out: list[str] = []
        for att in self.atts:
            cited = sent.start <= att.cue.start < sent.end and att.actor and att.kind != "continued"
            if cited and self.kinds.get(att.actor) in ("media", "org") and att.actor not in out:
                out.append(att.actor)
        return out


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per type and participants (the same meeting told twice is one event)."""
    seen: dict[tuple[str, frozenset[str]], Event] = {}
    out: list[Event] = []
    for e in events:
        key = (e.type, frozenset(e.actors_a) | frozenset(e.actors_b))
        prev = seen.get(key)
        if prev is not None and prev.date and e.date and prev.date != e.date:
            prev = None  # two talks on two dates are two events
        if prev is not None and (prev.status == e.status or e.status == "occurred"):
            if prev.date is None and e.date is not None:
                prev.date = e.date
            continue
        seen[key] = e
        out.append(e)
    return out


def resolve_reference(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
