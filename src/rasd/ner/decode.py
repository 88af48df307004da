"""Linear-chain CRF decoding in NumPy over a crfsuite model, with the per-word work cached.

crfsuite tags a sentence by turning every feature string into an attribute id (a tree lookup per string,
about 50 strings per token) and then running Viterbi. Most of that work depends on one word only: the word's
own features and the features it lends its neighbours. Here each word type's contribution is summed into
label-score vectors once and cached, so a sentence costs a few array additions, a handful of bigram and
gazetteer lookups, and Viterbi.

Viterbi runs over all the sentences of a batch of documents at once, so its per-step cost in NumPy is
shared. The result is the labelling crfsuite's Viterbi returns for the same model;
`tests/test_ner_decode.py` checks that.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_STATE, _TRANSITION = 0, 1
_FEATURE_DTYPE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


class CrfModelError(ValueError):
    """A model file that is not a crfsuite CRF1d model this reader understands."""


@dataclass(frozen=True, slots=True)
class CrfWeights:
    """A crfsuite model's parameters: label names, attribute ids, state weights (attribute × label) and
    transition weights (from × to)."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray
    transitions: np.ndarray

    @classmethod
    def load(cls, path: Path) -> CrfWeights:
        """Read the weights as stored (doubles), not the six-decimal dump, so scores equal crfsuite's.

        The layout is crfsuite's (crf1m_model.c): a header of 12 32-bit fields, then "FEAT", size, count
        and (type, src, dst, weight) records; label and attribute names are in two CQDB chunks (cqdb.c),
        read here by id rather than through pycrfsuite's text dump, which takes half a second to parse."""
        buf = Path(path).read_bytes()
        if len(buf) < 48 or buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
            raise CrfModelError(f"{path}: not a crfsuite CRF1d model")
        if struct.unpack_from("<I", buf, 4)[0] != len(buf):
            raise CrfModelError(f"{path}: the file is not the size its header gives (cut short?)")
        num_labels, num_attrs, off_features, off_labels, off_attrs = struct.unpack_from("<5I", buf, 20)
        chunk, _, count = struct.unpack_from("<4sII", buf, off_features)
        if chunk != b"FEAT" or off_features + 12 + count * _FEATURE_DTYPE.itemsize > len(buf):
            raise CrfModelError(f"{path}: the feature chunk is damaged")
        feats = np.frombuffer(buf, dtype=_FEATURE_DTYPE, count=count, offset=off_features + 12)
        labels = tuple(_cqdb_names(buf, off_labels, num_labels, path))
        names = _cqdb_names(buf, off_attrs, num_attrs, path)
        state = np.zeros((num_attrs, num_labels))
        trans = np.zeros((num_labels, num_labels))
        st = feats[feats["type"] == _STATE]
        tr = feats[feats["type"] == _TRANSITION]
        if len(st) and (st["src"].max() >= num_attrs or st["dst"].max() >= num_labels):
            raise CrfModelError(f"{path}: a state feature points outside the tables")
        if len(tr) and max(tr["src"].max(), tr["dst"].max()) >= num_labels:
            raise CrfModelError(f"{path}: a transition points outside the label table")
        state[st["src"], st["dst"]] = st["weight"]
        trans[tr["src"], tr["dst"]] = tr["weight"]
        return cls(labels, {name: i for i, name in enumerate(names)}, state, trans)

    def vector(self, features: Sequence[str]) -> np.ndarray:
        """The summed label scores of a bag of features (unknown ones count for nothing, as in crfsuite)."""
        ids = [i for i in map(self.attributes.get, features) if i is not None]
        if not ids:
            return np.zeros(len(self.labels))
        return self.state[ids].sum(axis=0)


def _cqdb_names(buf: bytes, offset: int, count: int, path: Path) -> list[str]:
    """The strings of a CQDB chunk by id: a header ("CQDB", size, flag, byte order, number of ids,
    offset of the id table), and per id the offset of its record (id, key size, key with a final NUL)."""
    try:
        chunk, size, _, _, n, table = struct.unpack_from("<4s5I", buf, offset)
        if chunk != b"CQDB" or n != count or offset + size > len(buf) or table + 4 * n > size:
            raise CrfModelError(f"{path}: a name table is damaged")
        names: list[str] = []
        for i, at in enumerate(np.frombuffer(buf, dtype="<u4", count=n, offset=offset + table).tolist()):
            rid, ksize = struct.unpack_from("<II", buf, offset + at)
            start = offset + at + 8
            if rid != i or ksize < 1 or at + 8 + ksize > size:
                raise CrfModelError(f"{path}: a name table is damaged")
            names.append(buf[start : start + ksize - 1].decode("utf-8"))
    except CrfModelError:
        raise
    except (struct.error, ValueError) as e:  # out of the buffer, or not UTF-8
        raise CrfModelError(f"{path}: a name table is damaged ({e})") from e
    return names


def viterbi(emissions: np.ndarray, trans: np.ndarray, bounds: Sequence[tuple[int, int]]) -> np.ndarray:
    """Best label ids for the tokens of several sentences (`bounds`: each one's first and end token).

    All sentences are decoded together, longest first, so a step of the recursion is a few array
    operations over every sentence still running; ties go to the lowest label id, as in crfsuite."""
    labels = np.zeros(len(emissions), dtype=np.intp)
    spans = sorted(((b - a, a) for a, b in bounds if b > a), reverse=True)
    if not spans:
        return labels
    lengths = np.array([n for n, _ in spans])
    starts = np.array([a for _, a in spans])
    longest = int(lengths[0])
    running = (lengths[None, :] > np.arange(longest)[:, None]).sum(axis=1)  # sentences still going at step t
    n_labels = trans.shape[0]
    delta = emissions[starts].copy()
    back = np.empty((longest, len(spans), n_labels), dtype=np.intp)
    scores = np.empty((len(spans), n_labels, n_labels))
    for t in range(1, longest):
        k = running[t]
        step = np.add(delta[:k, :, None], trans, out=scores[:k])
        best_from = back[t, :k]
        np.argmax(step, axis=1, out=best_from)
        np.add(np.take_along_axis(step, best_from[:, None, :], axis=1)[:, 0], emissions[starts[:k] + t], out=delta[:k])
    best = delta.argmax(axis=1)
    for t in range(longest - 1, 0, -1):
        k = running[t]
        labels[starts[:k] + t] = best[:k]
        best[:k] = back[t, np.arange(k), best[:k]]
    labels[starts] = best
    return labels
