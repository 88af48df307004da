"""Quotes, their speakers, and the sources an article cites."""

from rasd.quotes.attribution import Attribution, AttributionFinder
from rasd.quotes.finder import Quote, QuoteFinder, quoted_spans
from rasd.quotes.sources import Source, sources_from

__all__ = [
    "Attribution",
    "AttributionFinder",
    "Quote",
    "QuoteFinder",
    "Source",
    "quoted_spans",
    "sources_from",
]
