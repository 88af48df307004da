"""Training and scoring of the CRF tagger (training needs python-crfsuite only; tagging reuses the features).

The dev split is the tail of the training file, so tuning never looks at the test file.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rasd.ner.bio import spans
from rasd.ner.clusters import LEX_TYPES, read_lexicon, vec_key
from rasd.ner.conll import read_conll
from rasd.ner.crf import MODEL_PATH, meta_path
from rasd.ner.features import FeatureConfig, FeatureExtractor

Sentence = tuple[list[str], list[str]]


@dataclass(slots=True)
class TrainParams:
    """crfsuite L-BFGS settings; `possible_transitions` adds weights for tag bigrams unseen in training."""

    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 300
    min_freq: float = 0.0
    possible_transitions: bool = True
    possible_states: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def crfsuite(self) -> dict[str, Any]:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.max_iterations,
            "feature.minfreq": self.min_freq,
            "feature.possible_transitions": self.possible_transitions,
            "feature.possible_states": self.possible_states,
            **self.extra,
        }


def split_dev(
    sents: Sequence[Sentence], frac: float, block: int | None = None
) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev): by default the last `frac` of the sentences are held out for tuning.

    `block` picks another contiguous slice of that size (0 = the first), for cross-validated tuning.
    """
    size = round(len(sents) * frac)
    start = len(sents) - size if block is None else min(block * size, len(sents) - size)
    return list(sents[:start]) + list(sents[start + size :]), list(sents[start : start + size])


def train(
    sents: Sequence[Sentence],
    model_path: Path = MODEL_PATH,
    params: TrainParams | None = None,
    extractor: FeatureExtractor | None = None,
    verbose: bool = False,
    parts: Sequence[tuple[Sequence[Sentence], FeatureExtractor]] = (),
) -> dict[str, Any]:
    """Train a model on tagged sentences, write it and its feature-config sidecar; return the metadata.

    `parts` replaces `sents` when groups of sentences need different extractors (cross-fitted lexicons).
    """
    import pycrfsuite

    params = params or TrainParams()
    ex = extractor or FeatureExtractor()
    groups = list(parts) or [(sents, ex)]
    t0 = time.time()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=verbose)
    n_sents = n_toks = 0
    for group, gex in groups:
        for toks, tags in group:
            if toks:
                trainer.append(gex.sentence(toks), tags)
                n_sents += 1
                n_toks += len(toks)
    trainer.set_params(params.crfsuite())
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    meta = {
        "features": groups[0][1].config.as_dict(),
        "params": params.crfsuite(),
        "sentences": n_sents,
        "tokens": n_toks,
        "train_seconds": round(time.time() - t0, 1),
    }
    meta_path(model_path).write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans under conlleval rules (`rasd.ner.bio`), as a set for scoring."""
    return set(spans(tags))


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, tuple[float, float, float]]:
    """Per-type and overall ("ALL") entity precision, recall and F1 in percent, as score_conll.py computes them."""
    g = chunks([t for s in gold for t in s])
    s = chunks([t for p in pred for t in p])
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for c in s:
        (tp if c in g else fp)[c[2]] += 1
    for c in g - s:
        fn[c[2]] += 1

    def prf(a: int, b: int, c: int) -> tuple[float, float, float]:
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        return 100 * p, 100 * r, 100 * (2 * p * r / (p + r) if p + r else 0.0)

    out = {k: prf(tp[k], fp[k], fn[k]) for k in sorted({k for *_, k in g | s})}
    out["ALL"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def evaluate(model_path: Path, sents: Sequence[Sentence], extractor: FeatureExtractor) -> dict[str, Any]:
    """Tag `sents` with a trained model and score against their gold tags."""
    from rasd.ner.crf import CrfTagger

    tagger = CrfTagger(model_path, extractor)
    pred = tagger.tag_sentences([t for t, _ in sents])
    return score([g for _, g in sents], pred)


def load_sentences(path: Path) -> list[Sentence]:
    return [(t, g) for t, g in read_conll(path) if t]


SHARED_CORPORA = ("corpora/ant_multisource_2018.jsonl.gz", "corpora/saudinewsnet_2015.jsonl.gz")
_SENT_END = frozenset(".!?؟")


def corpus_paragraphs(paths: Sequence[Path], every: int = 1) -> Iterator[list[str]]:
    """Normalised token lists of the paragraphs of every `every`-th article (JSON lines with a "text")."""
    from rasd.text import normalize
    from rasd.text.segment import tokenize

    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i % every:
                    continue
                text = json.loads(line).get("text") or ""
                for para in text.split("\n"):
                    toks = [t.norm for t in tokenize(normalize(para))]
                    if len(toks) > 1:
                        yield toks


def corpus_sentences(paths: Sequence[Path], every: int) -> list[list[str]]:
    """Unlabelled sentences: paragraphs cut after full stops, as ANERcorp's sentences are."""
    out: list[list[str]] = []
    for toks in corpus_paragraphs(paths, every):
        start = 0
        for i, t in enumerate(toks):
            if t in _SENT_END and i + 1 - start > 1:
                out.append(toks[start : i + 1])
                start = i + 1
        if len(toks) - start > 1:
            out.append(toks[start:])
    return out


def _count_tags(args: tuple[Path, dict[str, Any], Path | None, list[list[str]]]) -> dict[str, list[int]]:
    """Worker: tag sentences and count, per word, occurrences, entity types and entity-initial positions."""
    from rasd.ner.crf import CrfTagger
    from rasd.ner.features import FeatureConfig

    model, config, lexicon, sents = args
    ex = FeatureExtractor(FeatureConfig(**config), lexicon=read_lexicon(lexicon) if lexicon else None)
    tagger = CrfTagger(model, ex)
    clusters = ex.clusters
    counts: dict[str, list[int]] = {}
    types = {t: i for i, t in enumerate(LEX_TYPES)}
    for toks in sents:
        tags = tagger.tag(toks)
        for tok, tag in zip(toks, tags, strict=True):
            key = vec_key(tok)
            keys = {key, clusters.bare(key)} if clusters.counts else {key}
            for k in keys:
                row = counts.get(k)
                if row is None:
                    row = counts[k] = [0, 0, 0, 0, 0, 0]
                row[0] += 1
                if tag != "O":
                    row[1 + types[tag[2:]]] += 1
                    if tag[0] == "B":
                        row[5] += 1
    return counts


def build_lexicon(
    model: Path,
    config: dict[str, Any],
    sents: Sequence[list[str]],
    out: Path,
    workers: int = 2,
    min_count: int = 3,
    lexicon: Path | None = None,
) -> int:
    """Tag unlabelled sentences with a first-pass model and write each word's tag counts (self-training).

    How a word is tagged across thousands of sentences is evidence a single sentence lacks: a name seen
    once in a test sentence was usually seen in clearer contexts in the news corpora. Returns the row count.
    """
    from multiprocessing import get_context

    chunks_ = [list(sents[i::workers]) for i in range(workers)]
    with get_context("fork").Pool(workers) as pool:
        parts = pool.map(_count_tags, [(model, config, lexicon, c) for c in chunks_])
    total: dict[str, list[int]] = {}
    for part in parts:
        for k, row in part.items():
            t = total.setdefault(k, [0] * 6)
            for i, v in enumerate(row):
                t[i] += v
    rows = sorted((k, r) for k, r in total.items() if r[0] >= min_count and "\t" not in k)
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as gz:
        gz.write(("\t".join(["word", "n", *LEX_TYPES, "begins"]) + "\n").encode())
        for k, r in rows:
            gz.write(("\t".join([k, *map(str, r)]) + "\n").encode())
    return len(rows)


def train_two_stage(
    sents: Sequence[Sentence],
    model_path: Path,
    lexicon_path: Path,
    corpus: Sequence[list[str]],
    params: TrainParams,
    config: FeatureConfig,
    work: Path,
    folds: int = 0,
    workers: int = 2,
    log: Callable[[str], None] = print,
    rounds: int = 1,
) -> tuple[dict[str, Any], FeatureExtractor]:
    """Self-training: a first model tags the unlabelled corpus, the final model adds those tag counts as features.

    With `folds` >= 2 the training sentences get their lexicon from a first model that did not see them,
    so the final model learns how far to trust the lexicon on words it has not been taught.
    Returns the metadata and the extractor to tag with.
    """
    cfg1 = replace(config, lexicon=False)
    cfg2 = replace(config, lexicon=True)
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    model, model_cfg, model_lex = work / "stage1.crfsuite", cfg1, None
    train(sents, model, params, FeatureExtractor(cfg1))
    log(f"stage 1 trained ({time.time() - t0:.0f}s)")
    for r in range(rounds):
        lp = lexicon_path if r == rounds - 1 else work / f"lexicon_round{r}.tsv.gz"
        n = build_lexicon(model, model_cfg.as_dict(), corpus, lp, workers, lexicon=model_lex)
        log(f"lexicon {r}: {n:,} words from {sum(map(len, corpus)):,} tokens ({time.time() - t0:.0f}s)")
        if r < rounds - 1:
            model, model_cfg, model_lex = work / f"stage{r + 2}.crfsuite", cfg2, lp
            train(sents, model, params, FeatureExtractor(cfg2, lexicon=read_lexicon(lp)))
            log(f"stage {r + 2} trained ({time.time() - t0:.0f}s)")
    final_ex = FeatureExtractor(cfg2, lexicon=read_lexicon(lexicon_path))
    parts: list[tuple[Sequence[Sentence], FeatureExtractor]] = []
    if folds >= 2 and rounds == 1:
        size = -(-len(sents) // folds)
        for f in range(folds):
            held = list(sents[f * size : (f + 1) * size])
            rest = list(sents[: f * size]) + list(sents[(f + 1) * size :])
            mf, lf = work / f"stage1_fold{f}.crfsuite", work / f"lexicon_fold{f}.tsv.gz"
            train(rest, mf, params, FeatureExtractor(cfg1))
            build_lexicon(mf, cfg1.as_dict(), corpus, lf, workers)
            parts.append((held, FeatureExtractor(cfg2, lexicon=read_lexicon(lf))))
            log(f"fold {f} lexicon ({time.time() - t0:.0f}s)")
    meta = train(sents, model_path, params, final_ex, parts=parts)
    log(f"final model trained ({time.time() - t0:.0f}s)")
    return meta, final_ex
