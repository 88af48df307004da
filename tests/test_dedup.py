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


def test_a_run_index_moved_to_disk_answers_as_the_memory_one() -> None:
    """Past `spill_after` articles the run's index moves to a temporary SQLite file: the same duplicates
    are found, with the same similarity and the same original, and the file is gone once it is closed."""
    import os

    from rasd.ingest.dedup import RunDedupIndex

    texts = []
    for n in range(160):
        texts.append(article(n))
        if n % 7 == 3:  # near copies of earlier articles, some of them of articles moved to disk
            words = article(n // 2).split()
            words[n % 40] = "تعديل"
            texts.append(" ".join(words))
        if n % 11 == 5:
            texts.append(article(n // 3))  # exact copies
    memory, run = MemoryDedupIndex(), RunDedupIndex(spill_after=50)
    found = 0
    for i, text in enumerate(texts):
        fp = fingerprint(text)
        expected, got = memory.find(fp), run.find(fp)
        assert got == expected, i
        if expected is None:
            memory.add(f"d{i}", fp)
            run.add(f"d{i}", fp)
        else:
            found += 1
    assert run.on_disk and len(run) == len(memory) and found >= 30
    folder = run._index._dir.name  # type: ignore[union-attr]
    run.close()
    assert not os.path.exists(folder)


def test_on_disk_too_the_earliest_of_equally_similar_articles_wins() -> None:
    from rasd.ingest.dedup import Fingerprint, RunDedupIndex

    sig = fingerprint(article(3)).signature
    query = sig.copy()
    query[:6] += 1  # a near copy of both, equally similar to each
    for index in (MemoryDedupIndex(), RunDedupIndex(spill_after=1)):
        index.add("first", Fingerprint("h1", sig.copy(), 60))
        index.add("second", Fingerprint("h2", sig.copy(), 60))
        found = index.find(Fingerprint("h3", query, 60))
        assert found is not None and found.doc_id == "first" and found.similarity == 122 / 128
