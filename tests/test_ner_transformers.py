"""The optional transformers backend, on a tiny randomly initialised model built here (no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.ner.transformers_backend import BackendUnavailable, map_label

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-GPE", "B-DATE"]


def test_label_mapping() -> None:
    assert [map_label(x) for x in ["B-PER", "I-GPE", "B-ORG", "B-DATE", "O", "X"]] == [
        "B-PERS", "I-LOC", "B-ORG", "O", "O", "O",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    folder = tmp_path_factory.mktemp("tiny-ner")
    letters = sorted(set("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة0123456789"))
    vocab = {
        t: i
        for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *("##" + c for c in letters)])
    }
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]",
    )  # fmt: skip
    fast.save_pretrained(folder)
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=128, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )  # fmt: skip
    transformers.BertForTokenClassification(config).save_pretrained(folder)
    return folder


def test_tags_every_word_of_every_sentence_in_batches(tiny_model: Path) -> None:
    from rasd.ner.transformers_backend import TransformersTagger

    tagger = TransformersTagger(tiny_model, batch_size=2)
    sentences = [["قال", "وزير", "الخارجية", "سيرغي", "لافروف"], ["روسيا"], [], ["في", "جنيف", "يوم", "2022"]]
    tags = tagger.tag_sentences(sentences)
    assert [len(t) for t in tags] == [len(s) for s in sentences]
    allowed = {"O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC"}
    for seq in tags:
        assert set(seq) <= allowed
        for prev, cur in zip(["O", *seq], seq, strict=False):
            assert not (cur.startswith("I-") and prev[2:] != cur[2:])  # BIO is well formed
    assert tagger.tag_sentences(sentences) == tags  # deterministic


def test_runs_in_the_pipeline_with_the_ner_option(tiny_model: Path, kb) -> None:
    from rasd.document import DocMeta, Document
    from rasd.pipeline import DEFAULT_COMPONENTS, Pipeline, PipelineConfig

    pipeline = Pipeline(DEFAULT_COMPONENTS, PipelineConfig(kb=kb, ner=f"transformers:{tiny_model}"))
    text = "قال لافروف إن المحادثات مع سامي النجار في جنيف كانت مفيدة."
    doc = pipeline.run(Document(text, DocMeta(id="t")))
    for e in doc.values["entities"]:
        assert 0 <= e.start < e.end <= len(text)


def test_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from rasd.ner.transformers_backend import TransformersTagger

    with pytest.raises(BackendUnavailable, match="not found"):
        TransformersTagger(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackendUnavailable, match="cannot load"):
        TransformersTagger(tmp_path / "empty")
