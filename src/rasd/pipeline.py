"""A small registry of named components and the pipeline that runs them in order.

A component is a factory `(config) -> (doc) -> None` registered with what it requires and what it provides
(layer or value names). `Pipeline(names)` checks the order when it is built, so a misordered pipeline fails
at once with a message that says which component to add first, not halfway through a corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rasd.document import Document
from rasd.kb.model import KnowledgeBase, load_kb

ComponentFn = Callable[[Document], None]


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
