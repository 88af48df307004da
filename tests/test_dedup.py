"""The in-memory duplicate index that `rasd extract` keeps for a whole run."""

from __future__ import annotations

from rasd.ingest.dedup import MemoryDedupIndex, fingerprint

WORDS = "قال أعلن أكد الوزير الرئيس المتحدث الحكومة البرلمان المحادثات الاتفاق الزيارة القمة الأمن الاقتصاد".split()


def article(n: int, words: int = 60) -> str:
    """A different sequence of words for every n (its digits pick the words)."""
    out = []
    for i in range(words):
        out.append(WORDS[(n * 7 + i * (n % 5 + 1) + i * i) % len(WORDS)])
        out.append(f"{n}-{i}" if i % 9 == 0 else "")
    return " ".join(w for w in out if w)


def test_exact_and_near_copies_are_found_and_others_are_not() -> None:
    index = MemoryDedupIndex()
    for n in range(1500):  # past the signature array's first size
        index.add(f"doc{n}", fingerprint(article(n)))
    assert len(index) == 1500
    exact = index.find(fingerprint(article(1234)))
    assert exact is not None and exact.doc_id == "doc1234" and exact.exact
    words = article(1400).split()
    words[30] = "تعديل"  # one word changed: a near copy
    near = index.find(fingerprint(" ".join(words)))
    assert near is not None and near.doc_id == "doc1400" and not near.exact and near.similarity >= 0.7
    assert index.find(fingerprint("نص آخر تماما عن موضوع مختلف لا يشبه شيئا مما سبق " * 3)) is None


def test_the_earliest_of_equally_similar_articles_wins() -> None:
    index = MemoryDedupIndex()
    text = article(7)
    index.add("first", fingerprint(text))
    index.add("second", fingerprint(text + " "))  # the same words: same signature, another id
    words = text.split()
    words[5] = "تعديل"
    found = index.find(fingerprint(" ".join(words)))
    assert found is not None and found.doc_id == "first"
