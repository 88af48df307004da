"""Word lists for attribution: reporting verbs, attribution prepositions, titles, unnamed-source nouns.

All entries are normalised (rasd.text.normalize_text); words are matched after removing a leading و/ف.
"""

from __future__ import annotations

from rasd.text.normalize import normalize_text


def _norm_set(words: str) -> frozenset[str]:
    return frozenset(normalize_text(w) for w in words.split())


def _past_forms(stems: str) -> frozenset[str]:
    """Past-tense verbs with their feminine, dual and plural endings: قال قالت قالا قالوا."""
    out: set[str] = set()
    for s in stems.split():
        s = normalize_text(s)
        out.update({s, s + "ت", s + "ا", s + "وا", s + "تا"})
    return frozenset(out)


# Past tense (3rd person): say, confirm, add, explain, point out, declare, mention, announce, warn, stress,
# write, continue, consider, see, note, report, go on, conclude, comment, tweet, tell, reveal, stress...
REPORTING_PAST = _past_forms(
    "قال أكد أضاف أوضح أشار صرح ذكر أعلن حذر شدد كتب تابع اعتبر لفت أفاد أردف استطرد ختم علق غرد "
    "أبلغ كشف نقل نفى رأى أكدت اعترف زعم وصف دعا طالب أعرب توقع قالت ردد استدرك لاحظ شرح أشاد انتقد أقر"
) | _norm_set("رات راى راوا")

# Present tense (he/she/they): the most frequent ones in news prose.
REPORTING_PRESENT = _norm_set(
    "يقول تقول يقولون يؤكد تؤكد يؤكدون يضيف تضيف يوضح توضح يشير تشير يشيرون يعتبر تعتبر يرى ترى يرون "
    "يلفت تلفت يذكر تذكر يحذر تحذر يشدد تشدد يكتب تكتب يتابع تتابع يصرح تصرح يعلن تعلن يفيد تفيد "
    "ينقل تنقل يكشف تكشف يتوقع تتوقع يصف تصف يزعم تزعم"
)

# Circumstantial participles that continue the previous speaker: "، موضحاً: «...»".
REPORTING_PARTICIPLES = _norm_set(
    "قائلا قائلة قائلين مضيفا مضيفة موضحا موضحة مؤكدا مؤكدة مشيرا مشيرة معتبرا معتبرة محذرا محذرة "
    "مشددا مشددة لافتا لافتة متابعا مستطردا مختتما معربا معربة واصفا داعيا مطالبا مستشهدا"
)

REPORTING_VERBS = REPORTING_PAST | REPORTING_PRESENT | REPORTING_PARTICIPLES

# "according to": the phrase after it is the source.
ATTRIBUTION_PREPS = _norm_set("بحسب حسب وفق وفقا طبقا نقلا")
ATTRIBUTION_PAIRS = {
    normalize_text("نقلا"): normalize_text("عن"),
    normalize_text("وفقا"): normalize_text("ل"),
}

# Titles that stand for a person met earlier: "وقال المتحدث", "أكد الوزير".
TITLE_NOUNS = _norm_set(
    "المتحدث المتحدثة الناطق الناطقة الوزير الوزيرة الرئيس الرئيسة الجنرال السفير السفيرة المبعوث "
    "المبعوثة المستشار المستشارة الأمين الملك الأمير العاهل الشيخ المندوب المندوبة المسؤول القائد "
    "المدير المديرة رئيس وزير متحدث ناطق مستشار مبعوث سفير"
)

# Nouns of unnamed sources, with the count they imply (None: plural without a number).
ANON_HEADS: dict[str, int | None] = {
    **{w: 1 for w in _norm_set("مسؤول مسؤولة مصدر دبلوماسي دبلوماسية متحدث شخص مستشار ضابط عضو")},
    **{w: 2 for w in _norm_set("مسؤولان مصدران مصدرين دبلوماسيان شخصين شخصان")},
    **{
        w: None
        for w in _norm_set(
            "مسؤولون مسؤولين المسؤولون المسؤولين مسؤولو مسؤولي مصادر المصادر دبلوماسيون دبلوماسيين أشخاص "
            "الأشخاص المصدر المسؤول ضباط"
        )
    },
}

# Words that keep an unnamed-source phrase going: "مسؤول أمريكي رفيع المستوى مطلع على ..."
ANON_MODIFIERS = _norm_set(
    "رفيع رفيعة رفيعي المستوى كبير كبار بارز سابق سابقون سابقين مطلع مطلعة مطلعون مطلعين مقرب مقربون "
    "مقربين أمني أمنيون عسكري عسكريون حكومي حكوميون رسمي رسميون غربي غربيون أوروبي عربي آخر أخرى آخرون "
    "آخرين أحد أحدهم بعض عدد"
)

NUMBER_WORDS: dict[str, int] = {
    normalize_text(w): n
    for w, n in [
        ("اثنان", 2), ("اثنين", 2), ("ثلاثة", 3), ("ثلاث", 3), ("أربعة", 4), ("أربع", 4), ("خمسة", 5),
        ("خمس", 5), ("ستة", 6), ("ست", 6), ("سبعة", 7), ("سبع", 7), ("ثمانية", 8), ("ثماني", 8),
        ("تسعة", 9), ("تسع", 9), ("عشرة", 10), ("عشر", 10), ("الأربعة", 4), ("الثلاثة", 3),
        ("الخمسة", 5), ("الستة", 6), ("الاثنين", 2),
    ]
}  # fmt: skip

# Words that, right before a quote, make it a title or label rather than speech.
LABEL_NOUNS = _norm_set(
    "صحيفة جريدة وكالة شبكة موقع مجلة قناة برنامج عملية مبادرة خطة حملة كتاب مقال تقرير عنوان شعار "
    "مصطلح وسم هاشتاغ منصة تطبيق حزب حركة تنظيم جماعة مجموعة مؤتمر منتدى قمة اتفاق اتفاقية مشروع يسمى يعرف "
    "بعنوان فيلم مسلسل رواية مسرحية أغنية ألبوم لوحة مهرجان جائزة بطولة مسابقة معرض شركة مؤسسة جمعية "
    "ائتلاف تحالف قانون مرسوم وثيقة إعلان مثل عبارة كلمة لقب اسم شعار لافتة هتاف هتافات مسمى"
)
PREPOSITIONS = _norm_set("في على إلى الى عن من مع ب حول بشأن نحو لدى ضد")
