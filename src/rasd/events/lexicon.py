"""PLOVER event triggers, by stem, with the inflections Arabic news uses.

Each trigger stem is expanded into the forms a matcher meets after normalisation: past tense with its
feminine, dual and plural endings, present tense with its person prefixes and the future prefix س, and verbal
nouns with the article. Matching is on whole normalised words after removing a leading و/ف, so "وسيلتقي" is
found from the stem "لتقي". Forms are kept explicit (no stemmer guesses) so that every match can be explained.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasd.text.normalize import normalize_text


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str  # PLOVER event type
    mode: str | None
    verbal: bool  # a verb (its subject is an actor), or a noun (actors around it)


def _verb(past: str, present: str) -> list[str]:
    """Past stem "التقى" and present stem "يلتقي" -> their usual inflections (normalised)."""
    p = normalize_text(past)
    base = p[:-1] if p.endswith(("ي", "ا")) else p
    forms = {p, p + "ت", p + "ا", p + "وا", p + "تا", base + "ت", base + "وا", base + "تا"}
    q = normalize_text(present)
    stem = q[1:]  # drop the person prefix ي
    for pre in ("ي", "ت", "ن"):
        for suf in ("", "ان", "ون", "ين"):
            forms.add(pre + stem + suf)
            forms.add("س" + pre + stem + suf)
        if stem.endswith(("ي", "و")):
            forms.add(pre + stem[:-1])  # jussive after لم: "لم يلتق"
    return sorted(forms)


def _nouns(*words: str) -> list[str]:
    out = set()
    for w in words:
        n = normalize_text(w)
        out.add(n)
        if not n.startswith("ال"):
            out.add("ال" + n)
            if " " not in n and not n.endswith(("ه", "ات", "ا", "ي")):
                out.add(n + "ا")  # the indefinite accusative: "عقدا اجتماعا"
    return sorted(out)


_TOGETHER_SUFFIXED = ("جمعه", "جمعها", "جمعهما", "جمعته", "جمعتهما")  # "brought him/her/them together"

_SPEC: list[tuple[str, str | None, bool, list[str]]] = [
    # CONSULT
    ("CONSULT", "meeting", True, _verb("التقى", "يلتقي") + _verb("اجتمع", "يجتمع") + _verb("استقبل", "يستقبل")),
    ("CONSULT", "meeting", False, _nouns("لقاء", "لقاءات", "اجتماع", "اجتماعات", "قمة")),
    ("CONSULT", "talks", True, _verb("ناقش", "يناقش") + _verb("تفاوض", "يتفاوض") + _verb("تباحث", "يتباحث")),
    ("CONSULT", "talks", False, _nouns("محادثات", "مباحثات", "مفاوضات", "مشاورات", "حوار", "جولة مباحثات")),
    (
        "CONSULT",
        "phone",
        True,
        _verb("اتصل", "يتصل") + _verb("تحدث", "يتحدث") + _verb("هاتف", "يهاتف") + _verb("تواصل", "يتواصل"),
    ),
    ("CONSULT", "phone", False, _nouns("اتصال", "اتصالا", "اتصالات", "مكالمة", "اتصالا هاتفيا", "التواصل")),
    ("CONSULT", "visit", True, _verb("زار", "يزور")),
    # "ستجمع الولايات المتحدة وروسيا", "لقاء جمعه مع باتروشيف": brings together (only with two parties).
    ("CONSULT", "meeting", True, [*_verb("جمع", "يجمع"), *_TOGETHER_SUFFIXED]),
    ("CONSULT", "visit", False, _nouns("زيارة", "زيارته", "زيارتها")),
    # AGREE
    (
        "AGREE",
        None,
        True,
        # وعد only in the past: its present "يعد/تعد" mostly means "is considered".
        _verb("اتفق", "يتفق") + _verb("وافق", "يوافق") + _verb("تعهد", "يتعهد") + ["وعد", "وعدت", "وعدوا"],
    ),
    ("AGREE", None, False, _nouns("اتفاق", "اتفاقا", "اتفاقية", "تفاهم", "وعدا", "تعهدا")),
    # SUPPORT (verbal)
    ("SUPPORT", None, True, _verb("أشاد", "يشيد") + _verb("أيد", "يؤيد") + _verb("رحب", "يرحب")),
    # CONCEDE
    ("CONCEDE", None, True, _verb("تنازل", "يتنازل") + _verb("تراجع", "يتراجع")),
    ("CONCEDE", None, False, _nouns("تنازلات", "تنازلا")),
    # COOPERATE
    ("COOPERATE", None, True, _verb("تعاون", "يتعاون")),
    ("COOPERATE", None, False, _nouns("عمليات التفتيش", "تعاون")),
    # AID
    ("AID", "military", True, _verb("زود", "يزود") + _verb("سلح", "يسلح")),
    ("AID", "military", False, _nouns("تزويد", "إرسال الأسلحة", "شحنات أسلحة", "مساعدات عسكرية", "دعم عسكري")),
    ("AID", "humanitarian", False, _nouns("مساعدات إنسانية", "إغاثة", "مساعدات غذائية")),
    # RETREAT
    (
        "RETREAT",
        None,
        True,
        _verb("انسحب", "ينسحب") + _verb("أفرج", "يفرج"),
    ),
    ("RETREAT", None, False, _nouns("انسحاب", "الإفراج", "هدنة", "وقف إطلاق النار", "إطلاق سراح")),
    # REQUEST
    (
        "REQUEST",
        None,
        True,
        _verb("حث", "يحث")
        + _verb("طالب", "يطالب")
        + _verb("دعا", "يدعو")
        + _verb("ضغط", "يضغط")
        + _verb("طلب", "يطلب")
        + _verb("حض", "يحض"),
    ),
    ("REQUEST", None, False, _nouns("ضغوط", "ضغوطها", "ضغوطه", "مطالبة")),
    ("REQUEST", None, True, _verb("شدد", "يشدد")),  # only "شدد على ضرورة" (NEEDS_NEXT)
    # ACCUSE
    (
        "ACCUSE",
        None,
        True,
        _verb("اتهم", "يتهم")
        + _verb("انتقد", "ينتقد")
        + _verb("ندد", "يندد")
        + _verb("أدان", "يدين")
        + _verb("زعم", "يزعم"),
    ),
    # REJECT
    ("REJECT", None, True, _verb("رفض", "يرفض") + _verb("استبعد", "يستبعد") + _verb("ألغى", "يلغي")),
    # THREATEN
    (
        "THREATEN",
        None,
        True,
        _verb("هدد", "يهدد")
        + _verb("توعد", "يتوعد")
        + _verb("لوح", "يلوح")
        + _verb("ألمح", "يلمح")
        + _verb("حذر", "يحذر"),
    ),
    ("THREATEN", None, False, _nouns("تهديد", "تهديدات")),
    # PROTEST
    ("PROTEST", None, True, _verb("احتج", "يحتج") + _verb("تظاهر", "يتظاهر")),
    ("PROTEST", None, False, _nouns("احتجاجات", "مظاهرات")),
    # SANCTION
    ("SANCTION", None, True, _verb("عاقب", "يعاقب") + _verb("طرد", "يطرد")),
    ("SANCTION", None, False, _nouns("عقوبات")),
    # MOBILIZE
    ("MOBILIZE", None, True, _verb("حشد", "يحشد") + _verb("نشر", "ينشر") + _verb("استعد", "يستعد")),
    ("MOBILIZE", None, False, _nouns("حشود", "تعزيزات")),
    # COERCE
    ("COERCE", None, True, _verb("اعتقل", "يعتقل") + _verb("احتجز", "يحتجز")),
    # ASSAULT
    (
        "ASSAULT",
        None,
        True,
        _verb("قصف", "يقصف") + _verb("هاجم", "يهاجم") + _verb("استهدف", "يستهدف") + _verb("اجتاح", "يجتاح"),
    ),
    ("ASSAULT", "missile", True, ["اطلقت", "اطلق", "يطلق", "تطلق"]),
    # "دخلت القوات الروسية أوكرانيا": troops entering a country (only with troops as the subject).
    ("ASSAULT", "invasion", True, _verb("دخل", "يدخل") + _verb("اقتحم", "يقتحم")),
    ("ASSAULT", None, False, _nouns("قصف", "هجوم", "هجمات", "غارة", "غارات", "ضربة", "ضربات", "غزو", "اجتياح")),
]

# Multi-word nouns are matched by their first word; the rest must follow.
TRIGGERS: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
for _type, _mode, _verbal, _forms in _SPEC:
    for _form in _forms:
        _toks = tuple(_form.split())
        TRIGGERS.setdefault(_toks[0], []).append((_toks, Trigger(_type, _mode, _verbal)))
for _entries in TRIGGERS.values():
    _entries.sort(key=lambda e: -len(e[0]))

# Status cues (normalised).
NEGATION = frozenset(normalize_text(w) for w in "لم لن لا ليس ما نفى نفت ينفي دون".split())
FUTURE_WORDS = frozenset(
    normalize_text(w)
    for w in "سوف يعتزم تعتزم يعتزمان يخطط تخطط يخططان المقرر المتوقع مرتقب مرتقبة المرتقب المرتقبة المقبل المقبلة "
    "القادم القادمة ستعقد سيعقد تستعد يستعد يتوقع تتوقع ينوي تنوي".split()
)
HYPOTHETICAL = frozenset(normalize_text(w) for w in "إذا اذا لو حال قد ربما يمكن".split())
ATTEMPT = frozenset(normalize_text(w) for w in "حاول حاولت حاولوا يحاول تحاول محاولة محاولات".split())
FAILURE = frozenset(normalize_text(w) for w in "جدوى يتمكن تتمكن فشل فشلت تعذر يفلح".split())

# Words right after a trigger that make it newsroom routine, not an event: "طلب التعليق" (a request for
# comment), "رفض التعليق" (declined to comment), "طلب عدم الكشف عن هويته" (asked not to be named).
ROUTINE_OBJECTS = frozenset(normalize_text(w) for w in "التعليق تعليق عدم الكشف الإفصاح الاجتماعي".split())

# Ambiguous triggers count only with one of these words among the next three: "تواصل مع" is a contact,
# "تواصل القصف" is "continued"; "تراجع عن" backs down, "تراجع حاد في" is a fall; "أطلق صواريخ" is an attack,
# "أطلق عملية إنقاذ" is not.
_MISSILES = frozenset(
    normalize_text(w) for w in "صاروخ صاروخا صواريخ الصواريخ النار قذائف القذائف قذيفة طائرات مسيرات".split()
)
_TROOPS = frozenset(
    normalize_text(w) for w in "قوات القوات جنود الجنود جنديا قواته قواتها منظومات صواريخ الصواريخ بطاريات".split()
)
_ATTACK = frozenset(normalize_text(w) for w in "لشن لهجوم للهجوم لغزو لاجتياح لعملية لعمليه".split())
NEEDS_NEXT: dict[str, tuple[frozenset[str], int]] = {  # form -> (words, how many words ahead to look)
    **{f: (frozenset({"مع"}), 3) for f in _verb("تواصل", "يتواصل") + _nouns("التواصل")},
    # "تحدث مع/إلى" is a contact; "تحدث عن" is a statement (a quote, not an event).
    **{f: (frozenset({"مع", "الي", "هاتفيا"}), 5) for f in _verb("تحدث", "يتحدث")},
    **{f: (frozenset({"عن"}), 3) for f in _verb("تراجع", "يتراجع") + _verb("تنازل", "يتنازل")},
    # "نشر قوات" deploys troops ("نشر تقريرا" publishes); "شدد على ضرورة" demands ("شدد على أهمية" does not).
    **{f: (_TROOPS, 4) for f in _verb("نشر", "ينشر")},
    **{f: (frozenset({"ضروره"}), 3) for f in _verb("شدد", "يشدد")},
    # "تستعد لشن هجوم" prepares an attack; "يستعد للانتخابات" does not.
    **{f: (_ATTACK, 2) for f in _verb("استعد", "يستعد")},
    # "وأطلقت روسيا يوم الثلاثاء ما يصل إلى 100 صاروخ": the weapon may come a clause later.
    **{f: (_MISSILES | {"سراح"}, 10) for f in ("اطلقت", "اطلق", "يطلق", "تطلق")},
}
# The subject an invasion needs: troops or an army ("القوات الروسية", "الجيش الإسرائيلي").
TROOPS = frozenset(normalize_text(w) for w in "القوات قوات الجيش جيش الجنود جنود الوحدات وحدات".split())
# "أطلق (روسيا) سراح ..." releases: the same verb as a missile launch, told apart by سراح.
RELEASE = Trigger("RETREAT", "release", True)
# The verb جمع is an event only when it brings two named parties together (not "جمع الأموال").
TOGETHER = frozenset([*_verb("جمع", "يجمع"), *_TOGETHER_SUFFIXED])

# Verbs that make an event noun happen ("عقد اجتماعا", "أجرى محادثات", "شن غارات", "فرض عقوبات"): with one
# of them, a noun trigger with a single actor is an event, not background. Finite verbs only: the verbal
# nouns ("رفض إجراء مفاوضات") are governed by another verb that often negates them.
_LIGHT = (("عقد", "يعقد"), ("أجرى", "يجري"), ("شن", "يشن"), ("فرض", "يفرض"), ("نفذ", "ينفذ"))
LIGHT_VERBS = frozenset(f for past, present in _LIGHT for f in _verb(past, present))
