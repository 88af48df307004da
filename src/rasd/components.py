"""The built-in pipeline components: thin adapters from the NLP modules to the Document.

Each one reads what earlier components left on the document (layers and `doc.values`) and adds its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from rasd.document import Document, Span
from rasd.events import EventExtractor
from rasd.kb import Gazetteer
from rasd.link import link_mentions
from rasd.link.actors import add_local_actors
from rasd.link.credits import split_credits
from rasd.link.local import Entity
from rasd.link.titles import TitleResolver
from rasd.ner.backends import make_tagger, tag_documents
from rasd.pipeline import Batched, ComponentFn, PipelineConfig, component
from rasd.quotes import AttributionFinder, QuoteFinder, quoted_spans, sources_from
from rasd.text import normalize
from rasd.text.segment import sentences, tokenize
from rasd.time import find_dates
from rasd.time.reference import find_dates_undated


@component("normalize", provides=("norm",))
def make_normalize(config: PipelineConfig) -> ComponentFn:
    """Normalise the analysed text once, with its offset map, for every later matcher."""

    def run(doc: Document) -> None:
        doc.values["norm"] = normalize(doc.analysed)

    return run


@component("segment", requires=("norm",), provides=("tokens", "sentences"))
def make_segment(config: PipelineConfig) -> ComponentFn:
    """Tokens and sentences over the normalised text, mapped to original offsets."""

    def run(doc: Document) -> None:
        nt = doc.values["norm"]
        doc.values["tokens"] = tokenize(nt)
        doc.set_layer("sentences", sentences(nt))

    return run


@component("pubdate", provides=("published",))
def make_pubdate(config: PipelineConfig) -> ComponentFn:
    """When the metadata gives no publication date, take the one the article's header states."""
    from rasd.time.pubdate import find_publication_date

    def run(doc: Document) -> None:
        if doc.meta.published:
            return
        found = find_publication_date(doc.analysed)
        if found is None:
            return
        doc.meta = dataclasses.replace(doc.meta, published=found.date.isoformat(), published_basis="stated")
        doc.set_layer("pubdate", [Span(found.start, found.end, "pubdate", {"date": found.date.isoformat()})])

    return run


@component("gazetteer", requires=("tokens",), provides=("matches",))
def make_gazetteer(config: PipelineConfig) -> ComponentFn:
    """Knowledge-base names in the text, through clitics and spelling variants."""
    gaz = Gazetteer(config.knowledge_base())

    def run(doc: Document) -> None:
        doc.values["matches"] = gaz.match(doc.values["tokens"], doc.values["norm"])

    return run


@component("credits", requires=("matches",), provides=("outlet",))
def make_credits(config: PipelineConfig) -> ComponentFn:
    """The outlet named by the header's byline goes to the metadata; bylines and photo/wire credits are not
    actors of the story."""
    kb = config.knowledge_base()

    def run(doc: Document) -> None:
        credits = split_credits(doc.analysed, doc.values["matches"], kb)
        doc.values["matches"] = credits.kept
        doc.set_layer("credits", [Span(m.start, m.end, "credit", {"actor": m.actor_ids[0]}) for m in credits.dropped])
        if credits.outlet and not doc.meta.outlet:
            doc.meta = dataclasses.replace(doc.meta, outlet=credits.outlet)

    return run


@component("ner", requires=("tokens", "sentences"), provides=("entities",))
def make_ner(config: PipelineConfig) -> ComponentFn:
    """Named entities from the statistical tagger (or a transformers model), for actors the KB lacks."""
    tagger = make_tagger(config.ner)

    def run(doc: Document) -> None:
        run_batch([doc])

    def run_batch(docs: Sequence[Document]) -> None:
        if tagger is None:
            found: list[list[Entity]] = [[] for _ in docs]
        else:
            found = tag_documents(
                tagger, [(doc.analysed, doc.values["tokens"], doc.layer("sentences")) for doc in docs]
            )
        for doc, entities in zip(docs, found, strict=True):
            doc.values["entities"] = entities

    return Batched(run, run_batch)


def published_date(doc: Document) -> dt.date | None:
    if not doc.meta.published:
        return None
    try:
        return dt.date.fromisoformat(doc.meta.published[:10])
    except ValueError:
        return None


@component("link", requires=("matches",), provides=("actors", "mentions"))
def make_link(config: PipelineConfig) -> ComponentFn:
    """Matches become the article's actors, each with its mentions and its role on the publication date."""
    kb = config.knowledge_base()
    titles = TitleResolver(kb)

    def run(doc: Document) -> None:
        day = published_date(doc)
        found = titles.find(doc.values["tokens"], doc.values["matches"], doc.values["norm"].to_orig, day)
        actors, spans = link_mentions(doc.values["matches"], kb, day, found)
        add_local_actors(actors, spans, doc.analysed, doc.values.get("entities", []), doc.layer("credits"))
        doc.values["actors"] = actors
        doc.set_layer("mentions", spans)

    return run


def _attributions(doc: Document) -> tuple[AttributionFinder, list]:
    if "attributions" not in doc.values:
        kinds = {a.key: a.kind for a in doc.values["actors"]}
        finder = AttributionFinder(doc.analysed, doc.values["tokens"], doc.layer("mentions"), kinds)
        doc.values["attribution_finder"] = finder
        doc.values["attributions"] = finder.find_all(quoted_spans(doc.analysed))
    return doc.values["attribution_finder"], doc.values["attributions"]


@component("sources", requires=("actors", "sentences"), provides=("attributions", "sources"))
def make_sources(config: PipelineConfig) -> ComponentFn:
    """Who the article cites: media, official bodies, named people, unnamed officials (with counts)."""

    def run(doc: Document) -> None:
        _, atts = _attributions(doc)
        kinds = {a.key: a.kind for a in doc.values["actors"]}
        doc.values["sources"] = sources_from(atts, kinds)

    return run


@component("quotes", requires=("attributions", "sentences"), provides=("quotes",))
def make_quotes(config: PipelineConfig) -> ComponentFn:
    """Direct quotes with their speakers."""

    def run(doc: Document) -> None:
        finder, atts = _attributions(doc)
        kinds = {a.key: a.kind for a in doc.values["actors"]}
        qf = QuoteFinder(doc.analysed, doc.values["tokens"], doc.layer("sentences"), atts, finder, kinds)
        quotes = qf.find()
        doc.values["quotes"] = quotes
        doc.set_layer(
            "quotes",
            [Span(q.start, q.end, "quote", {"speaker": q.speaker, "speaker_text": q.speaker_text}) for q in quotes],
        )

    return run


@component("dates", requires=("norm",), provides=("dates",))
def make_dates(config: PipelineConfig) -> ComponentFn:
    """Date expressions resolved against the publication date, or against the year an undated article names."""

    def run(doc: Document) -> None:
        ref = published_date(doc)
        if ref is not None:
            doc.values["dates"] = find_dates(doc.analysed, ref, doc.values["norm"])
        else:
            doc.values["dates"], doc.values["reference_year"] = find_dates_undated(doc.analysed, doc.values["norm"])

    return run


@component("events", requires=("attributions", "dates"), provides=("events",))
def make_events(config: PipelineConfig) -> ComponentFn:
    """PLOVER events with their status, date, location and sources."""

    kb = config.knowledge_base()

    def is_place(key: str) -> bool:
        a = kb.get(key)
        return a is not None and (a.kind == "loc" or (a.kind == "gpe" and a.country is not None))

    def run(doc: Document) -> None:
        _, atts = _attributions(doc)
        kinds = {a.key: a.kind for a in doc.values["actors"]}
        places = frozenset(a.key for a in doc.values["actors"] if is_place(a.key))
        ex = EventExtractor(
            doc.analysed, doc.values["tokens"], doc.layer("sentences"), doc.layer("mentions"), kinds,
            doc.values["dates"], atts, places,
        )  # fmt: skip
        doc.values["events"] = ex.extract()

    return run
