"""Arabic text handling: normalisation with an offset map, and sentence/token segmentation."""

from rasd.text.normalize import NormText, normalize, normalize_text

__all__ = ["NormText", "normalize", "normalize_text"]
