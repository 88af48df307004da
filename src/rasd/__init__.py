"""Rasd (رصد): Arabic political news -> evidence-linked records of actors, events, quotes and sources."""

__version__ = "0.1.0"
