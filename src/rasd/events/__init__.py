"""PLOVER event extraction: triggers, participants, status, date, location, sources."""

from rasd.events.extract import Event, EventExtractor

__all__ = ["Event", "EventExtractor"]
