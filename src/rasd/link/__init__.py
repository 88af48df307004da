"""Mentions -> actors: knowledge-base linking within an article."""

from rasd.link.actors import LinkedActor, link_mentions

__all__ = ["LinkedActor", "link_mentions"]
