"""Dates in Arabic news: month lexicons, the article's publication date, and date expressions in the text."""

from rasd.time.expressions import DateExpr, find_dates
from rasd.time.pubdate import PubDate, find_publication_date, parse_date_string

__all__ = ["DateExpr", "PubDate", "find_dates", "find_publication_date", "parse_date_string"]
