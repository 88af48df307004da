"""The actor knowledge base: data files, the alias index and time-aware roles."""

from rasd.kb.gazetteer import Gazetteer, MentionMatch
from rasd.kb.model import Actor, KnowledgeBase, Role, load_kb

__all__ = ["Actor", "Gazetteer", "KnowledgeBase", "MentionMatch", "Role", "load_kb"]
