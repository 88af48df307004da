"""Choose an NER backend by name: the shipped CRF (default), a local transformers model, or none."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from rasd.document import Span
from rasd.link.local import Entity
from rasd.ner.bio import put, spans
from rasd.ner.consistency import propagate
from rasd.text.segment import Token


class SentenceTagger(Protocol):
    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]: ...


class NerSpecError(ValueError):
    """An --ner value that names no backend."""


class UnionTagger:
    """Two taggers as one: every entity of the first, plus the second's entities that overlap none of them.

    Both taggers are precise and miss names (recall is the weak side of Arabic NER), and they miss different
    ones: on ANERcorp's dev split the union of the CRF and the BiLSTM gains 1 point of F1 over the CRF alone.
    """

    def __init__(self, first: SentenceTagger, second: SentenceTagger) -> None:
        self.first = first
        self.second = second

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return [
            union_tags(a, b)
            for a, b in zip(self.first.tag_sentences(sentences), self.second.tag_sentences(sentences), strict=True)
        ]


def union_tags(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """`first`, with the entities of `second` that touch no token of an entity of `first` added."""
    out = list(first)
    for start, end, kind in spans(second):
        if all(t == "O" for t in first[start:end]):
            put(out, start, end, kind)
    return out


def vote_tags(systems: Sequence[Sequence[str]], fill: Sequence[str]) -> list[str]:
    """Entities at least two systems found (span and type), then `fill`'s entities where none of those sits."""
    counts = Counter(span for tags in systems for span in spans(tags))
    out = ["O"] * len(fill)
    agreed = sorted((span for span, n in counts.items() if n >= 2), key=lambda s: (-counts[s], s[0]))
    for a, b, kind in agreed:
        if all(t == "O" for t in out[a:b]):
            put(out, a, b, kind)
    return union_tags(out, fill)


class VoteTagger:
    """Three taggers by majority: an entity two of them agree on stands; where they disagree, the union of the
    first and the last fills in (the CRF's entities first, then the BiLSTM's that overlap none).

    The three (the CRF with and without the self-trained lexicon, and the BiLSTM) err differently; on
    ANERcorp's dev split the vote adds half a point of F1 to the union of two.
    """

    def __init__(self, taggers: Sequence[SentenceTagger]) -> None:
        self.taggers = list(taggers)

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        outs = [t.tag_sentences(sentences) for t in self.taggers]
        return [vote_tags(per, union_tags(per[0], per[-1])) for per in zip(*outs, strict=True)]


def make_tagger(spec: str) -> SentenceTagger | None:
    """'crf+bilstm' (the shipped models together, the default), 'crf', 'bilstm', 'transformers:PATH' (a
    token-classification model on disk) or 'none'."""
    if spec in ("none", "off", ""):
        return None
    if spec == "crf":
        from rasd.ner.crf import CrfTagger

        return CrfTagger.default()
    if spec == "bilstm":
        from rasd.ner.neural import NeuralTagger

        return NeuralTagger.default()
    if spec == "crf+bilstm":
        from rasd.ner.crf import CrfTagger
        from rasd.ner.neural import NeuralTagger

        return UnionTagger(CrfTagger.default(), NeuralTagger.default())
    if spec == "ensemble":
        from rasd.ner.crf import BASE_MODEL_PATH, CrfTagger
        from rasd.ner.neural import NeuralTagger

        return VoteTagger([CrfTagger.default(), CrfTagger(BASE_MODEL_PATH), NeuralTagger.default()])
    if spec.startswith("transformers:"):
        from rasd.ner.transformers_backend import TransformersTagger

        return TransformersTagger(spec.split(":", 1)[1])
    raise NerSpecError(
        f"unknown NER backend {spec!r}: use ensemble, crf+bilstm, crf, bilstm, transformers:PATH or none"
    )


def bio_to_entities(tags: Sequence[str], tokens: Sequence[Token], offset: int = 0) -> list[Entity]:
    """Entities from BIO tags over `tokens` (token indices shifted by `offset` into the document's tokens)."""
    return [Entity(tokens[a].start, tokens[b - 1].end, kind, a + offset, b - 1 + offset) for a, b, kind in spans(tags)]


def tag_document(
    tagger: SentenceTagger, text: str, tokens: Sequence[Token], sentences: Sequence[Span], consistent: bool = True
) -> list[Entity]:
    """Tag each sentence's tokens (as written) and return the document's entities.

    With `consistent`, a name tagged anywhere in the document is tagged wherever else it occurs
    (`rasd.ner.consistency`)."""
    return tag_documents(tagger, [(text, tokens, sentences)], consistent)[0]


def tag_documents(
    tagger: SentenceTagger,
    docs: Sequence[tuple[str, Sequence[Token], Sequence[Span]]],
    consistent: bool = True,
) -> list[list[Entity]]:
    """`tag_document` for several documents (text, tokens, sentences), with one call to the tagger for all
    their sentences: taggers that decode or run a network in batches do it once for the lot."""
    groups = [sentence_groups(tokens, sentences) for _, tokens, sentences in docs]
    words = [
        [[text[t.start : t.end] for t in tokens[a:b]] for a, b in doc_groups]
        for (text, tokens, _), doc_groups in zip(docs, groups, strict=True)
    ]
    tagged_all = tagger.tag_sentences([w for doc_words in words for w in doc_words])
    out: list[list[Entity]] = []
    pos = 0
    for (_, tokens, _), doc_groups, doc_words in zip(docs, groups, words, strict=True):
        tagged = tagged_all[pos : pos + len(doc_words)]
        pos += len(doc_words)
        if consistent:
            tagged = propagate(doc_words, tagged)
        entities: list[Entity] = []
        for (a, b), tags in zip(doc_groups, tagged, strict=True):
            entities.extend(bio_to_entities(tags, tokens[a:b], a))
        out.append(entities)
    return out


def sentence_groups(tokens: Sequence[Token], sentences: Sequence[Span]) -> list[tuple[int, int]]:
    """Each non-empty sentence's token range (first, one past the last)."""
    starts = [t.start for t in tokens]
    groups: list[tuple[int, int]] = []
    for s in sentences:
        a = bisect.bisect_left(starts, s.start)
        b = bisect.bisect_left(starts, s.end)
        if b > a:
            groups.append((a, b))
    return groups
