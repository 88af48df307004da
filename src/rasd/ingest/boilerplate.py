"""Find the lines of an article that are page furniture rather than news, so analysis can skip them.

Scraped Arabic news keeps share bars, "read also" links, follow-us calls, copyright footers, photo captions
repeated next to every picture and paragraphs duplicated by the page template. Left in, they create fake
quotes, fake entities and doubled events. The lines are not removed (offsets must never move): the readers
pass the returned spans to `Document(excluded=...)`, which blanks them in `doc.analysed`.

The rules describe the language and the habits of news sites in general; each is anchored on the whole
line and bounded in length so that a real paragraph that merely mentions such words is never excluded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rasd.document import Span
from rasd.text.normalize import normalize_text

__all__ = ["find_boilerplate"]

_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[\s:：|/\\\-–—_.,،؛;!?؟«»\"'()\[\]{}<>•·*#@+=~…]+")

# Everything below is matched against the normalised line (see rasd.text.normalize: أ/إ/آ → ا, no
# diacritics or tanween, ة → ه, ى → ي, Latin lower-cased), so one spelling covers the common variants.

_SOCIAL = {
    "فيسبوك", "فيس", "بوك", "الفيسبوك", "تويتر", "واتساب", "واتس", "اب", "الواتساب", "تلغرام", "تليغرام",
    "تيليجرام", "تليجرام", "تلجرام", "لينكدان", "لينكد", "ان", "انستغرام", "انستجرام", "انستقرام", "يوتيوب",
    "تيك", "توك", "تيكتوك", "اكس", "ماسنجر", "سناب", "شات", "سنابشات", "بريد", "البريد", "الالكتروني",
    "الكتروني", "ايميل", "طباعه", "اطبع", "نسخ", "الرابط", "رابط", "facebook", "twitter", "whatsapp",
    "telegram", "linkedin", "instagram", "youtube", "tiktok", "x", "messenger", "pinterest", "reddit",
    "email", "e-mail", "mail", "print", "copy", "link", "sms", "google", "gmail",
}  # fmt: skip
_SHARE_FILLER = {
    "شارك", "شاركوا", "شاركي", "مشاركه", "المشاركه", "انشر", "ارسل", "لصديق", "هذا", "هذه", "الخبر",
    "المقال", "الموضوع", "المقاله", "الصفحه", "التقرير", "علي", "عبر", "في", "من", "و", "او", "share",
    "on", "via", "this", "article", "story", "tweet", "غرد", "0",
}  # fmt: skip
_SHARE_HEAD = re.compile(r"^(شارك(وا|ي)?|مشاركه|المشاركه|انشر|ارسل لصديق|share)\b")

_READ_MORE = re.compile(
    r"^(اقرا|طالع|شاهد|انظر)\s*(ايضا|كذلك|المزيد)\b"
    r"|^(اقرا|read)\s*(also|more)\b"
    r"|^(مواضيع|اخبار|مقالات|موضوعات|روابط)?\s*ذات صله\b"
    r"|^(لل|ل)مزيد من (الاخبار|التفاصيل|المعلومات|المقالات|التقارير)\b"
    r"|^للمزيد\s*[:：]"
    r"|^(الخبر|المقال|الموضوع) التالي\s*[:：]"
)
_LOAD_MORE = re.compile(
    r"^(تحميل|عرض|اعرض|شاهد|حمل|اظهار|المزيد|load|show|view|see)\s*(المزيد|more|all|الكل)?"
    r"(\s*(من )?(الاخبار|المقالات|التعليقات|النتايج))?$"
)
_FOLLOW_US = re.compile(r"^(تابعونا|follow us)\b")
_FOLLOW_VERB = re.compile(r"^(تابعنا|تابعوا|اشترك(وا)?|انضم(وا)?|للاشتراك|حمل(وا)?)\b")
# Only the outlet's own channels ("قناتنا", "حسابنا") or news apps: "تابعوا المباراة عبر قناة ..." is news.
_CHANNEL = re.compile(r"(قناتنا|حساب(ات)?نا|صفح(ات)?نا|تطبيقنا|موقعنا|نشرتنا|google news|(جوجل|غوغل) نيوز)")

_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_TRACKING = re.compile(r"utm_[a-z]+|gettyimages|doubleclick|googletagmanager", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|جميع الحقوق محفوظه|الحقوق محفوظه|حقوق النشر محفوظه|all rights reserved|copyright", re.I
)
# Site disclaimers: "الآراء الواردة أدناه لا تعبر عن رأي الموقع" (a legal notice, like the copyright line).
_DISCLAIMER = re.compile(r"(لا|ولا) (تعبر|يعبر|تمثل|يمثل)( بالضروره)? (عن )?(راي|وجهه نظر|موقف|سياسه)")
_DISCLAIMED = re.compile(r"الاراء|التعليقات|المقالات|المنشوره|الوارده|المحتوي")

# Photo credits that end a caption: "/رويترز", "(رويترز)", "(Getty)", "(أرشيفية)", "- أ ف ب".
_CREDIT = (
    r"رويترز|ا ?ف ?ب|ا\.ف\.ب|فرانس برس|ا ?ب|اسوشيتد برس|الاناضول|وكالات|وكاله الانباء|وام|واس|سانا|قنا|"
    r"ارشيفيه|ارشيف|صوره ارشيفيه|ارشيفيه - .{1,30}|getty|getty images|afp|reuters|ap|epa|anadolu|"
    r"shutterstock|istock|الصوره من .{1,30}|مواقع التواصل|مواقع تواصل|متداوله|تعبيريه|صوره تعبيريه"
)
_CAPTION = re.compile(
    rf"(\s*[/\\]\s*({_CREDIT})|\s*\(\s*({_CREDIT})\s*\)|\s+[-–—]\s*({_CREDIT}))\s*[.]?$", re.IGNORECASE
)

# Reading-time badges: "قراءة في 4 دقائق", "3 دقائق للقراءة", "وقت القراءة: دقيقتان", "5 min read".
_READING_TIME = re.compile(
    r"(قراءه في|مده القراءه|وقت القراءه)\s*[:：]?\s*(\d+\s*)?(دقيقه|دقيقتان|دقيقتين|دقايق|ثانيه)"
    r"|\d+\s*(دقيقه|دقايق)\s*(لل|ل)قراءه|\d+\s*min(ute)?s? read"
)

_MAX_SHORT = 150  # furniture lines are short; a longer line is treated as content by the line rules
_MAX_CAPTION = 250
_MIN_REPEAT = 30  # shorter repeated lines ("الرياض", a date) are legitimately repeated


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its newline or a trailing carriage return."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        stop = end - 1 if end > pos and text[end - 1] == "\r" else end
        yield pos, stop
        if nl < 0:
            break
        pos = nl + 1


def _is_share(norm: str) -> bool:
    if len(norm) > _MAX_SHORT:
        return False
    words = [w for w in _PUNCT.split(norm) if w]
    if not words:
        return False
    social = sum(1 for w in words if w in _SOCIAL)
    if _SHARE_HEAD.match(norm):
        # "شارك هذا الخبر" or "مشاركة: فيسبوك تويتر واتساب": nothing but share words and network names.
        return all(w in _SOCIAL or w in _SHARE_FILLER or w.isdigit() for w in words)
    # A bare share bar: "فيسبوك تويتر واتساب".
    return social >= 2 and all(w in _SOCIAL or w.isdigit() for w in words)


def _is_follow_us(norm: str) -> bool:
    if len(norm) > _MAX_SHORT:
        return False
    if _FOLLOW_US.match(norm):
        return True
    if not _FOLLOW_VERB.match(norm):
        return False
    # "تابعوا آخر الأخبار عبر قناتنا على تيليجرام", but not "تابعوا المباراة عبر قناة رياضية".
    if _CHANNEL.search(norm):
        return True
    words = [w for w in _PUNCT.split(norm) if w]
    return len(norm) <= 100 and any(w in _SOCIAL for w in words) and ("علي" in words or "عبر" in words)


def _line_label(line: str, norm: str) -> str | None:
    """The boilerplate reason of a single line judged on its own, or None."""
    if _URL.match(line.split(None, 1)[0]) and all(_URL.match(w) for w in line.split()):  # most fail at once
        return "tracking"
    if len(line) <= 300 and _TRACKING.search(line):
        return "tracking"
    if len(line) <= 200 and _COPYRIGHT.search(norm):
        return "copyright"
    if len(line) <= 250 and _DISCLAIMER.search(norm) and _DISCLAIMED.search(norm):
        return "copyright"
    if len(norm) <= 60 and _LOAD_MORE.match(norm.strip(" .:…»«!")):
        return "load_more"
    if _is_share(norm):
        return "share"
    if len(norm) <= 250 and _READ_MORE.match(norm):
        return "read_more"
    if _is_follow_us(norm):
        return "follow_us"
    if len(norm) <= 100 and _READING_TIME.search(norm):
        return "reading_time"
    return None


def find_boilerplate(text: str) -> list[Span]:
    """Spans (label = reason) of the whole lines of `text` that are boilerplate, in text order.

    Captions and paragraphs are only excluded when repeated: the first occurrence is content, the copies
    are template noise. Every span covers exactly one line without its line break.
    """
    spans: list[Span] = []
    seen_captions: set[str] = set()
    seen_paragraphs: set[str] = set()
    for start, end in _lines(text):
        raw = text[start:end]
        line = raw.strip()
        if not line:
            continue
        norm = _WS.sub(" ", normalize_text(line)).strip()
        label = _line_label(line, norm)
        if label is None and len(line) <= _MAX_CAPTION and _CAPTION.search(norm):
            if norm in seen_captions:
                label = "caption"
            seen_captions.add(norm)
        if label is None and len(line) >= _MIN_REPEAT:
            if norm in seen_paragraphs:
                label = "repeated_paragraph"
            seen_paragraphs.add(norm)
        if label is not None:
            spans.append(Span(start, end, label))
    return spans
