"""Train the neural NER tagger (BiLSTM-CRF over the CRF's word features and word2vec vectors) on ANERcorp.

Training needs PyTorch and gensim (`pip install -e '.[train]'` plus torch) and the word vectors that
`scripts/build_clusters.py` leaves in build/ner/vectors.kv. The result is a numpy file the package tags with
alone (src/rasd/ner/neural.py): word vectors are cut to the words the corpora use often, reduced with PCA
and stored as int8 with a scale per row, like the feature embeddings, which keeps the model small.

`--dev-only` trains on the first 90% of the training sentences and scores the last 10% (for tuning).
Usage: .venv/bin/python scripts/train_ner_nn.py [--epochs 20] [--dev-only] [--lexicon]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from rasd.ner.clusters import read_lexicon, vec_key
from rasd.ner.features import FeatureConfig, FeatureExtractor
from rasd.ner.neural import NEURAL_PATH, VECTORS_NAME, NeuralTagger, gazetteer_features, token_features, vocab_path
from rasd.ner.train import load_sentences, score, split_dev
from rasd.text.normalize import normalize_text

REPO = Path(__file__).resolve().parents[1]
TRAIN = "data/ner/anercorp/ANERCorp_CamelLab_train.txt"
TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def quantize(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with a float16 scale each (symmetric): 4x smaller, error well below the training noise."""
    scale = np.abs(m).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(m / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float16)


def write_vectors(path: Path, words: list[str], vectors: np.ndarray) -> None:
    """The frozen word vectors, shared by the models of every seed: int8 rows and a word list beside them."""
    q, s = quantize(vectors)
    np.savez_compressed(path, vec=q, vec_scale=s)
    with gzip.GzipFile(path.with_suffix(".words.gz"), "wb", mtime=0) as gz:
        gz.write("\n".join(words).encode("utf-8"))


def word_vectors(work: Path, min_count: int, dim: int) -> tuple[list[str], np.ndarray]:
    """Frequent words' vectors, unit length, PCA-reduced to `dim` and int8-rounded (as the model will see them)."""
    from gensim.models import KeyedVectors

    wv = KeyedVectors.load(str(work / "vectors.kv"))
    counts: dict[str, int] = {}
    with (work / "counts.tsv").open(encoding="utf-8") as f:
        for line in f:
            w, _, n = line.rstrip("\n").rpartition("\t")
            counts[w] = int(n)
    # Bare (clitic-free) forms have no surface count of their own: keep them when word2vec kept them often.
    words = [w for w in wv.index_to_key if counts.get(w, 0) >= min_count or wv.get_vecattr(w, "count") >= 2 * min_count]
    m = np.asarray([wv[w] for w in words], dtype=np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-9
    m -= m.mean(0)
    _, _, vt = np.linalg.svd(m[:: max(1, len(m) // 50_000)], full_matrices=False)
    red = m @ vt[:dim].T
    red /= np.abs(red).max()
    q, s = quantize(red)
    return words, q.astype(np.float32) * s.astype(np.float32)[:, None]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--work", type=Path, default=REPO / "build" / "ner")
    ap.add_argument("--out", type=Path, default=NEURAL_PATH)
    ap.add_argument("--dev-only", action="store_true")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--dim", type=int, default=64, help="feature embedding size")
    ap.add_argument("--vec-dim", type=int, default=64)
    ap.add_argument("--vec-min", type=int, default=20, help="corpus count a word needs to keep its vector")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--drop", type=float, default=0.5)
    ap.add_argument("--fdrop", type=float, default=0.1, help="feature dropout")
    ap.add_argument("--wdrop", type=float, default=0.25, help="extra dropout of word-identity features")
    ap.add_argument("--min-count", type=int, default=2, help="training count a feature needs")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lexicon", action="store_true", help="use the self-trained lexicon features")
    ap.add_argument("--lexicon-file", type=Path, help="another lexicon than the shipped one (dev experiments)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    import torch
    from torch import nn

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    sents = load_sentences(args.shared / TRAIN)
    train, dev = split_dev(sents, 0.1) if args.dev_only else (sents, [])
    config = FeatureConfig(lexicon=args.lexicon)
    ex = FeatureExtractor(config, lexicon=read_lexicon(args.lexicon_file) if args.lexicon_file else None)

    def feats(tokens: list[str]) -> list[list[str]]:
        owns, gaz = token_features(ex, tokens)
        return [own + gazetteer_features(g) for own, g in zip(owns, gaz, strict=True)]

    train_feats = [feats(t) for t, _ in train]
    counts = Counter(f for s in train_feats for fs in s for f in fs)
    feature_list = sorted(f for f, c in counts.items() if c >= args.min_count)
    fid = {f: i for i, f in enumerate(feature_list)}
    words, vectors = word_vectors(args.work, args.vec_min, args.vec_dim)
    wid = {w: i + 1 for i, w in enumerate(words)}
    vec_table = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), vectors])
    print(f"{len(feature_list):,} features, {len(words):,} word vectors ({time.time() - t0:.0f}s)", file=sys.stderr)

    def vector_id(token: str) -> int:
        key = vec_key(normalize_text(token) or token)
        i = wid.get(key)
        if i is None:
            i = wid.get(ex.clusters.bare(key), 0) if ex.clusters.counts else 0
        return i

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bag = nn.EmbeddingBag(len(feature_list), args.dim, mode="sum")
            self.vec = nn.Embedding.from_pretrained(torch.tensor(vec_table), freeze=True)
            self.drop = nn.Dropout(args.drop)
            self.lstm = nn.LSTM(args.dim + vec_table.shape[1], args.hidden, bidirectional=True, batch_first=True)
            self.out = nn.Linear(2 * args.hidden, len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))

        def forward(self, flat, offsets, vids, b, t):  # type: ignore[no-untyped-def]
            x = torch.cat([self.bag(flat, offsets), self.vec(vids)], dim=1).view(b, t, -1)
            h, _ = self.lstm(self.drop(x))
            return self.out(self.drop(h))

        def nll(self, em, tags, mask):  # type: ignore[no-untyped-def]
            """CRF negative log-likelihood (forward algorithm) summed over the batch."""
            steps = em.shape[1]
            gold = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            alpha = self.start + em[:, 0]
            for t in range(1, steps):
                m = mask[:, t]
                step = self.trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
                gold = gold + step * m
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0), dim=1) + em[:, t]
                alpha = torch.where(m.unsqueeze(1), nxt, alpha)
            last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
            gold = gold + self.end[last]
            return (torch.logsumexp(alpha + self.end, dim=1) - gold).sum()

    def batch(items: list[tuple[list[list[int]], list[int], list[str]]]):  # type: ignore[no-untyped-def]
        b, t = len(items), max(len(v) for _, v, _ in items)
        flat: list[int] = []
        offsets: list[int] = []
        vids: list[int] = []
        tags = torch.zeros(b, t, dtype=torch.long)
        mask = torch.zeros(b, t, dtype=torch.bool)
        for k, (ids, vs, tg) in enumerate(items):
            for j in range(t):
                offsets.append(len(flat))
                if j < len(ids):
                    flat.extend(ids[j])
                vids.append(vs[j] if j < len(vs) else 0)
            tags[k, : len(tg)] = torch.tensor([TAGS.index(x) if x in TAGS else 0 for x in tg])
            mask[k, : len(ids)] = True
        return torch.tensor(flat), torch.tensor(offsets), torch.tensor(vids), b, t, tags, mask

    train_vids = [[vector_id(w) for w in toks] for toks, _ in train]

    def encode(k: int) -> list[list[int]]:
        out = []
        for fs in train_feats[k]:
            row = []
            for f in fs:
                j = fid.get(f)
                r = random.random()
                if j is None or r < args.fdrop or (r < args.wdrop and f.startswith(("w=", "bare="))):
                    continue
                row.append(j)
            out.append(row)
        return out

    net = Net()
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=args.lr)
    order = list(range(len(train)))
    for epoch in range(args.epochs):
        random.shuffle(order)
        net.train()
        total = 0.0
        for a in range(0, len(order), args.batch * 20):
            block = sorted(order[a : a + args.batch * 20], key=lambda k: len(train[k][0]))
            for s in range(0, len(block), args.batch):
                idx = block[s : s + args.batch]
                flat, offsets, vids, b, t, tags, mask = batch([(encode(k), train_vids[k], train[k][1]) for k in idx])
                loss = net.nll(net(flat, offsets, vids, b, t), tags, mask) / b
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 5.0)
                opt.step()
                total += loss.item()
        print(f"epoch {epoch} loss {total:.0f} ({time.time() - t0:.0f}s)", file=sys.stderr)

    # Export: everything the numpy tagger needs, embeddings as int8 rows.
    state = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    bag_q, bag_s = quantize(state["bag.weight"])
    tag = "_lex" if args.lexicon else ""
    out = args.out if not args.dev_only else args.work / f"dev_bilstm{tag}_s{args.seed}.npz"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_vectors(out.parent / VECTORS_NAME, words, vectors)
    np.savez_compressed(
        out,
        bag=bag_q,
        bag_scale=bag_s,
        w_ih_f=state["lstm.weight_ih_l0"],
        w_hh_f=state["lstm.weight_hh_l0"],
        bias_f=state["lstm.bias_ih_l0"] + state["lstm.bias_hh_l0"],
        w_ih_b=state["lstm.weight_ih_l0_reverse"],
        w_hh_b=state["lstm.weight_hh_l0_reverse"],
        bias_b=state["lstm.bias_ih_l0_reverse"] + state["lstm.bias_hh_l0_reverse"],
        w_out=state["out.weight"],
        b_out=state["out.bias"],
        trans=state["trans"],
        start=state["start"],
        end=state["end"],
    )
    meta = {
        "tags": TAGS,
        "features": feature_list,
        "vectors": VECTORS_NAME,
        "feature_config": config.as_dict(),
        "train": {k: v for k, v in vars(args).items() if k not in ("shared", "work", "out", "lexicon_file")},
        "sentences": len(train),
        "tokens": sum(len(t) for t, _ in train),
    }
    with gzip.GzipFile(vocab_path(out), "wb", mtime=0) as gz:
        gz.write(json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    size = (out.stat().st_size + vocab_path(out).stat().st_size) / 1e6
    print(f"wrote {out} ({size:.1f} MB, {time.time() - t0:.0f}s)", file=sys.stderr)
    if args.dev_only:
        tagger = NeuralTagger(out, ex)
        pred = tagger.tag_sentences([t for t, _ in dev])
        with out.with_suffix(".pred.json").open("w", encoding="utf-8") as f:
            json.dump(pred, f)
        for k, (p, r, f) in score([g for _, g in dev], pred).items():
            print(f"{k:5s} P {p:6.2f} R {r:6.2f} F1 {f:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
