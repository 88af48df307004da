"""Arabic full-text search: what goes into the index and how a user's query becomes an FTS5 query.

SQLite's unicode61 tokenizer neither folds alef forms nor strips Arabic clitics, so Rasd indexes its own
normalised text (the same `normalize_text` used on queries) and adds, after each word with proclitics, its
bare reading ("لروسيا" is indexed as "لروسيا روسيا"), so that a query for روسيا finds لروسيا.
User queries never reach FTS5 raw: they are parsed here into quoted terms, so no input can be a syntax error.
"""

from __future__ import annotations

import re

from rasd.text.normalize import normalize_text
from rasd.text.segment import clitic_bases, drops_article

_WORD_RE = re.compile(r"[^\W_]+")
_QUERY_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 32


class SearchError(ValueError):
    """A query that cannot be searched; the message says why."""


def _bare_reading(word: str) -> str | None:
    """The reading without conjunction/preposition (with ال restored after ل), if it differs.

    Readings that only drop the article are not indexed: "الأسلحة" stays one token, so phrases still match.
    """
    if not ("\u0621" <= word[:1] <= "\u064a"):
        return None
    for prefix, base in clitic_bases(word)[1:]:
        if drops_article(word, prefix, base):
            continue
        if len(base) >= 3:
            return base
    return None


def index_text(text: str) -> str:
    """The normalised words of `text`, each followed by its bare reading when it has proclitics."""
    out: list[str] = []
    for w in _WORD_RE.findall(normalize_text(text)):
        out.append(w)
        bare = _bare_reading(w)
        if bare and bare != w:
            out.append(bare)
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The normalised words of a query, for highlighting."""
    return _WORD_RE.findall(normalize_text(query))


def build_fts_query(query: str) -> str:
    """Parse a user query: words (all required), "quoted phrases", OR between alternatives, -word to exclude."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"query too long: {len(query)} characters (at most {MAX_QUERY_CHARS})")
    clauses: list[str] = []
    negated: list[str] = []
    pending_or = False
    n_terms = 0
    for m in _QUERY_TOKEN_RE.finditer(query):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            pending_or = bool(clauses)
            continue
        negate = False
        raw = phrase if phrase is not None else word
        if phrase is None and raw.startswith("-") and len(raw) > 1:
            negate, raw = True, raw[1:]
        words = _WORD_RE.findall(normalize_text(raw))
        if not words:
            continue
        n_terms += len(words)
        term = '"' + " ".join(words) + '"' if phrase is not None or len(words) > 1 else f'"{words[0]}"'
        if negate:
            negated.append(term)
        elif pending_or and clauses:
            clauses[-1] = f"({clauses[-1]} OR {term})"
        else:
            clauses.append(term)
        pending_or = False
    if n_terms > MAX_QUERY_TERMS:
        raise SearchError(f"too many search terms: {n_terms} (at most {MAX_QUERY_TERMS})")
    if not clauses:
        raise SearchError("the query has no words to search for" + (" (only exclusions)" if negated else ""))
    q = " AND ".join(clauses)
    for t in negated:
        q = f"{q} NOT {t}"
    return q
