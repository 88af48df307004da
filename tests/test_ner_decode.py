"""The NumPy decoder gives exactly the tags crfsuite gives for the same model and features."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd.ner.crf import BASE_MODEL_PATH, MODEL_PATH, CrfTagger
from rasd.ner.decode import CrfModelError, CrfWeights, viterbi
from rasd.text import normalize
from rasd.text.segment import sentences, tokenize
from strategies import news_text

pytestmark = pytest.mark.skipif(not MODEL_PATH.exists(), reason="NER model not built (make train-ner)")


@pytest.fixture(scope="module")
def tagger() -> CrfTagger:
    return CrfTagger(MODEL_PATH).load()


def _sentences(text: str) -> list[list[str]]:
    nt = normalize(text)
    toks = tokenize(nt)
    out = []
    for s in sentences(nt):
        words = [text[t.start : t.end] for t in toks if s.start <= t.start < s.end]
        if words:
            out.append(words)
    return out


def test_weights_are_read_exactly(tagger: CrfTagger) -> None:
    import pycrfsuite

    weights = CrfWeights.load(MODEL_PATH)
    ref = pycrfsuite.Tagger()
    ref.open(str(MODEL_PATH))
    info = ref.info()
    labels = {name: i for i, name in enumerate(weights.labels)}
    assert labels == {name: int(i) for name, i in info.labels.items()}
    assert weights.attributes == {name: int(i) for name, i in info.attributes.items()}
    for (attr, label), w in list(info.state_features.items())[:2000]:
        assert weights.state[weights.attributes[attr], labels[label]] == pytest.approx(w, abs=1e-6)
    for (a, b), w in info.transitions.items():
        assert weights.transitions[labels[a], labels[b]] == pytest.approx(w, abs=1e-6)


def test_a_file_that_is_not_a_model_is_refused(tmp_path) -> None:
    bad = tmp_path / "bad.crfsuite"
    bad.write_bytes(b"not a model at all" * 4)
    with pytest.raises(CrfModelError):
        CrfWeights.load(bad)


@pytest.mark.parametrize("cut", [0.4, 0.9, 0.999])
def test_a_truncated_model_is_refused(tmp_path, cut: float) -> None:
    """Cut inside the features, the label names or the attribute names: an error, never wrong weights."""
    data = MODEL_PATH.read_bytes()
    bad = tmp_path / "cut.crfsuite"
    bad.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(CrfModelError):
        CrfWeights.load(bad)


SENTENCES = [
    "وقال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة للحوار مع واشنطن .",
    "واستقبل الرئيس المصري عبد الفتاح السيسي في القاهرة وفدا من البنك الدولي برئاسة ديفيد مالباس .",
    "ونقلت صحيفة وول ستريت جورنال عن ستة مسؤولين أن المحادثات جرت في جنيف .",
    "أعلنت شركة أرامكو السعودية عن أرباحها .",
    "قصف",
    ".",
]


def test_known_sentences_match_crfsuite(tagger: CrfTagger) -> None:
    sents = [s.split() for s in SENTENCES]
    assert tagger.tag_sentences(sents) == tagger.tag_reference(sents)


def test_the_base_model_matches_crfsuite_too() -> None:
    base = CrfTagger(BASE_MODEL_PATH)
    sents = [s.split() for s in SENTENCES]
    assert base.tag_sentences(sents) == base.tag_reference(sents)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(news_text, min_size=1, max_size=4))
def test_any_text_matches_crfsuite_alone_and_in_a_batch(tagger: CrfTagger, texts: list[str]) -> None:
    docs = [_sentences(t) for t in texts]
    batch = tagger.tag_sentences([s for d in docs for s in d])
    pos = 0
    for d in docs:
        ref = tagger.tag_reference(d)
        assert tagger.tag_sentences(d) == ref
        assert batch[pos : pos + len(d)] == ref
        pos += len(d)


def test_the_word_cache_is_bounded_and_refilled(tagger: CrfTagger, monkeypatch: pytest.MonkeyPatch) -> None:
    import rasd.ner.crf as crf

    monkeypatch.setattr(crf, "_VECTOR_CACHE", 40)
    small = CrfTagger(MODEL_PATH)
    sents = [s.split() for s in SENTENCES]
    for _ in range(3):  # more word types than the cache holds: it is cleared and filled again
        assert small.tag_sentences(sents[:2]) == tagger.tag_reference(sents[:2])
        assert small.tag_sentences(sents[2:]) == tagger.tag_reference(sents[2:])
    assert len(small.scorer._keys) <= 40


def test_a_cleared_cache_gives_the_same_tags(tagger: CrfTagger) -> None:
    """Benchmarks time a cold start with clear_cache: the cold path must tag as the warm one does."""
    sents = [s for text in SENTENCES for s in _sentences(text)]
    warm = tagger.tag_sentences(sents)
    tagger.clear_cache()
    assert tagger.scorer._keys == []
    assert tagger.tag_sentences(sents) == warm == tagger.tag_reference(sents)


@given(st.lists(st.integers(0, 12), min_size=1, max_size=6), st.integers(0, 2**32 - 1))
def test_viterbi_is_the_best_path(lengths: list[int], seed: int) -> None:
    """Against brute force over every labelling of short sentences (3 labels)."""
    import itertools

    rng = np.random.default_rng(seed)
    n_labels = 3
    lengths = [min(n, 5) for n in lengths]
    total = sum(lengths)
    emit = rng.normal(size=(total, n_labels))
    trans = rng.normal(size=(n_labels, n_labels))
    bounds, a = [], 0
    for n in lengths:
        bounds.append((a, a + n))
        a += n
    got = viterbi(emit, trans, bounds)
    for a, b in bounds:
        if b == a:
            continue

        def score(path: tuple[int, ...], a: int = a) -> float:
            s = sum(emit[a + i, y] for i, y in enumerate(path))
            return s + sum(trans[p, q] for p, q in itertools.pairwise(path))

        best = max(itertools.product(range(n_labels), repeat=b - a), key=score)
        assert score(tuple(got[a:b])) == pytest.approx(score(best))
