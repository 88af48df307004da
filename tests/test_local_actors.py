"""Actors the knowledge base lacks: local actors from NER, surname coreference, cross-article keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rasd.document import DocMeta, Document
from rasd.link.local import Entity, local_actors
from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig
from rasd.record import to_record
from rasd.text import normalize_text


class FakeTagger:
    """Tags the words of a fixed name list, the way a trained model would (a test double)."""

    names: ClassVar[dict[str, str]] = {"جون": "PERS", "تيرني": "PERS", "مركز": "ORG", "الدراسات": "ORG"}
    # Looked up normalised, as a model would see through spelling variants.

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        out = []
        for words in sentences:
            tags, prev = [], None
            for w in words:
                label = self.names.get(normalize_text(w))
                tags.append("O" if label is None else ("I-" if prev == label else "B-") + label)
                prev = label
            out.append(tags)
        return out


def run(kb, text: str, monkeypatch) -> Document:
    import rasd.components as components

    monkeypatch.setattr(components, "make_tagger", lambda spec: FakeTagger())
    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb))
    return pipeline.run(Document(text, DocMeta(id="t", published="2024-01-01")))


def test_surname_mention_joins_the_full_name_and_speaks(kb, monkeypatch) -> None:
    text = (
        "وقال جون تيرني، مدير مركز الدراسات، إن لافروف لم يرد.\n"
        "وأضاف تيرني: «غياب التواصل بين الجانبين أمر مقلق للغاية»."
    )
    doc = run(kb, text, monkeypatch)
    rec = to_record(doc)
    [john] = [a for a in rec["actors"] if a["local_key"] == "local:person:جون تيرني"]
    assert john["kb_id"] is None and john["kind"] == "person" and john["name_ar"] == "جون تيرني"
    assert [m["text"] for m in john["mentions"]] == ["جون تيرني", "تيرني"]
    assert [a["kind"] for a in rec["actors"] if a["local_key"] == "local:org:مركز دراسات"] == ["org"]
    [quote] = rec["quotes"]
    assert quote["speaker"] == john["id"]
    assert {a["kb_id"] for a in rec["actors"]} >= {"sergey_lavrov"}


def test_entities_inside_knowledge_base_mentions_are_not_duplicated() -> None:
    from rasd.document import Span

    text = "التقى سيرغي لافروف مع سامي"
    ents = [Entity(6, 18, "PERS", 1, 2), Entity(22, 26, "PERS", 4, 4)]
    got = local_actors(text, ents, [Span(6, 18, "mention")])
    assert [a.name for a in got] == ["سامي"]


def test_titles_and_function_words_are_not_local_actors() -> None:
    text = "قال الرئيس إن الحكومة"
    ents = [Entity(4, 10, "PERS", 1, 1), Entity(14, 21, "ORG", 3, 3)]
    assert local_actors(text, ents, []) == []


def test_local_actors_cluster_across_articles_by_normalised_name(kb, monkeypatch, tmp_path) -> None:
    import rasd.components as components
    from rasd import api
    from rasd.store import Store

    monkeypatch.setattr(components, "make_tagger", lambda spec: FakeTagger())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("خبر أول\n\nقال جون تيرني إن الوضع خطير في المنطقة الحدودية.", "utf-8")
    (tmp_path / "in" / "b.txt").write_text("خبر ثان\n\nوأوضح جون تيرنى أن المباحثات ستستمر أسبوعا آخر.", "utf-8")
    store = Store(tmp_path / "l.db")
    api.ingest([tmp_path / "in"], store, config=PipelineConfig(kb=kb))
    rows = store.conn.execute(
        "SELECT actor_id, COUNT(DISTINCT doc_rowid) FROM mentions WHERE actor_id LIKE 'local:person:%' GROUP BY 1"
    ).fetchall()
    assert [tuple(r) for r in rows] == [("local:person:جون تيرني", 2)]  # ى/ي spelling folded into one key


def test_meetings_of_private_persons_are_not_political_events(kb, monkeypatch) -> None:
    monkeypatch.setattr(FakeTagger, "names", {**FakeTagger.names, "سامي": "PERS", "جوهر": "PERS"})
    doc = run(kb, "التقى جون تيرني سامي جوهر في المهرجان.\nوالتقى جون تيرني لافروف في موسكو.", monkeypatch)
    [ev] = doc.values["events"]
    assert ev.actors_b == ["sergey_lavrov"]
