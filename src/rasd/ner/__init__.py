"""Statistical named-entity tagger (PERS, LOC, ORG, MISC): a CRF trained on ANERcorp with word-cluster features."""

from rasd.ner.crf import CrfTagger

__all__ = ["CrfTagger"]
