"""Arabic and English names for the codes the records use, and the colour of each event type.

One table serves the templates, the legend and the network's edge colours (passed to the script as data).
"""

from __future__ import annotations

EVENT_TYPES: dict[str, tuple[str, str, str]] = {  # code: (Arabic, English, colour)
    "CONSULT": ("تشاور", "Consult", "#1f77b4"),
    "AGREE": ("اتفاق", "Agree", "#2ca02c"),
    "SUPPORT": ("دعم", "Support", "#17becf"),
    "COOPERATE": ("تعاون", "Cooperate", "#98df8a"),
    "AID": ("مساعدة", "Aid", "#bcbd22"),
    "CONCEDE": ("تنازل", "Concede", "#aec7e8"),
    "RETREAT": ("انسحاب / تهدئة", "Retreat", "#9edae5"),
    "REQUEST": ("طلب", "Request", "#9467bd"),
    "DEMAND": ("مطالبة", "Demand", "#c5b0d5"),
    "ACCUSE": ("اتهام", "Accuse", "#ff9896"),
    "DISAPPROVE": ("استنكار", "Disapprove", "#f7b6d2"),
    "REJECT": ("رفض", "Reject", "#e377c2"),
    "THREATEN": ("تهديد", "Threaten", "#d62728"),
    "PROTEST": ("احتجاج", "Protest", "#ff7f0e"),
    "SANCTION": ("عقوبات", "Sanction", "#8c564b"),
    "MOBILIZE": ("حشد", "Mobilize", "#c49c94"),
    "COERCE": ("إكراه", "Coerce", "#7f7f7f"),
    "ASSAULT": ("هجوم", "Assault", "#393b79"),
}
OTHER_COLOUR = "#555555"

STATUSES: dict[str, tuple[str, str]] = {
    "occurred": ("وقع", "occurred"),
    "future": ("مرتقب", "future"),
    "hypothetical": ("مشروط", "hypothetical"),
    "negated": ("منفي", "negated"),
    "failed": ("لم ينجح", "failed"),
}

KINDS: dict[str, tuple[str, str]] = {
    "person": ("شخص", "person"),
    "org": ("منظمة", "organisation"),
    "gpe": ("دولة / مدينة", "state or city"),
    "loc": ("مكان", "place"),
    "media": ("وسيلة إعلام", "media"),
}

SOURCE_KINDS: dict[str, tuple[str, str]] = {
    "media": ("وسيلة إعلام", "media"),
    "officials": ("مسؤولون", "officials"),
    "official_body": ("جهة رسمية", "official body"),
    "person": ("شخص", "person"),
}


def type_colour(code: str | None) -> str:
    return EVENT_TYPES.get(code or "", ("", "", OTHER_COLOUR))[2]
