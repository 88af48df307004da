"""Arabic full-text search: what goes into the index and how a user's query becomes an FTS5 query.

SQLite's unicode61 tokenizer neither folds alef forms nor strips Arabic clitics, so Rasd indexes its own
normalised text (the same `normalize_text` used on queries) and adds, after each word with proclitics, its
bare reading ("لروسيا" is indexed as "لروسيا روسيا"), so that a query for روسيا finds لروسيا.
User queries never reach FTS5 or PostgreSQL raw: they are parsed here into phrases of normalised words and
rendered as quoted FTS5 terms or bound tsquery phrases, so no input can be a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ParsedQuery:
    """A query as phrases (tuples of normalised words): every clause must match one of its alternatives, and
    no `excluded` phrase may match."""

    clauses: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]


def parse_query(query: str) -> ParsedQuery:
    """Parse a user query: words (all required), "quoted phrases", OR between alternatives, -word to exclude."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"query too long: {len(query)} characters (at most {MAX_QUERY_CHARS})")
    clauses: list[tuple[tuple[str, ...], ...]] = []
    negated: list[tuple[str, ...]] = []
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
        words = tuple(_WORD_RE.findall(normalize_text(raw)))
        if not words:
            continue
        n_terms += len(words)
        if negate:
            negated.append(words)
        elif pending_or and clauses:
            clauses[-1] = (*clauses[-1], words)
        else:
            clauses.append((words,))
        pending_or = False
    if n_terms > MAX_QUERY_TERMS:
        raise SearchError(f"too many search terms: {n_terms} (at most {MAX_QUERY_TERMS})")
    if not clauses:
        raise SearchError("the query has no words to search for" + (" (only exclusions)" if negated else ""))
    return ParsedQuery(tuple(clauses), tuple(negated))


def to_fts5(q: ParsedQuery) -> str:
    """The query in SQLite FTS5 syntax: every phrase quoted, so no input can be a syntax error."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    def clause(alts: tuple[tuple[str, ...], ...]) -> str:
        out = phrase(alts[0])
        for alt in alts[1:]:
            out = f"({out} OR {phrase(alt)})"
        return out

    text = " AND ".join(clause(c) for c in q.clauses)
    for words in q.excluded:
        text = f"{text} NOT {phrase(words)}"
    return text


def to_tsquery(q: ParsedQuery) -> tuple[str, list[str]]:
    """The query as a PostgreSQL tsquery expression over bound phrases (phraseto_tsquery, 'simple')."""
    phrase = "phraseto_tsquery('simple', %s)"
    params: list[str] = []
    parts = []
    for alts in q.clauses:
        parts.append("(" + " || ".join([phrase] * len(alts)) + ")")
        params += [" ".join(a) for a in alts]
    for words in q.excluded:
        parts.append(f"!!{phrase}")
        params.append(" ".join(words))
    return "(" + " && ".join(parts) + ")", params


def build_fts_query(query: str) -> str:
    """A user query (see `parse_query`) in FTS5 syntax."""
    return to_fts5(parse_query(query))
