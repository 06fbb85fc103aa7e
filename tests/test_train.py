"""Training: corpus reading, distant supervision, every negative sampler, the loss, and a tiny
end-to-end run (with a crash and a resume) on the sample ontology."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from conftest import sample_uri
from skillmatch.errors import ConfigurationError, DataFileError
from skillmatch.train import DistantSupervision, TrainingConfig, make_sampler
from skillmatch.train.corpus import CorpusError, CorpusReader, CorpusSentence
from skillmatch.train.distant import TrainingDataError, TrainingPair
from skillmatch.train.negatives import SkillNeighbourhood

JOB_LINES = [
    "You will write production code in Python and SQL every day.",
    "Experience with machine learning and deep learning frameworks is expected.",
    "The nurse will administer medication and keep records of patients on every shift.",
    "Strong communication skills and the ability to work in a team are essential.",
    "You will manage budgets for three departments and report to the director.",
    "Familiarity with Git and version control workflows is a plus for this role.",
    "Design work for our mobile apps and marketing material is part of the job.",
    "We use JavaScript and Java for the customer portal and its back end.",
    "Our analysts perform data analysis on sales figures with statistics tools.",
    "Provide nursing care to elderly patients and apply first aid when needed.",
    "You will lead a team of four engineers and manage projects end to end.",
    "Solve problems creatively and think critically about product decisions.",
]


def corpus_sentences(lines=JOB_LINES) -> list[CorpusSentence]:
    return [CorpusSentence(line, f"test:{i}") for i, line in enumerate(lines)]


# corpus --------------------------------------------------------------------------------
def test_corpus_reads_tables_conll_and_tsv_and_drops_noise(tmp_path):
    boiler = "We are an equal opportunity employer and value diversity at our company."
    ads = tmp_path / "ads.csv"
    ads.write_text("id,body\n" + "".join(f'{i},"{JOB_LINES[i]}\n{boiler}\nApply now"\n' for i in range(6)),
                   encoding="utf-8")
    conll = tmp_path / "x.conll"
    conll.write_text("Strong\tO\nPython\tB\nskills\tO\nneeded\tO\n\n" + "\n".join(JOB_LINES[0].split()) + "\n",
                     encoding="utf-8")
    tasks = tmp_path / "tasks.tsv"
    tasks.write_text("O*NET-SOC Code\tTask\n1\tAnalyze data to improve the quality of products.\n", encoding="utf-8")
    held_out = JOB_LINES[1].upper()  # excluded after case folding
    reader = CorpusReader(boilerplate_min_documents=5, exclude=[held_out])
    sentences = reader.read([ads, conll, tasks])
    texts = [s.text for s in sentences]
    assert boiler not in texts  # in 6 documents: boilerplate
    assert "Apply now" not in texts  # too short
    assert JOB_LINES[1] not in texts  # excluded
    assert texts.count(JOB_LINES[0]) == 1  # the CoNLL copy is a duplicate
    assert "Strong Python skills needed" in texts
    assert "Analyze data to improve the quality of products." in texts
    stats = reader.stats_
    assert (stats.boilerplate, stats.excluded, stats.duplicates) == (1, 1, 5 + 1)  # 5 repeats + the CoNLL copy


def test_corpus_errors_name_the_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="empty.txt: no usable sentences"):
        CorpusReader().read([empty])
    german = tmp_path / "de.txt"
    german.write_text("Wir suchen eine erfahrene Pflegekraft für unsere Station in Berlin.\n"
                      "Sie verabreichen Medikamente und führen die Patientenakten sorgfältig.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="de.txt: does not look like English"):
        CorpusReader().read([german])
    table = tmp_path / "t.csv"
    table.write_text("id,words\n1,hello there my friend\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"t.csv:1: no text column"):
        CorpusReader().read([table])
    with pytest.raises(CorpusError, match="no corpus files"):
        CorpusReader().read([])


# distant supervision ------------------------------------------------------------------
def test_distant_supervision_pairs_masking_and_caps(taxonomy):
    built = DistantSupervision(mask_share=0.0, alt_labels_per_skill=0).build(corpus_sentences(), taxonomy)
    first = [p for p in built.pairs if p.text == JOB_LINES[0]]
    assert {p.skill for p in first} == {sample_uri("skill", "python"), sample_uri("skill", "sql")}
    assert all(set(p.positives) == {p.skill for p in first} for p in first)
    for pair in built.pairs:  # the span is where the label is
        assert pair.origin == "sentence" and pair.span[1] > pair.span[0]
    # "design work" is an alternative label of two skills: ambiguous, skipped, counted
    assert not [p for p in built.pairs if p.text == JOB_LINES[6]]
    assert built.stats["ambiguous_hits_skipped"] >= 1
    masked = DistantSupervision(mask_share=1.0, alt_labels_per_skill=0).build(corpus_sentences(), taxonomy)
    for pair in masked.pairs:
        assert pair.origin == "masked" and pair.text[pair.span[0]:pair.span[1]] == "[MASK]"
    python_pair = next(p for p in masked.pairs if p.skill == sample_uri("skill", "python"))
    assert "Python" not in python_pair.text and "SQL" in python_pair.text
    lines = [f"Daily work number {i} is in Python for the data team." for i in range(10)]
    lines.append("Reports are written in SQL by the data team.")
    capped = DistantSupervision(max_pairs_per_skill=3, alt_labels_per_skill=0).build(corpus_sentences(lines),
                                                                                     taxonomy)
    assert len(capped.pairs) == 3 + 1 and capped.stats["capped_pairs"] == 7
    with pytest.raises(TrainingDataError, match="single skill"):
        DistantSupervision(alt_labels_per_skill=0).build(corpus_sentences(lines[:10]), taxonomy)


def test_distant_supervision_adds_esco_pairs_up_to_the_ratio(taxonomy):
    built = DistantSupervision(alt_labels_per_skill=1, description_pairs=True, label_pair_ratio=0.5,
                               mask_share=0.0).build(corpus_sentences(), taxonomy)
    sentence_pairs = [p for p in built.pairs if p.origin == "sentence"]
    esco_pairs = [p for p in built.pairs if p.origin in ("alt-label", "description")]
    assert len(esco_pairs) == int(0.5 * len(sentence_pairs))
    for pair in esco_pairs:
        concept = taxonomy.concept(pair.skill)
        assert pair.text in concept.alt_labels or pair.text == concept.description


def test_distant_supervision_refuses_useless_corpora(taxonomy, tmp_path):
    with pytest.raises(TrainingDataError, match="no literal ESCO skill label in 2 corpus sentences"):
        DistantSupervision().build(corpus_sentences(["The weather was mild all week long.",
                                                     "Lunch is served at noon in the canteen."]), taxonomy)
    from skillmatch.ontology import load_taxonomy

    data = tmp_path / "one"
    data.mkdir()
    (data / "one.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix esco: <http://data.europa.eu/esco/model#> .\n"
        "<https://example.org/skill/python> a esco:Skill ; skos:prefLabel \"Python\"@en .\n", encoding="utf-8")
    single = load_taxonomy(data, tmp_path / "cache")
    with pytest.raises(TrainingDataError, match="1 skill"):
        DistantSupervision().build(corpus_sentences(), single)


# negative samplers --------------------------------------------------------------------
@pytest.fixture(scope="module")
def training_set(taxonomy):
    return DistantSupervision(mask_share=0.0).build(corpus_sentences(), taxonomy)


@pytest.mark.parametrize("names", [["random"], ["in-batch"], ["taxonomy"], ["embedding"],
                                   ["random", "in-batch", "taxonomy", "embedding"]])
def test_negatives_are_never_the_positive_its_synonyms_ancestors_or_co_positives(names, taxonomy, extractor,
                                                                                  training_set):
    sampler = make_sampler(names).fit(taxonomy, extractor.space)
    neighbourhood = SkillNeighbourhood(taxonomy)
    rng = random.Random(0)
    for pair in training_set.pairs:
        drawn = sampler.sample(pair, 3, rng)
        assert len(drawn) == (0 if names == ["in-batch"] else 3) and len(set(drawn)) == len(drawn)
        assert not set(drawn) & neighbourhood.excluded(pair)
        assert all(taxonomy.kind(uri) == "skill" for uri in drawn)
    assert sampler.in_batch == ("in-batch" in names)


def test_neighbourhood_protects_synonyms_and_ancestors(taxonomy):
    protected = SkillNeighbourhood(taxonomy).protected(sample_uri("skill", "graphic-design"))
    assert sample_uri("skill", "software-design") in protected  # shares the label "design work"
    deep = SkillNeighbourhood(taxonomy).protected(sample_uri("skill", "deep-learning"))
    assert sample_uri("skill", "machine-learning") in deep  # its broader skill


def test_taxonomy_negatives_prefer_siblings(taxonomy):
    sampler = make_sampler(["taxonomy"]).fit(taxonomy)
    pair = TrainingPair("I write Java.", sample_uri("skill", "java"), "sentence",
                        positives=(sample_uri("skill", "java"),))
    drawn = sampler.sample(pair, 2, random.Random(1))
    assert set(drawn) == {sample_uri("skill", "python"), sample_uri("skill", "javascript")}


def test_embedding_negatives_are_near_and_exclude_the_parent(taxonomy, extractor):
    sampler = make_sampler(["embedding"]).fit(taxonomy, extractor.space)
    sampler.pool = 3
    pair = TrainingPair("neural nets", sample_uri("skill", "deep-learning"), "sentence",
                        positives=(sample_uri("skill", "deep-learning"),))
    nearest = sampler.neighbours_[pair.skill]
    assert nearest[0] == pair.skill  # itself first, then the confusions
    drawn = sampler.sample(pair, 3, random.Random(0))
    allowed = [u for u in nearest if u not in SkillNeighbourhood(taxonomy).excluded(pair)][:3]
    assert set(drawn) == set(allowed) and sample_uri("skill", "machine-learning") not in drawn


def test_mixture_shares_and_bad_specs(taxonomy, extractor, training_set):
    mixture = make_sampler(["random", "taxonomy"], [0.0, 1.0]).fit(taxonomy, extractor.space)
    only_taxonomy = make_sampler(["taxonomy"]).fit(taxonomy)
    pair = training_set.pairs[0]
    pools = set().union(*only_taxonomy.pools(pair.skill))
    drawn = mixture.sample(pair, 2, random.Random(3))
    assert set(drawn) <= pools | set(taxonomy.uris("skill"))
    assert mixture.in_batch is False
    with pytest.raises(ConfigurationError, match="unknown negative sampler"):
        make_sampler(["nearest"])
    with pytest.raises(ConfigurationError, match="shares"):
        make_sampler(["random", "taxonomy"], [1.0]).fit(taxonomy)


def test_batch_mask_hides_false_negatives(taxonomy, training_set):
    from skillmatch.train.trainer import _candidates

    sampler = make_sampler(["in-batch"]).fit(taxonomy)
    batch = [p for p in training_set.pairs if p.text == JOB_LINES[0]]  # Python and SQL, same sentence
    uris, targets, allowed = _candidates(batch, [[] for _ in batch], sampler)
    assert allowed[0, targets[0]] and not allowed[0, targets[1]]  # SQL is not a negative for that sentence
    assert allowed[1, targets[1]] and not allowed[1, targets[0]]


def test_loss_ignores_masked_candidates():
    import torch

    from skillmatch.train.losses import CandidateSoftmaxLoss

    torch.manual_seed(0)
    anchors = torch.nn.functional.normalize(torch.randn(2, 8), dim=-1)
    candidates = torch.nn.functional.normalize(torch.randn(3, 8), dim=-1)
    allowed = torch.tensor([[True, False, True], [False, True, False]])
    targets = torch.tensor([0, 1])
    loss = CandidateSoftmaxLoss()(anchors, candidates, targets, allowed)
    changed = candidates.clone()
    changed[1] = anchors[0]  # make the hidden candidate a perfect (false) negative for sentence 0
    assert torch.isclose(loss, CandidateSoftmaxLoss()(anchors, changed, targets, allowed))
    assert float(loss) > 0


# end to end ---------------------------------------------------------------------------
def test_the_masked_held_out_split_hides_every_gold_label_and_nothing_else(taxonomy, kb_cache):
    """The plain distant held-out split names its skills word for word (each sentence was chosen
    for a literal label); masked, only the context is left to tell the skill by."""
    from skillmatch.extract import SkillExtractor
    from skillmatch.train.pipeline import holdout_sentences, masked_holdout_sentences

    built = DistantSupervision(holdout_share=0.2, alt_labels_per_skill=0).build(corpus_sentences(), taxonomy)
    plain = holdout_sentences(built)
    masked = masked_holdout_sentences(taxonomy, built, "[MASK]", kb_cache)
    assert {item.sentence for item in plain} == {JOB_LINES[1], JOB_LINES[8], JOB_LINES[10]}
    assert [item.gold for item in masked] == [item.gold for item in plain]
    matcher = SkillExtractor(taxonomy, cache_dir=kb_cache).literal_matcher
    for before, after in zip(plain, masked):
        assert "[MASK]" in after.sentence
        assert not any(set(hit.uris) & after.gold for hit in matcher.find(after.sentence))
    assert [item.sentence for item in masked] == [  # the label spans go, every other word stays
        "Experience with [MASK] and [MASK] frameworks is expected.",
        "Our analysts [MASK] on sales figures with [MASK] tools.",
        "You will [MASK] of four engineers and [MASK] end to end."]


def test_the_ablation_table_leaves_a_set_its_runs_were_not_scored_on_empty():
    """Result files mix runs made before the masked held-out split was scored with rows scored
    on it: the table shows what was measured and a dash for the rest, never a made-up figure."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import negative_sampling

    def scores(value, sets):
        return {name: {"RP@5": value, "RP@10": value, "MRR": value} for name in sets}

    old = ("tech_validation", "house_validation", "distant-held-out")
    runs = [{"metrics": scores(60.0 + seed, old + ("distant-held-out-masked",) * (seed > 0)), "train_seconds": 9.0}
            for seed in range(3)]
    summary = negative_sampling.summarise(runs)
    assert "distant-held-out-masked" not in summary and summary["tech_validation"]["RP@5"]["mean"] == 61.0
    report = {"zero_shot": scores(30.0, negative_sampling.SETS), "compared": {"shipped": scores(50.0, old)},
              "summary": {"mixture": summary | {"runs": 3}}}
    lines = negative_sampling.table(report).splitlines()
    assert lines[0].count("masked held-out") == 3 and lines[2].count("30.00") == 12
    assert lines[3].endswith("| 50.00 | 50.00 | 50.00 | – | – | – | |")
    assert lines[4].split(" | ")[-4:-1] == ["–", "–", "–"] and "61.00 ± 1.00" in lines[4]


def test_a_mask_share_for_the_ablation_changes_the_pairs_but_not_the_held_out_split(sample_data_dir, kb_cache,
                                                                                  tmp_path):
    import shutil
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import negative_sampling

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    (data / "ads.txt").write_text("\n".join(JOB_LINES) + "\n", encoding="utf-8")
    for path in negative_sampling.VALIDATION:
        (data / path).parent.mkdir(parents=True, exist_ok=True)
        (data / path).write_text(json.dumps({"sentence": "Fluent in Python.", "skills": []}) + "\n")
    model = tmp_path / "model"
    model.mkdir()
    supervision = {"mask_share": 0.0, "alt_labels_per_skill": 0, "holdout_share": 0.2, "seed": 0}
    (model / "training.json").write_text(json.dumps({"corpus": [{"path": "$SKILLMATCH_DATA/ads.txt"}],
                                                     "supervision": supervision, "text_columns": []}))
    as_trained = negative_sampling.recipe_data(str(model), data, kb_cache)
    all_masked = negative_sampling.recipe_data(str(model), data, kb_cache, mask_share=1.0)
    origins = [bundle["training_set"].stats["pairs_by_origin"] for bundle in (as_trained, all_masked)]
    assert "masked" not in origins[0] and "sentence" not in origins[1]
    assert origins[0]["sentence"] == origins[1]["masked"] > 0
    assert all_masked["recipe"]["supervision"]["mask_share"] == 1.0
    assert as_trained["training_set"].holdout == all_masked["training_set"].holdout != {}


def _tiny_config(**changes) -> TrainingConfig:
    return TrainingConfig(**({"negatives": ("random", "in-batch", "taxonomy"), "batch_size": 4, "max_steps": 4,
                              "warmup_steps": 1, "checkpoint_every": 2, "max_seq_length": 32} | changes))


@pytest.mark.slow  # a subprocess or a training run
def test_tiny_training_run_writes_a_loadable_model_with_card(taxonomy, kb_cache, tmp_path):
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.encoder import TorchEncoder
    from skillmatch.extract.model import ModelSpec
    from skillmatch.train import train_model

    corpus = tmp_path / "ads.txt"
    corpus.write_text("\n".join(JOB_LINES) + "\n", encoding="utf-8")
    labelled = tmp_path / "val.jsonl"
    labelled.write_text(json.dumps({"sentence": "Fluent in Python and relational databases.",
                                    "skills": [{"uri": sample_uri("skill", "python")}]}) + "\n", encoding="utf-8")
    out = tmp_path / "models" / "tiny"
    folder = train_model(taxonomy, [corpus], out, _tiny_config(), DistantSupervision(seed=0), evaluate=[labelled],
                         calibrate=[labelled], cache_dir=kb_cache, show_progress=False,
                         command="skillmatch train (test)")
    assert folder == out and not (out.parent / ".tiny.training").exists()
    record = json.loads((out / "training.json").read_text())
    assert record["report"]["steps"] == 4 and len(record["report"]["losses"]) == 4
    assert set(record["metrics"]) == {"val"} and 0 <= record["metrics"]["val"]["MRR"] <= 100
    card = (out / "MODEL_CARD.md").read_text()
    assert card.startswith("# tiny\n")
    assert "skillmatch train (test)" in card and "random + in-batch + taxonomy" in card
    assert (out / "encoder.safetensors").stat().st_size < 25 * 2**20
    spec = ModelSpec.load(out)
    trained = TorchEncoder(spec).encode(["Python developer"])
    base = TorchEncoder(ModelSpec()).encode(["Python developer"])
    assert not np.allclose(trained, base, atol=1e-4)  # the fine-tuned tensors were applied
    assert float((trained @ base.T)[0, 0]) > 0.9  # ...and only nudged the base model
    assert spec.calibration.literal_weight != 0 and spec.sources == ("semantic", "literal", "lexical")
    # provenance names files without this machine's paths, with a content hash
    assert [f["path"] for f in record["calibration"]["files"]] == ["…/val.jsonl"]
    assert len(record["corpus"][0]["blake2b"]) == 32
    for written in ("training.json", "MODEL_CARD.md", "skillmatch.json"):
        assert str(tmp_path) not in (out / written).read_text()
    ranked = SkillExtractor(taxonomy, model=out, cache_dir=kb_cache).rank(["We need Python and SQL."], 2)[0]
    assert {s.uri for s in ranked} == {sample_uri("skill", "python"), sample_uri("skill", "sql")}
    with pytest.raises(ConfigurationError, match="already there"):
        train_model(taxonomy, [corpus], out, _tiny_config(), cache_dir=kb_cache, show_progress=False)


@pytest.mark.slow  # a subprocess or a training run
def test_one_built_training_set_trains_what_train_model_trains(taxonomy, kb_cache, tmp_path):
    """The negative-sampling benchmark reads and supervises the corpus once, then trains each
    strategy on it: that must give the model ``train_model`` gives from the raw files."""
    from safetensors.torch import load_file

    from skillmatch.train import distant_training_set, fit_training_set, train_model

    corpus = tmp_path / "ads.txt"
    corpus.write_text("\n".join(JOB_LINES) + "\n", encoding="utf-8")
    direct = train_model(taxonomy, [corpus], tmp_path / "direct", _tiny_config(), DistantSupervision(seed=0),
                         cache_dir=kb_cache, show_progress=False)
    training_set, card = distant_training_set(taxonomy, [corpus], DistantSupervision(seed=0), cache_dir=kb_cache)
    built = fit_training_set(taxonomy, training_set, tmp_path / "built", _tiny_config(), card, cache_dir=kb_cache,
                             show_progress=False)
    other = fit_training_set(taxonomy, training_set, tmp_path / "other", _tiny_config(negatives=("in-batch",)), card,
                             cache_dir=kb_cache, show_progress=False)
    tensors = [load_file(folder / "encoder.safetensors") for folder in (direct, built, other)]
    assert tensors[0].keys() == tensors[1].keys()
    assert all((tensors[0][name] == tensors[1][name]).all() for name in tensors[0])
    assert any(not (tensors[0][name] == tensors[2][name]).all() for name in tensors[0])
    records = [json.loads((folder / "training.json").read_text()) for folder in (direct, built)]
    assert records[0]["data"] == records[1]["data"] and records[0]["corpus"] == records[1]["corpus"]
    assert records[0]["text_columns"] == records[1]["text_columns"] == list(CorpusReader().text_columns)


@pytest.mark.slow  # a subprocess or a training run
def test_a_run_with_a_held_out_split_scores_it_plain_and_masked(taxonomy, kb_cache, tmp_path):
    from skillmatch.train import distant_training_set, fit_training_set

    corpus = tmp_path / "ads.txt"
    corpus.write_text("\n".join(JOB_LINES) + "\n", encoding="utf-8")
    supervision = DistantSupervision(seed=0, holdout_share=0.2)
    training_set, card = distant_training_set(taxonomy, [corpus], supervision, cache_dir=kb_cache)
    folder = fit_training_set(taxonomy, training_set, tmp_path / "model", _tiny_config(), card, cache_dir=kb_cache,
                              show_progress=False)
    metrics = json.loads((folder / "training.json").read_text())["metrics"]
    assert set(metrics) == {"distant-held-out", "distant-held-out-masked"}
    assert metrics["distant-held-out"]["sentences"] == metrics["distant-held-out-masked"]["sentences"] == 3
    # with the labels there, the tiny model finds the skills; with them masked, far less often
    assert metrics["distant-held-out"]["MRR"] > metrics["distant-held-out-masked"]["MRR"]
    assert "| distant-held-out-masked |" in (folder / "MODEL_CARD.md").read_text()


@pytest.mark.slow  # a subprocess or a training run
def test_a_run_in_a_worker_on_carried_data_trains_what_a_run_here_trains(taxonomy, kb_cache, tmp_path):
    """The negative-sampling benchmark can carry its data to another machine in one file
    (--save-data / --load-data) and train several runs at once in worker processes (--jobs):
    a run made that way must give the very model a run in this process gives."""
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    import torch
    from safetensors.torch import load_file

    from skillmatch.train import distant_training_set, fit_training_set

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import negative_sampling

    corpus = tmp_path / "ads.txt"
    corpus.write_text("\n".join(JOB_LINES) + "\n", encoding="utf-8")
    training_set, card = distant_training_set(taxonomy, [corpus], DistantSupervision(seed=0), cache_dir=kb_cache)
    negative_sampling.save_data({"taxonomy": taxonomy, "training_set": training_set, "card": card},
                                tmp_path / "data.pkl.xz")
    carried = negative_sampling.load_data(tmp_path / "data.pkl.xz")
    here = fit_training_set(taxonomy, training_set, tmp_path / "here", _tiny_config(), card, cache_dir=kb_cache,
                            show_progress=False)
    shared = {"taxonomy": carried["taxonomy"], "training_set": carried["training_set"], "card": carried["card"],
              "corpus": [], "validation": [], "cache_dir": kb_cache, "data": tmp_path}
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                             initializer=negative_sampling._start_worker,
                             initargs=(shared, torch.get_num_threads())) as pool:
        run = pool.submit(negative_sampling._worker_run, "mixture/seed0", _tiny_config(),
                          tmp_path / "worker").result()
    assert run["strategy"] == "mixture" and run["seed"] == 0 and run["pairs"] == training_set.stats["pairs"]
    tensors = [load_file(folder / "encoder.safetensors") for folder in (here, tmp_path / "worker")]
    assert tensors[0].keys() == tensors[1].keys()
    assert all((tensors[0][name] == tensors[1][name]).all() for name in tensors[0])


@pytest.mark.slow  # a subprocess or a training run
def test_epochs_set_the_step_count_from_the_pairs(taxonomy, kb_cache, tmp_path):
    from skillmatch.train import train_model

    corpus = tmp_path / "ads.txt"
    corpus.write_text("\n".join(JOB_LINES) + "\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="epochs must be a positive number"):
        train_model(taxonomy, [corpus], tmp_path / "none", _tiny_config(), epochs=0, cache_dir=kb_cache)
    out = train_model(taxonomy, [corpus], tmp_path / "epochs", _tiny_config(max_steps=1), DistantSupervision(seed=0),
                      cache_dir=kb_cache, show_progress=False, epochs=0.5, command="skillmatch train --epochs 0.5")
    record = json.loads((out / "training.json").read_text())
    pairs = sum(record["data"]["pairs_by_origin"].values())
    assert pairs > 8 and record["report"]["steps"] == record["config"]["max_steps"] == math.ceil(0.5 * pairs / 4)
    assert f"{record['config']['max_steps']} steps (0.5 epochs over the pairs)" in (out / "MODEL_CARD.md").read_text()


@pytest.mark.slow  # a subprocess or a training run
def test_killed_run_resumes_from_checkpoint_to_the_same_model(taxonomy, kb_cache, tmp_path, monkeypatch):
    from safetensors.torch import load_file

    from skillmatch.train import trainer as trainer_module
    from skillmatch.train.trainer import BiEncoderTrainer

    training_set = DistantSupervision(seed=0).build(corpus_sentences(), taxonomy)
    straight = BiEncoderTrainer(_tiny_config(), cache_dir=kb_cache, show_progress=False).fit(
        training_set, taxonomy, tmp_path / "straight")
    real_encode, calls = trainer_module._encode, {"n": 0}

    def crash_in_step_four(model, texts, device):
        calls["n"] += 1
        if calls["n"] == 7:  # two encodes per step: the first encode of step 4
            raise KeyboardInterrupt
        return real_encode(model, texts, device)

    monkeypatch.setattr(trainer_module, "_encode", crash_in_step_four)
    out = tmp_path / "resumed"
    with pytest.raises(trainer_module.TrainingInterrupted, match="resume from .*checkpoint.pt"):
        BiEncoderTrainer(_tiny_config(), cache_dir=kb_cache, show_progress=False).fit(training_set, taxonomy, out)
    assert not out.exists()  # no half-written model folder
    with pytest.raises(ConfigurationError, match="other settings"):
        BiEncoderTrainer(_tiny_config(learning_rate=1e-3), cache_dir=kb_cache,
                         show_progress=False).fit(training_set, taxonomy, out)
    monkeypatch.setattr(trainer_module, "_encode", real_encode)
    BiEncoderTrainer(_tiny_config(), cache_dir=kb_cache, show_progress=False).fit(training_set, taxonomy, out)
    record = json.loads((out / "training.json").read_text())
    assert record["report"]["resumed_from"] == 2
    a, b = load_file(str(straight / "encoder.safetensors")), load_file(str(out / "encoder.safetensors"))
    assert all(np.allclose(a[k].float().numpy(), b[k].float().numpy(), atol=1e-3) for k in a)


@pytest.mark.slow  # a subprocess or a training run
def test_cli_train_reports_bad_corpus(tmp_path, sample_data_dir, kb_cache):
    import subprocess
    import sys

    empty = tmp_path / "empty.csv"
    empty.write_text("id,text\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "skillmatch.cli", "train", "--corpus", str(empty), "--out",
                             str(tmp_path / "m"), "--data", str(sample_data_dir), "--cache-dir", str(kb_cache)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "empty.csv: no usable sentences" in result.stderr
    assert not (tmp_path / "m").exists()


def test_cli_fits_both_gates_into_a_model_folder(sample_data_dir, kb_cache, tmp_path):
    """`model fit-statements` and `model fit-mentions` on span annotations: each gate lands in
    the recipe and the model card, and extraction then reports both probabilities."""
    import shutil
    import subprocess
    import sys

    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.model import ModelSpec, find_model
    from skillmatch.ontology import load_taxonomy

    folder = tmp_path / "gated"
    shutil.copytree(find_model("default"), folder, ignore=shutil.ignore_patterns("mentions.json"))
    ModelSpec.load(folder).replace(statements=None, mentions=None).save(folder)
    lines = []
    for number in range(60):
        if number % 3 == 0:
            lines.append(["You", "will", "write", "Python", "and", "SQL", "every", "day"])
            tags = [("O", "O")] * 3 + [("O", "B-Knowledge"), ("O", "O"), ("O", "B-Knowledge"), ("O", "O"), ("O", "O")]
        elif number % 3 == 1:
            lines.append(["We", "publish", "statistics", "about", "our", "offices", "online"])
            tags = [("O", "O")] * 7
        else:
            lines.append(["Free", "lunch", "on", "Fridays"])
            tags = [("O", "O")] * 4
        lines[-1] = "\n".join(f"{token}\t{skill}\t{knowledge}" for token, (skill, knowledge) in zip(lines[-1], tags))
    (tmp_path / "spans.conll").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    for command, *options in (("fit-statements",), ("fit-mentions", "--cache-dir", str(kb_cache))):
        result = subprocess.run([sys.executable, "-m", "skillmatch.cli", "model", command, str(folder), "--annotations",
                                 str(tmp_path / "spans.conll"), "--data", str(sample_data_dir), *options],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    spec = ModelSpec.load(folder)
    assert spec.statement_gate() is not None and spec.mention_gate().provenance["matches"] >= 40
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Statement gate" in card and "## Mention gate" in card and "spans.conll" in card
    extractor = SkillExtractor(load_taxonomy(sample_data_dir, kb_cache), model=folder, cache_dir=kb_cache)
    evidence = [e for s in extractor.extract("You will write Python and SQL every day.").skills for e in s.evidence]
    assert any(e.mention is not None and e.statement is not None for e in evidence)


@pytest.mark.slow  # a subprocess
def test_cli_fits_the_verdict_gate_on_hand_verdicts(sample_data_dir, kb_cache, tmp_path):
    """`model fit-verdicts` reads the judged documents from the data directory by id, lands the
    gate in the recipe and the model card, and extraction then reports ``stated``; a verdict on
    a document the data directory lacks is an error naming the verdicts file."""
    import csv
    import shutil
    import subprocess
    import sys
    from dataclasses import replace

    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.model import ModelSpec, find_model
    from skillmatch.ontology import load_taxonomy

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    texts = {"indeed:a1": "Requirements:\n- 3+ years programming in Python; strong SQL.\n- Solid statistics.\n"
                          "- You will be managing projects and communicate with customers.\n",
             "google:2": "Write production code in Python and SQL every day.\nLead a team of four engineers.",
             "resume:2": "Skills\nPython, SQL, machine learning\n\nExperience\nPerformed data analysis on sales "
                         "figures with statistics tools and managed projects for customers.\n"}
    for name, header, row in (("jobposts/indeed_data_science_postings.csv", ["job_posting", "body"],
                               ["a1", texts["indeed:a1"]]),
                              ("jobposts-google-2018/google_job_skills.csv",
                               ["Responsibilities", "Minimum Qualifications", "Preferred Qualifications"],
                               *[[*texts["google:2"].split("\n"), ""]]),
                              ("resumes/UpdatedResumeDataSet.csv", ["Category", "Resume"], ["Testing", texts["resume:2"]])):
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        with open(data / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, row])
    folder = tmp_path / "judged"
    shutil.copytree(find_model("default"), folder, ignore=shutil.ignore_patterns("verdicts.json"))
    ModelSpec.load(folder).replace(verdicts=None).save(folder)
    taxonomy = load_taxonomy(data, kb_cache)
    every = SkillExtractor(taxonomy, model=folder, cache_dir=kb_cache)
    every = every.variant(replace(every.settings, semantic_threshold=0.0))
    verdicts = tmp_path / "judged.csv"
    with open(verdicts, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "uri", "label", "verdict"])
        for document, text in texts.items():
            for skill in every.extract(text, document).skills:
                wrong = skill.method == "semantic" or skill.label in ("communication", "manage projects")
                writer.writerow([document, skill.uri, skill.label, "wrong" if wrong else "right"])

    def fit(path, *options):
        return subprocess.run([sys.executable, "-m", "skillmatch.cli", "model", "fit-verdicts", str(folder),
                               "--verdicts", str(path), "--data", str(data), "--cache-dir", str(kb_cache), *options],
                              capture_output=True, text=True)
    chosen = tmp_path / "fitted-on.txt"  # later batches stay held out: only these documents' verdicts are fitted
    chosen.write_text("# batches 1-7\nindeed:a1\n\nresume:2\n", encoding="utf-8")
    result = fit(verdicts, "--documents", str(chosen))
    assert result.returncode == 0, result.stderr
    assert ModelSpec.load(folder).verdict_gate().provenance["documents"] == ["indeed:a1", "resume:2"]
    assert "--documents fitted-on.txt" in (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    chosen.write_text("resume:404\n", encoding="utf-8")
    result = fit(verdicts, "--documents", str(chosen))
    assert result.returncode == 2 and "fitted-on.txt: no verdict names any of these documents" in result.stderr
    result = fit(verdicts)
    assert result.returncode == 0, result.stderr
    spec = ModelSpec.load(folder)
    assert spec.verdicts == "verdicts.json" and spec.verdict_gate().provenance["documents"] == sorted(texts)
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Verdict gate" in card and "--verdicts judged.csv" in card and str(tmp_path) not in card
    skills = SkillExtractor(taxonomy, model=folder, cache_dir=kb_cache).extract(texts["indeed:a1"]).skills
    assert skills and all(s.stated is not None and s.stated >= 0.5 for s in skills)
    with open(verdicts, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["resume:999", "u", "x", "wrong"])
    result = fit(verdicts)
    assert result.returncode == 2 and "judged.csv: 1 documents not in the data directory" in result.stderr
