"""A small registry of named components and the pipeline that runs them in order.

A component is a factory `(config) -> (doc) -> None` registered with what it requires and what it provides
(layer or value names). `Pipeline(names)` checks the order when it is built, so a misordered pipeline fails
at once with a message that says which component to add first, not halfway through a corpus.

`Pipeline.run_batch(docs)` runs each component over a batch of documents before the next one (as spaCy's
`nlp.pipe`). A component that gains from seeing many documents at once (the tagger decodes all their
sentences together) offers a `run_batch` method (see `Batched`); the others run one document at a time. A
document that makes a component fail is set aside with its error; the rest of the batch goes on.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rasd.document import DocMeta, Document
from rasd.kb.model import KnowledgeBase, load_kb

ComponentFn = Callable[[Document], None]
BATCH_SIZE = 32  # documents analysed together by `run_batch` callers: enough to share the tagger's work
BatchFn = Callable[[Sequence[Document]], None]


@dataclass(frozen=True)
class Batched:
    """A component with a batch form: `many(docs)` must leave each document as `one(doc)` would.

    If `many` raises, the pipeline reruns the component one document at a time to find the one that fails,
    so `many` must write its results only once it has them all (or write what `one` would overwrite)."""

    one: ComponentFn
    many: BatchFn

    def __call__(self, doc: Document) -> None:
        self.one(doc)

    def run_batch(self, docs: Sequence[Document]) -> None:
        self.many(docs)


@dataclass(frozen=True)
class PipelineConfig:
    """Options shared by all components (one object, as in trafilatura)."""

    kb_paths: tuple[str, ...] = ()  # the user's knowledge-base files, added to the shipped one
    kb: KnowledgeBase | None = None  # a ready knowledge base (tests, embedding applications)
    ner: str = "crf"  # "crf" (shipped model), "transformers:PATH" or "none"

    def knowledge_base(self) -> KnowledgeBase:
        return self.kb if self.kb is not None else load_kb(self.kb_paths)


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    factory: Callable[[PipelineConfig], ComponentFn]
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    doc: str = ""


class PipelineError(ValueError):
    """The pipeline cannot be built as asked."""


REGISTRY: dict[str, ComponentSpec] = {}


def component(
    name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()
) -> Callable[[Callable[[PipelineConfig], ComponentFn]], Callable[[PipelineConfig], ComponentFn]]:
    """Register a component factory under `name`."""

    def deco(factory: Callable[[PipelineConfig], ComponentFn]) -> Callable[[PipelineConfig], ComponentFn]:
        REGISTRY[name] = ComponentSpec(name, factory, tuple(requires), tuple(provides), factory.__doc__ or "")
        return factory

    return deco


@dataclass
class Pipeline:
    """Run registered components over documents, in order, timing each."""

    names: Sequence[str]
    config: PipelineConfig = field(default_factory=PipelineConfig)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import rasd.components  # noqa: F401  (registers the built-in components)

        provided: set[str] = set()
        self._steps: list[tuple[str, ComponentFn]] = []
        for name in self.names:
            spec = REGISTRY.get(name)
            if spec is None:
                raise PipelineError(f"unknown component {name!r}; known: {', '.join(sorted(REGISTRY))}")
            missing = [r for r in spec.requires if r not in provided]
            if missing:
                makers = sorted({s.name for s in REGISTRY.values() for m in missing if m in s.provides})
                raise PipelineError(
                    f"component {name!r} needs {missing} first; add {makers or 'a component providing them'} before it"
                )
            provided.update(spec.provides)
            self._steps.append((name, spec.factory(self.config)))
            self.timings.setdefault(name, 0.0)

    def __call__(self, doc: Document) -> Document:
        return self.run(doc)

    def run(self, doc: Document) -> Document:
        for name, fn in self._steps:
            t0 = time.perf_counter()
            fn(doc)
            self.timings[name] += time.perf_counter() - t0
        return doc

    def warm_up(self, freeze: bool = False) -> None:
        """Load every model and table now, by analysing a short article (a server's first request, or a
        benchmark's timing, should not pay for it); the timings are left as they were.

        `freeze`: then move everything alive to the garbage collector's permanent generation
        (`gc.freeze`). The knowledge base and the models are millions of objects that live as long as
        the process; without this every full collection walks them all (about a tenth of a long run)."""
        saved = dict(self.timings)
        text = "قال وزير الخارجية الروسي سيرغي لافروف يوم الاثنين إن المحادثات مع واشنطن ستستأنف في جنيف."
        self.run(Document(text, DocMeta(id="warm-up", published="2024-01-15")))
        self.timings.update(saved)
        if freeze:
            gc.freeze()

    def run_batch(self, docs: Sequence[Document]) -> list[Exception | None]:
        """Run the pipeline over several documents; each one's error (None when it went through).

        The documents end as `run` would leave them, one by one; a failing document stops there and the
        others go on."""
        errors: list[Exception | None] = [None] * len(docs)
        for name, fn in self._steps:
            t0 = time.perf_counter()
            alive = [i for i, e in enumerate(errors) if e is None]
            many = fn.run_batch if isinstance(fn, Batched) else None
            done = False
            if many is not None and len(alive) > 1:
                try:
                    many([docs[i] for i in alive])
                    done = True
                except Exception:  # one document broke the batch: find it below, one at a time
                    done = False
            if not done:
                for i in alive:
                    try:
                        fn(docs[i])
                    except Exception as e:
                        errors[i] = e
            self.timings[name] += time.perf_counter() - t0
        return errors


DEFAULT_COMPONENTS: tuple[str, ...] = (
    "normalize",
    "segment",
    "pubdate",
    "gazetteer",
    "credits",
    "ner",
    "link",
    "sources",
    "quotes",
    "dates",
    "events",
)


def default_pipeline(config: PipelineConfig | None = None) -> Pipeline:
    return Pipeline(DEFAULT_COMPONENTS, config or PipelineConfig())
