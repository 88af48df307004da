"""NER features: the same sentence always gives the same features, whatever was tagged before."""

from __future__ import annotations

from rasd.ner.clusters import strip_clitics
from rasd.ner.features import FeatureExtractor, name_lists

SENTENCE = "وقال وزير الخارجية المصري سامح شكري في القاهرة إن المحادثات مع الاتحاد الأوروبي ستستأنف .".split()


def test_features_are_deterministic() -> None:
    a = FeatureExtractor().sentence(SENTENCE)
    warm = FeatureExtractor()
    warm.sentence("تحدث رئيس الوزراء البريطاني أمس في لندن".split())
    b = warm.sentence(SENTENCE)
    assert a == b
    assert warm.sentence(SENTENCE) == b  # from the cache now


def test_features_see_through_clitics_and_normalisation() -> None:
    ex = FeatureExtractor()
    feats = ex.sentence(["وبالقاهرة"])[0]
    assert "w=وبالقاهره" in feats
    assert any(f.endswith("=القاهره") for f in feats if f.startswith("r"))
    assert ex.sentence(["أحمد"])[0] == ex.sentence(["احمد"])[0]


def test_gazetteer_marks_knowledge_base_names() -> None:
    ex = FeatureExtractor()
    gaz = ex.gazetteer_tags("زار الوفد الولايات المتحدة ثم روسيا".split())
    assert gaz[2] is not None and gaz[2].startswith("B-gpe")
    assert gaz[3] is not None and gaz[3].startswith("I-gpe")
    assert gaz[5] is not None and gaz[5].startswith("B-gpe")
    assert gaz[0] is None and gaz[1] is None


def test_strip_clitics_needs_corpus_support() -> None:
    counts = {"وزير": 1000, "زير": 3, "الوزير": 800, "والوزير": 90, "لبنان": 500, "ولبنان": 40, "بنان": 1}
    c = counts.get
    assert strip_clitics("وزير", lambda w: c(w, 0)) == "وزير"
    assert strip_clitics("والوزير", lambda w: c(w, 0)) == "وزير"
    assert strip_clitics("ولبنان", lambda w: c(w, 0)) == "لبنان"


def test_name_lists_skip_titles() -> None:
    from rasd.kb import load_kb

    names = name_lists(load_kb())
    assert "الرييس" not in names.first
    assert len(names.first) > 100 and len(names.last) > 100


def test_cluster_and_lexicon_files_are_read_with_damaged_rows_left_out(tmp_path) -> None:
    import gzip

    from rasd.ner.clusters import lexicon_features, read_clusters, read_lexicon

    clusters = tmp_path / "clusters.tsv.gz"
    with gzip.open(clusters, "wt", encoding="utf-8") as f:
        f.write("word\tcount\tc64\tc256\nموسكو\t120\t7\t99\nمكسور\tكثير\t1\t2\nناقص\t5\t3\n")
    table = read_clusters(clusters)
    assert table.names == ("c64", "c256")
    assert table.ids.get("موسكو") == ("7", "99") and table.count("موسكو") == 120
    assert table.ids.get("مكسور") is None and table.ids.get("ناقص") is None and table.count("ناقص") == 0
    lexicon = tmp_path / "lexicon.tsv.gz"
    with gzip.open(lexicon, "wt", encoding="utf-8") as f:
        f.write("word\tn\tPERS\tLOC\tORG\tMISC\tbegins\nموسكو\t50\t0\t48\t1\t0\t49\nمكسور\t5\tx\t0\t0\t0\t0\n")
    lex = read_lexicon(lexicon)
    assert lex.get("موسكو") == lexicon_features(50, (0, 48, 1, 0), 49) == lex["موسكو"]
    assert "LOC:hi" in lex["موسكو"]
    assert lex.get("مكسور", ()) == () and lex.get("غائب") is None
