"""Hypothesis strategies shared by the property tests."""

from hypothesis import strategies as st

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
arabic_text = st.text(alphabet=ARABIC + MARKS + ' \n.,،؛:«»"0123456789٠١٢٣٤٥٦٧٨٩ABCxyz\u200f\ufefb', max_size=300)

# News-like text: words and phrases the matchers react to (names from the test KB, titles, reporting verbs,
# event triggers, dates in several calendars and digit sets, quotation marks, byline and header pieces),
# mixed with random runs of letters, marks and odd code points, so the fuzzers reach the deep code paths.
NEWS_PIECES = (
    "قال", "وقال", "قالت", "أكد", "وأضاف", "أوضح", "مضيفا", "حسب", "بحسب", "وفقا لـ", "نقلا عن", "إن", "أن",
    "وزير الخارجية", "الرئيس", "الروسي", "الأمريكي", "الأوكراني", "نظيره", "المتحدث باسم", "مسؤول", "مسؤولين",
    "ثلاثة مسؤولين", "مصدر مطلع", "سيرغي لافروف", "لافروف", "بوتين", "فلاديمير بوتين", "بايدن", "ترامب",
    "روبيو", "بلينكن", "روسيا", "لروسيا", "وروسيا", "موسكو", "واشنطن", "أوكرانيا", "الكرملين", "عمان", "عمّان",
    "الولايات المتحدة", "القوات الروسية", "رويترز", "وول ستريت جورنال", "وزارة الخارجية الأمريكية",
    "التقى", "اجتمع", "وسيلتقي", "محادثات", "مفاوضات", "اتفاق", "وقع", "وقعت", "هاجم", "قصف", "رفض", "أدان",
    "فرض عقوبات", "وقف إطلاق النار", "قمة", "زيارة", "لم", "لن", "لا", "سوف", "قد", "إذا", "نفى",
    "يوم", "الأحد", "الاثنين", "أمس", "غدا", "اليوم", "الأسبوع المقبل", "الشهر الماضي", "العام المقبل",
    "3 مارس 2025", "18 فبراير/شباط 2025", "٢٠٢٢/١١/١٨", "2023-07-07", "07-يوليو-2023", "تشرين الثاني",
    "جانفي", "أفريل", "رمضان 1445 هـ", "قبل 3 أيام", "منذ عامين", "أواخر", "منتصف", "عام 2024", "9999",
    "0", "31/02/2024", "تم النشر: 2022/11/18 الساعة 13:06", "الرياض - 18 فبراير/شباط 2025",
    "«", "»", '"', "“", "”", "„", "‘", "’", ":", "،", ".", "؛", "؟", "!", "(", ")", "-", "/", "\n", "\n\n", "\r\n",
    "اقرأ أيضاً", "تابعونا على", "جميع الحقوق محفوظة",
    "\u200f", "\u200d", "\u0640", "\u064b", "\ufefb", "😀", "１２", "۱۲۳", "NATO", "CNN", "\t",
)  # fmt: skip
_piece = st.one_of(st.sampled_from(NEWS_PIECES), arabic_text.map(lambda s: s[:40]))
_separator = st.sampled_from([" ", " ", " ", "", "\n"])
_words = st.lists(st.tuples(_piece, _separator), max_size=12).map(lambda xs: "".join(p + s for p, s in xs))
_actor = st.sampled_from(
    [
        "لافروف",
        "وزير الخارجية الروسي سيرغي لافروف",
        "الرئيس بوتين",
        "بايدن",
        "روسيا",
        "واشنطن",
        "مسؤول أمريكي",
        "الكرملين",
        "رويترز",
        "ترامب",
        "المتحدث باسم الكرملين",
    ]
)
_cue = st.sampled_from(["قال", "وقال", "وأضاف", "أكد", "وأوضح", "ونقلت رويترز عن", "بحسب", "وصرح"])
_open_close = st.sampled_from([("«", "»"), ('"', '"'), ("“", "”"), ("„", "“"), ("«", ""), ("", "»")])
_trigger = st.sampled_from(
    [
        "التقى",
        "اجتمع مع",
        "سيلتقي",
        "لم يلتق",
        "وقع اتفاقا مع",
        "هاجم",
        "أدان",
        "رفض",
        "فرضت عقوبات على",
        "أجرى محادثات مع",
        "قصفت",
        "دعا",
        "زار",
    ]
)
_date = st.sampled_from(["", "يوم الأحد", "أمس", "في 3 مارس 2025", "الأسبوع المقبل", "في ٢٠٢٢/١١/١٨"])
_quote = st.builds(
    lambda cue, who, mark, said, after: f"{cue} {who}{mark[0]}{said}{mark[1]}{after}",
    _cue,
    _actor,
    _open_close,
    _words,
    st.sampled_from([".", "، مضيفا: «نعم».", "", "\n"]),
) | st.builds(lambda mark, said, who: f"{mark[0]}{said}{mark[1]}، قال {who}.", _open_close, _words, _actor)
_event = st.builds(lambda a, t, b, d: f"{a} {t} {b} {d}.", _actor, _trigger, _actor, _date)
_sentence = st.one_of(_words, _quote, _event)
news_text = st.lists(st.tuples(_sentence, _separator), max_size=12).map(lambda xs: "".join(p + s for p, s in xs))
mixed_text = st.one_of(news_text, arabic_text, st.text(max_size=200))
