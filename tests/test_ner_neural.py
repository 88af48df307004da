"""The numpy BiLSTM-CRF: same maths as PyTorch's LSTM, sensible tags from the shipped models, the union."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from rasd.ner.backends import UnionTagger, VoteTagger, make_tagger, union_tags, vote_tags
from rasd.ner.neural import NeuralTagger, shipped_models, viterbi, vocab_path

TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def _random_model(path: Path, seed: int, features: list[str], words: list[str], dim: int = 6, hidden: int = 5) -> dict:
    rng = np.random.default_rng(seed)
    n_in = dim + 4
    vectors = path.parent / "word_vectors.npz"
    if not vectors.exists():  # shared by the models of one folder, as the shipped ones are
        vec = rng.integers(-127, 128, (len(words), 4)).astype(np.int8)
        np.savez(vectors, vec=vec, vec_scale=np.full(len(words), 0.01, np.float16))
        with gzip.open(vectors.with_suffix(".words.gz"), "wt", encoding="utf-8") as f:
            f.write("\n".join(words))
    w = {
        "bag": rng.integers(-127, 128, (len(features), dim)).astype(np.int8),
        "bag_scale": np.full(len(features), 0.01, np.float16),
        "w_out": rng.normal(size=(len(TAGS), 2 * hidden)).astype(np.float32),
        "b_out": rng.normal(size=len(TAGS)).astype(np.float32),
        "trans": rng.normal(size=(len(TAGS), len(TAGS))).astype(np.float32),
        "start": rng.normal(size=len(TAGS)).astype(np.float32),
        "end": rng.normal(size=len(TAGS)).astype(np.float32),
    }
    for d in ("f", "b"):
        w[f"w_ih_{d}"] = rng.normal(size=(4 * hidden, n_in)).astype(np.float32)
        w[f"w_hh_{d}"] = rng.normal(size=(4 * hidden, hidden)).astype(np.float32)
        w[f"bias_{d}"] = rng.normal(size=4 * hidden).astype(np.float32)
    np.savez(path, **w)
    meta = {"tags": TAGS, "features": features, "vectors": vectors.name, "feature_config": {"gazetteer": False}}
    with gzip.open(vocab_path(path), "wt", encoding="utf-8") as f:
        json.dump(meta, f)
    return w


def test_numpy_lstm_matches_pytorch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    features = ["b", "w=قال", "w=بوتين", "sh=A"]
    w = _random_model(tmp_path / "m.npz", 0, features, ["قال", "بوتين"])
    tagger = NeuralTagger(tmp_path / "m.npz").load()
    model = tagger.models[0]
    x = np.random.default_rng(1).normal(size=(3, 7, model.dim + 4)).astype(np.float32)
    lstm = torch.nn.LSTM(model.dim + 4, model.hidden, batch_first=True, bidirectional=True)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(w["w_ih_f"]))
        lstm.weight_hh_l0.copy_(torch.tensor(w["w_hh_f"]))
        lstm.bias_ih_l0.copy_(torch.tensor(w["bias_f"]))
        lstm.bias_hh_l0.zero_()
        lstm.weight_ih_l0_reverse.copy_(torch.tensor(w["w_ih_b"]))
        lstm.weight_hh_l0_reverse.copy_(torch.tensor(w["w_hh_b"]))
        lstm.bias_ih_l0_reverse.copy_(torch.tensor(w["bias_b"]))
        lstm.bias_hh_l0_reverse.zero_()
        ref = lstm(torch.tensor(x))[0].numpy()
    forward = model.lstm(x, "f")
    backward = model.lstm(x[:, ::-1].copy(), "b")[:, ::-1]
    np.testing.assert_allclose(np.concatenate([forward, backward], axis=2), ref, atol=1e-5)


def test_viterbi_finds_the_best_path_by_brute_force() -> None:
    import itertools

    rng = np.random.default_rng(3)
    em, trans, start, end = rng.normal(size=(4, 3)), rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)

    def total(path: tuple[int, ...]) -> float:
        s = start[path[0]] + em[0, path[0]] + end[path[-1]]
        return s + sum(trans[a, b] + em[i + 1, b] for i, (a, b) in enumerate(itertools.pairwise(path)))

    best = max(itertools.product(range(3), repeat=4), key=total)
    assert tuple(viterbi(em, trans, start, end)) == best


def test_several_models_are_averaged_and_batches_match_single_sentences(tmp_path: Path) -> None:
    features = ["b", "w=قال", "w=بوتين", "w=موسكو"]
    for seed in (1, 2):
        _random_model(tmp_path / f"m{seed}.npz", seed, features, ["قال", "بوتين", "موسكو"])
    both = NeuralTagger([tmp_path / "m1.npz", tmp_path / "m2.npz"])
    sents = [["قال", "بوتين", "في", "موسكو"], ["بوتين"], [], ["قال", "x", "y", "z", "w", "بوتين"]]
    batched = both.tag_sentences(sents, batch=2)
    assert batched == [both.tag(s) if s else [] for s in sents]
    assert [len(t) for t in batched] == [len(s) for s in sents]
    one = NeuralTagger(tmp_path / "m1.npz").tag_sentences(sents)
    assert all(t in TAGS for s in one for t in s)


def test_union_keeps_the_first_and_adds_what_it_missed() -> None:
    first = ["B-PERS", "I-PERS", "O", "O", "O", "O"]
    second = ["B-ORG", "O", "O", "B-LOC", "I-LOC", "O"]
    assert union_tags(first, second) == ["B-PERS", "I-PERS", "O", "B-LOC", "I-LOC", "O"]
    assert union_tags(["O", "B-LOC"], ["B-ORG", "I-ORG"]) == ["O", "B-LOC"]  # overlaps are the first's


def test_vote_keeps_what_two_agree_on_and_fills_from_the_union() -> None:
    crf = ["B-PERS", "I-PERS", "O", "B-ORG", "O", "O"]
    base = ["B-PERS", "I-PERS", "O", "O", "O", "O"]
    nn = ["B-LOC", "I-LOC", "O", "B-LOC", "O", "B-MISC"]
    # PERS agreed by two wins over the BiLSTM's LOC; the CRF's ORG and the BiLSTM's MISC come from the union.
    assert vote_tags([crf, base, nn], union_tags(crf, nn)) == ["B-PERS", "I-PERS", "O", "B-ORG", "O", "B-MISC"]
    # Two against the first: the majority's type stands.
    assert vote_tags([["B-ORG"], ["B-LOC"], ["B-LOC"]], ["B-ORG"]) == ["B-LOC"]


@pytest.mark.skipif(not shipped_models(), reason="neural NER models not built (make train-ner)")
def test_shipped_models_find_obvious_names() -> None:
    tagger = make_tagger("crf+bilstm")
    assert isinstance(tagger, UnionTagger)
    toks = "وقال الرئيس الأمريكي جورج بوش إن بلاده ستواصل دعم العراق .".split()
    ensemble = make_tagger("ensemble")
    assert isinstance(ensemble, VoteTagger) and len(ensemble.taggers) == 3
    for t in (tagger, NeuralTagger.default(), ensemble):
        tags = t.tag_sentences([toks])[0]
        assert tags[3:5] == ["B-PERS", "I-PERS"] and tags[9] == "B-LOC"
