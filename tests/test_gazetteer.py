from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.kb import Gazetteer
from rasd.link import link_mentions
from rasd.text import normalize
from rasd.text.segment import Token, tokenize


def find(kb, text: str, **kw):
    nt = normalize(text)
    return [(text[m.start : m.end], m.actor_ids) for m in Gazetteer(kb, **kw).match(tokenize(nt), nt)]


def test_sees_through_clitics(kb) -> None:
    got = find(kb, "وقال لروسيا وللولايات المتحدة إن ما جرى في بالكرملين")
    assert ("روسيا", ("russia",)) in got
    assert ("للولايات المتحدة", ("united_states",)) in got
    assert ("الكرملين", ("kremlin",)) in got


def test_spelling_variants_diacritics_and_tatweel(kb) -> None:
    got = find(kb, "التقى بلينـكن وزيرَ خارجية روسيا سيرجي لافروف في أميركا")
    assert ("بلينـكن", ("antony_blinken",)) in got
    assert ("سيرجي لافروف", ("sergey_lavrov",)) in got  # longest match, variant spelling
    assert ("أميركا", ("united_states",)) in got


def test_multiword_names_do_not_cross_punctuation_or_lines(kb) -> None:
    assert find(kb, "في الولايات، المتحدة") == []
    assert find(kb, "الولايات\nالمتحدة") == []


def test_adjectives_only_when_asked(kb) -> None:
    assert find(kb, "الوزير الروسي") == []
    assert ("الروسي", ("russia",)) in find(kb, "الوزير الروسي", include_adjectives=True)


def test_linking_groups_mentions_resolves_capitals_and_roles(kb) -> None:
    import datetime as dt

    text = (
        "قالت واشنطن إن بلينكن سيزور موسكو. وأكد الكرملين أن الروس مستعدون. "
        "وقال روبيو إن عمان وسيط، وسلطنة عمان تستضيف."
    )
    nt = normalize(text)
    matches = Gazetteer(kb).match(tokenize(nt), nt)
    actors, spans = link_mentions(matches, kb, dt.date(2024, 5, 1))
    assert len(spans) == sum(len(a.mentions) for a in actors)
    by_id = {a.kb_id: a for a in actors}
    assert {text[m.start : m.end] for m in by_id["united_states"].mentions} == {"واشنطن"}
    assert {text[m.start : m.end] for m in by_id["russia"].mentions} == {"موسكو", "الروس"}
    assert "kremlin" in by_id  # buildings stay actors of their own
    assert by_id["antony_blinken"].role == "United States Secretary of State"
    assert by_id["marco_rubio"].role is None  # not yet in office on that date
    assert "amman" not in by_id  # the ambiguous "عمان" takes the reading settled elsewhere in the article
    assert len(by_id["oman"].mentions) == 2
    assert [a.rid for a in actors] == [f"a{i + 1}" for i in range(len(actors))]


names = st.sampled_from(["روسيا", "لافروف", "الولايات المتحدة", "رويترز", "بلينكن"])
fillers = st.sampled_from(["قال", "إن", "في", "،", "اليوم", "\n", "وزير", "«", "»"])


@settings(max_examples=60)
@given(st.lists(st.tuples(fillers, names, st.sampled_from(["", "و", "ل", "ب"]), st.booleans()), max_size=12))
def test_every_inserted_name_is_found_at_its_exact_offsets(kb, parts) -> None:
    text = ""
    expected = []
    for filler, name, clitic, diacritic in parts:
        text += filler + " " + clitic
        written = name[0] + "\u064e" + name[1:] if diacritic else name
        expected.append((len(text), len(text) + len(written)))
        text += written + " "
    nt = normalize(text)
    got = [(m.start, m.end) for m in Gazetteer(kb).match(tokenize(nt), nt)]
    for span in expected:
        assert span in got, (text, span, got)


def test_blockers_and_the_article_keep_common_words_from_matching(kb) -> None:
    from rasd.kb.model import KnowledgeBase

    kb2 = KnowledgeBase(kb.actors.values(), blockers=["سلطنة عمان القديمة"])
    nt = normalize("زار سلطنة عمان القديمة ثم عمان")
    got = [m.actor_ids for m in Gazetteer(kb2).match(tokenize(nt), nt)]
    assert got == [("oman", "amman")]  # the blocked phrase yields nothing, the bare name still matches
    # A name that never takes the article is not read inside a word that has it.
    assert find(kb, "العمان") == []


def test_a_capital_as_a_place_stays_the_city(kb) -> None:
    import datetime as dt

    text = "قالت واشنطن إنها سترسل وفدا إلى موسكو، فيما ردت موسكو بالترحيب. وعقد اللقاء في واشنطن."
    nt = normalize(text)
    actors, _ = link_mentions(Gazetteer(kb).match(tokenize(nt), nt), kb, dt.date(2024, 5, 1))
    forms = {a.kb_id: [text[m.start : m.end] for m in a.mentions] for a in actors}
    assert forms["united_states"] == ["واشنطن"] and forms["washington"] == ["واشنطن"]
    assert forms["russia"] == ["موسكو"] and forms["moscow"] == ["موسكو"]


def test_the_outlet_byline_and_photo_credits_are_not_actors(kb) -> None:
    from rasd.document import DocMeta, Document
    from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig

    text = (
        "عنوان الخبر\n\nرويترز\nالوزير سيرغي لافروف/رويترز\n\nالقاهرة (رويترز) - قال لافروف إن وول ستريت جورنال أخطأت."
    )
    doc = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb)).run(Document(text, DocMeta(id="x")))
    assert doc.meta.outlet == "رويترز"
    ids = {a.kb_id for a in doc.values["actors"]}
    assert "reuters" not in ids and {"sergey_lavrov", "wall_street_journal"} <= ids
    assert len(doc.layer("credits")) == 3


words = st.sampled_from(
    "روسيا الروسي الولايات المتحدة وللولايات لافروف سيرغي سيرجي سلطنة عمان العمان القديمة قال وزير في ، « "
    "بلينكن رويترز موسكو الكرملين".split()
)


@settings(max_examples=200)
@given(st.lists(words, max_size=14), st.booleans())
def test_match_words_finds_what_match_finds_in_the_sentence(kb, written, adjectives) -> None:
    """The NER features' fast path agrees with the matcher the pipeline uses on the same sentence."""
    from rasd.kb.model import KnowledgeBase
    from rasd.text.normalize import normalize_token

    sentence = [normalize_token(w) for w in written]
    gaz = Gazetteer(KnowledgeBase(kb.actors.values(), blockers=["سلطنة عمان القديمة"]), include_adjectives=adjectives)
    text = " ".join(sentence)
    nt = normalize(text)
    starts = [sum(len(w) + 1 for w in sentence[:i]) for i in range(len(sentence))]
    tokens = [Token(w, a, a, a + len(w)) for w, a in zip(sentence, starts, strict=True)]
    assert nt.text == text  # the words are already normalised
    expected = [(m.first_token, m.last_token, m.actor_ids, m.form) for m in gaz.match(tokens, nt)]
    got = [(a, b, e.actor_ids, e.form) for a, b, e in gaz.match_words(sentence)]
    assert got == expected
