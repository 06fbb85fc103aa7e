# Two entry points on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SKILLMATCH_DATA ?= $(abspath ../shared/data)
export SKILLMATCH_DATA
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast bench train fast-model dist model-wheel

MODEL_WHEEL = dist/skillmatch_model_default-$(shell sed -n 's/.*"version": "\(.*\)".*/\1/p' models/default/skillmatch.json)-py3-none-any.whl

# the default model is its own wheel (as spaCy ships pipelines); the standard library builds it
$(MODEL_WHEEL): $(wildcard models/default/*)
	$(PYTHON) -m skillmatch.packaging models/default dist

model-wheel: $(MODEL_WHEEL)

$(STAMP): pyproject.toml $(MODEL_WHEEL)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU build of torch from the local wheel; an unpinned torch would pull GBs of CUDA
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet --find-links dist -e '.[train,test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/skillmatch kb build
	$(BIN)/skillmatch kb info
	$(BIN)/skillmatch kb skill "Python"
	$(BIN)/skillmatch extract examples/jd_data_scientist.md examples/resumes/ana_silva.txt
	rm -rf out/demo-index
	$(BIN)/skillmatch index add --index out/demo-index examples/resumes/*.txt
	$(BIN)/skillmatch match --index out/demo-index --job examples/jd_data_scientist.md --top-k 3
	$(BIN)/skillmatch match --index out/demo-index --job examples/jd_data_scientist.md --format html --out out/demo-report.html

test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow and not browser"

# the text corpora of models/default and of its student: every table column that holds text
VAL := $(SKILLMATCH_DATA)/benchmarks/skill-extraction-val
CORPORA = --text-column text --text-column body --text-column Resume --text-column Task \
	  --text-column "Responsibilities+Minimum Qualifications+Preferred Qualifications" \
	  --corpus $(SKILLMATCH_DATA)/skillspan/skillspan_tech_train.conll \
	  --corpus $(SKILLMATCH_DATA)/skillspan/skillspan_house_train.conll \
	  --corpus $(SKILLMATCH_DATA)/jobposts/indeed_data_science_postings.csv \
	  --corpus $(SKILLMATCH_DATA)/jobposts-google-2018/google_job_skills.csv \
	  --corpus "$(SKILLMATCH_DATA)/onet-29.2/Task Statements.txt" \
	  --corpus $(SKILLMATCH_DATA)/resumes-livecareer-2484/resumes_livecareer_2484.jsonl
CALIBRATION = --calibrate $(VAL)/tech_validation.jsonl --calibrate $(VAL)/house_validation.jsonl
# human span annotations the statement and mention gates are fitted on (SkillSpan's train split; dev is the benchmark's)
STATEMENTS = --annotations skillspan/skillspan_house_train.conll --annotations skillspan/skillspan_tech_train.conll
# skills of real postings and resumes read by hand, the verdict gate is fitted on (benchmarks/judged_precision.py):
# the verdicts of the documents it shipped with (batches 1-16, as `python benchmarks/judged_precision.py
# --gate-documents 16` names them); later batches stay held out
VERDICTS = --verdicts benchmarks/data/document_skills_judged.csv --documents benchmarks/data/verdict_gate_documents.txt

# reproduces models/default: the corpus, recipe and seed of the shipped model (see its MODEL_CARD.md for the time)
DEFAULT_NEGATIVES ?= random,in-batch,taxonomy,embedding
MODEL_OUT ?= models/default
TRAIN_STEPS ?= 2000
train: install
	$(BIN)/skillmatch train --out $(MODEL_OUT) --overwrite --negatives $(DEFAULT_NEGATIVES) --seed 0 --quantize \
	  --steps $(TRAIN_STEPS) --learning-rate 5e-5 --warmup-steps 100 --refresh-every 500 \
	  --alt-labels-per-skill 2 --descriptions --swaps-per-skill 3 --holdout-share 0.03 $(CORPORA) \
	  --evaluate $(VAL)/tech_validation.jsonl --evaluate $(VAL)/house_validation.jsonl $(CALIBRATION)
	$(BIN)/skillmatch model fit-statements $(MODEL_OUT) $(STATEMENTS)
	$(BIN)/skillmatch model fit-mentions $(MODEL_OUT) $(STATEMENTS)
	$(BIN)/skillmatch model fit-verdicts $(MODEL_OUT) $(VERDICTS)

# the fast static student of models/default (benchmarks/README.md: its quality beside the default's)
fast-model: install
	$(BIN)/skillmatch model distill models/default --out models/fast $(CORPORA) $(CALIBRATION)
	$(BIN)/skillmatch model fit-statements models/fast $(STATEMENTS)
	$(BIN)/skillmatch model fit-mentions models/fast $(STATEMENTS)
	$(BIN)/skillmatch model fit-verdicts models/fast $(VERDICTS)

# every wheel into dist/: skillmatch itself and the default model
dist: install $(MODEL_WHEEL)
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .
	@ls -1 dist/*.whl

bench: install
	$(BIN)/python benchmarks/kb_load.py
	$(BIN)/python benchmarks/skill_extraction_val.py
	$(BIN)/python benchmarks/negative_sampling.py
	$(BIN)/python benchmarks/negative_sampling.py --recipe-of models/default --steps 100 --refresh-every 50
	$(BIN)/python benchmarks/sentence_split.py
	$(BIN)/python benchmarks/extract_speed.py --compare-model models/fast --documents 50 --cold-runs 9
	$(BIN)/python benchmarks/cold_start.py --arm "before: git 3b7961c, typer 0.29.2=git:3b7961c+typer==0.29.2" \
	  --arm "after: this change, typer 0.29.2=.+typer==0.29.2" --arm "after: this change, typer 0.28.0 (pinned < 0.29)=." --rounds 9
	$(BIN)/python benchmarks/match_quality.py
	$(BIN)/python benchmarks/match_speed.py
	$(BIN)/python benchmarks/extraction_precision.py
	$(BIN)/python benchmarks/judged_precision.py
	$(BIN)/python benchmarks/technology_mentions.py
	$(BIN)/python benchmarks/requirement_acceptance.py
