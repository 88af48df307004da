# Rasd: `make demo` builds a store from the bundled sample corpus and serves the web UI on it; `make test` runs
# the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test lint install install-test train-ner bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: install
	$(BIN)/rasd demo --serve

lint: install-test
	$(BIN)/ruff check src tests $(wildcard scripts)
	$(BIN)/ruff format --check src tests $(wildcard scripts)

# The PostgreSQL tests use the server named by RASD_TEST_POSTGRES, else one scripts/test_postgres.sh starts when
# PostgreSQL is installed; with neither they are skipped, saying why.
test: install-test lint
	RASD_TEST_POSTGRES="$${RASD_TEST_POSTGRES:-$$(scripts/test_postgres.sh 2>/dev/null)}" $(BIN)/pytest

# Rebuild the word clusters from ../shared/corpora and retrain the shipped NER model on ANERcorp's train split.
train-ner: $(BIN)/python
	$(BIN)/pip install -q -e '.[train]'
	$(BIN)/python scripts/build_clusters.py
	$(BIN)/python scripts/train_ner.py --c1 0.02 --c2 0.02 --out src/rasd/ner/data/anercorp_crf_base.crfsuite
	$(BIN)/python scripts/train_ner.py --c1 0.02 --c2 0.02 --lexicon --lexicon-every 2
	$(BIN)/python scripts/train_ner_nn.py --seed 1 --out src/rasd/ner/data/anercorp_bilstm.npz
	$(BIN)/python scripts/train_ner_nn.py --seed 2 --out src/rasd/ner/data/anercorp_bilstm_s2.npz
	$(BIN)/python scripts/train_ner_nn.py --seed 3 --out src/rasd/ner/data/anercorp_bilstm_s3.npz
	$(BIN)/rasd tag --conll $(SHARED)/data/ner/anercorp/ANERCorp_CamelLab_test.txt > /tmp/rasd-ner-test.conll
	python3 $(SHARED)/eval/score_conll.py $(SHARED)/data/ner/anercorp/ANERCorp_CamelLab_test.txt /tmp/rasd-ner-test.conll

# Speed figures quoted in the README.
bench: install
	$(BIN)/python scripts/bench_ner.py
	$(BIN)/python scripts/bench_pipeline.py --limit 3000
	$(BIN)/python scripts/bench_pipeline.py --limit 3000 --ner none

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
