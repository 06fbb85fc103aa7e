"""Literal matching, semantic ranking and document-level extraction on the sample taxonomy."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import sample_uri
from skillmatch.extract.literal import LiteralMatcher

JD = """Data Scientist (m/f/d)

Requirements:
- 3+ years programming in Python; strong SQL.
- Solid statistics and hands-on machine-learning experience.
- You will be managing projects and communicate with customers.
Nice to have: cloud computing.
"""


def test_literal_matcher_is_inflection_tolerant_and_longest_first(taxonomy):
    matcher = LiteralMatcher.from_taxonomy(taxonomy)
    hits = matcher.find("Managing projects with deep neural networks and neural networks, analysing data.")
    found = {(h.text, h.uris) for h in hits}
    assert ("Managing projects", (sample_uri("skill", "manage-projects"),)) in found
    assert ("deep neural networks", (sample_uri("skill", "deep-learning"),)) in found  # not "neural networks"
    assert ("analysing data", (sample_uri("skill", "data-analysis"),)) in found


def test_shared_labels_are_reported_as_ambiguous(taxonomy):
    hits = LiteralMatcher.from_taxonomy(taxonomy).find("Strong design work experience.")
    assert len(hits) == 1 and hits[0].ambiguous
    assert set(hits[0].uris) == {sample_uri("skill", "software-design"), sample_uri("skill", "graphic-design")}


def test_stop_words_and_short_labels():
    matcher = LiteralMatcher().fit([("IT", "it-skill"), ("it", "pronoun"), ("R", "r-lang"), ("Go", "go-lang")])
    assert [h.uris for h in matcher.find("it is IT work in R, not r; go Go")] == [
        ("it-skill",), ("r-lang",), ("go-lang",)]


def test_case_sensitive_phrases_and_everyday_product_names():
    """Everyday words that name products match as written, and not at a sentence start."""
    matcher = LiteralMatcher().fit([("Data Pipeline", "amazon-data-pipeline", False, True),
                                    ("Analyze", "analyze-product", True, True, True),
                                    ("data analysis", "data-analysis")])
    found = [(h.text, h.uris) for h in matcher.find(
        "Analyze data pipelines. We use Amazon Data Pipeline; reports in Analyze. - Analyze trends.\n"
        "Data analysis daily.")]
    assert found == [("Data Pipeline", ("amazon-data-pipeline",)), ("Analyze", ("analyze-product",)),
                     ("Data analysis", ("data-analysis",))]


def test_an_everyday_product_name_after_a_bullet_glyph_starts_a_sentence():
    """Resumes bullet lines with "➢", "❖", "✓" or a font's private-use glyph: the word after
    one starts a sentence. An en dash is no bullet, and a glyph glued to a word is no word."""
    matcher = LiteralMatcher().fit([("Analyze", "analyze-product", True, True, True),
                                    ("S3", "amazon-s3", True, True, True)])
    found = [h.text for h in matcher.find(
        "➢ Analyze logs ❖ Analyze trends \uf0b7 Analyze costs ✓ S3 buckets; reports in Analyze – "
        "Analyze dashboards and x➢ S3")]
    assert found == ["Analyze", "Analyze", "S3"]


def test_an_everyday_product_name_that_is_a_whole_list_item_is_the_product():
    """At a sentence start "Analyze the data" is a verb, but "Tools: Analyze | ...", "• Analyze" on
    its own line, "S3, EC2" or "S3 (basic)" name products; a comma before a lower-case word lists
    verbs."""
    matcher = LiteralMatcher().fit([("Analyze", "analyze-product", True, True, True),
                                    ("S3", "amazon-s3", True, True, True)])
    found = [h.text for h in matcher.find(
        "Stack: S3, EC2\nAnalyze, identify and assess risks\n• Analyze\n"
        "Tools: Analyze | S3 ☞ S3 ☞ Analyze the data\n☞ S3 (basic)")]
    assert found == ["S3", "Analyze", "Analyze", "S3", "S3", "S3"]


def test_a_lone_letter_inside_a_longer_name_is_not_the_language():
    """"C-level", "Type-C", "A C Patil college", "C. K. Prahalad": the letter belongs to a
    compound or to initials; in lists, after a slash or before a full stop it is the language."""
    matcher = LiteralMatcher().fit([("C", "c"), ("R", "r"), ("C++", "cpp")])

    def found(text):
        return [hit.text for hit in matcher.find(text)]

    for text in ("Develop C-level relationships", "C-Suite customers", "a USB Type-C port",
                 "Bachelor's, A C Patil college", "Engineer - R K ELECTRICAL PVT LTD", "C. K. Prahalad wrote"):
        assert found(text) == [], text
    assert found("Languages: C, C++, R") == ["C", "C++", "R"]
    assert found("Java or C/C++; R and Python") == ["C", "C++", "R"]
    assert found("statistics in R.\nR- Exprience - 6 months\nC and R") == ["R", "R", "C", "R"]


def test_esco_names_that_are_everyday_words_match_as_written():
    """ESCO writes "access" and "source" in lower case in its descriptions and "Linux" with a
    capital: the products Access and Source match only as written, Linux in any case."""
    from types import SimpleNamespace

    from skillmatch.extract.technology import everyday_proper_name, lowercase_words

    concepts = [SimpleNamespace(uri="access", labels=("Microsoft Access", "Access"),
                                description="Grant access to data; access rights. Access is a database."),
                SimpleNamespace(uri="source", labels=("Source (digital game creation systems)", "Source"),
                                description="A game engine; its source code is open source."),
                SimpleNamespace(uri="os", labels=("operating systems", "Linux"),
                                description="Systems such as Linux, Windows and Linux distributions; linux.")]
    taxonomy = SimpleNamespace(concepts=lambda kind: concepts if kind == "skill" else [])
    everyday = lowercase_words(taxonomy)
    assert {"access", "source"} <= everyday and "linux" not in everyday
    assert everyday_proper_name("Access", everyday) and not everyday_proper_name("Linux", everyday)
    assert not everyday_proper_name("Microsoft Access", everyday)
    matcher = LiteralMatcher.from_taxonomy(taxonomy, ("skill",))
    assert [h.uris for h in matcher.find("open source tools and access to linux servers")] == [("os",)]
    assert [h.uris for h in matcher.find("We use Access, the Source engine and Linux.")] == [
        ("access",), ("source",), ("os",)]


def test_technology_aliases_leave_generic_terms_to_esco(taxonomy):
    from skillmatch.extract.technology import technology_labels

    labels = {label for label, *_ in technology_labels(taxonomy)}
    # a product keeps its short names; a category trimmed of "software" is not a product
    assert {"Amazon Web Services AWS", "AWS", "Data visualization software"} <= labels
    assert "Data visualization" not in labels


def test_rank_is_best_first_over_the_whole_pillar(extractor, taxonomy):
    ranked = extractor.rank(["experience with Python programming", "nursing care for patients"], top_k=5)
    assert [len(r) for r in ranked] == [5, 5]
    assert ranked[0][0].uri == sample_uri("skill", "python")
    assert ranked[1][0].uri == sample_uri("skill", "nursing-care")
    assert all(a.score >= b.score for r in ranked for a, b in zip(r, r[1:]))
    everything = extractor.rank(["statistics"], top_k=1000)[0]
    # the whole space: every ESCO skill and the O*NET technologies no ESCO skill duplicates
    assert len(everything) == len(extractor.space.uris) > len(taxonomy.uris("skill"))
    assert {taxonomy.kind(s.uri) for s in everything} == {"skill", "technology"}


def test_extract_gives_skills_with_traceable_evidence(extractor):
    result = extractor.extract(JD, "jd.md")
    found = {s.uri: s for s in result.skills}
    for slug in ("python", "sql", "statistics", "machine-learning", "manage-projects", "customers"):
        assert sample_uri("skill", slug) in found, slug
    python = found[sample_uri("skill", "python")]
    evidence = python.evidence[0]
    assert JD[evidence.start:evidence.end] == evidence.sentence
    assert JD[evidence.match_start:evidence.match_end] == evidence.matched_text == "Python"
    assert python.method == "both" and python.skill_type == "knowledge"
    assert python.path[-1] == "Python (computer programming)"
    assert all(s.score >= extractor.threshold for s in result.skills)
    assert [s.score for s in result.skills] == sorted((s.score for s in result.skills), reverse=True)
    json.dumps(result.to_dict())  # JSON-serialisable as it is


def test_threshold_is_overridable(extractor, taxonomy):
    from skillmatch.config import ExtractionConfig

    strict = extractor.variant(ExtractionConfig(threshold=0.999))
    loose = extractor.variant(ExtractionConfig(threshold=0.0, semantic_threshold=0.0, verdict_gate=False))
    assert len(strict.extract(JD).skills) < len(extractor.extract(JD).skills) < len(loose.extract(JD).skills)


def test_a_skill_no_words_name_needs_the_semantic_threshold(extractor):
    from skillmatch.config import ExtractionConfig

    extractor = extractor.variant(verdicts=None)  # the rule alone, not the verdict gate that judges its output
    shipped = extractor.extract(JD).skills
    every = extractor.variant(ExtractionConfig(semantic_threshold=0.0)).extract(JD).skills
    semantic = [e for s in shipped for e in s.evidence if e.method == "semantic"]
    assert all(e.score >= 0.5 for e in semantic)
    added = {s.uri for s in every} - {s.uri for s in shipped}
    assert added, "the sample JD has semantic neighbours between the threshold and 0.5"
    assert all(s.method == "semantic" and s.score < 0.5 for s in every if s.uri in added)
    assert {s.uri for s in shipped if s.method != "semantic"} <= {s.uri for s in every}


@pytest.mark.parametrize("text", ["", "   \n\n ", "!!! ??? ...", "Wir suchen eine Pflegekraft für unser Team."])
def test_empty_or_foreign_text_gives_a_result_not_a_crash(extractor, text):
    result = extractor.extract(text)
    assert isinstance(result.skills, tuple)
    if not text.strip(" \n!?."):
        assert result.skills == () and result.warnings


@pytest.mark.slow  # a subprocess or a training run
def test_cli_rank_skills_keeps_line_order(sample_data_dir, kb_cache):
    lines = "experience with Python\n\nnursing care for patients\n"
    out = subprocess.run([sys.executable, "-m", "skillmatch.cli", "rank-skills", "--top-k", "3", "--data",
                          str(sample_data_dir), "--cache-dir", str(kb_cache)], input=lines, capture_output=True,
                         text=True, check=True)
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in records] == ["experience with Python", "", "nursing care for patients"]
    assert records[1]["skills"] == [] and len(records[0]["skills"]) == 3
    assert records[0]["skills"][0]["uri"] == sample_uri("skill", "python")


@pytest.mark.slow  # a subprocess or a training run
def test_cli_extract_reports_bad_files_and_goes_on(sample_data_dir, kb_cache, tmp_path):
    good = tmp_path / "jd.md"
    good.write_text(JD)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    out = subprocess.run([sys.executable, "-m", "skillmatch.cli", "extract", str(good), str(bad), "--format", "json",
                          "--data", str(sample_data_dir), "--cache-dir", str(kb_cache)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "broken.pdf" in out.stderr and "Traceback" not in out.stderr
    results = json.loads(out.stdout)
    assert len(results) == 1 and results[0]["source"] == str(good)
    every = subprocess.run([sys.executable, "-m", "skillmatch.cli", "extract", str(good), "--format", "json",
                            "--semantic-threshold", "0", "--verdict-threshold", "0", "--data", str(sample_data_dir),
                            "--cache-dir", str(kb_cache)], capture_output=True, text=True, check=True)
    skills = json.loads(every.stdout)[0]["skills"]
    assert len(skills) > len(results[0]["skills"]) and all(0 <= s["stated"] <= 1 for s in skills)
    assert any(s["stated"] < 0.5 for s in skills)  # kept only because the verdict threshold is 0


def test_spacy_component_sets_skills_and_spans(sample_data_dir, kb_cache):
    import spacy

    nlp = spacy.blank("en")
    # the factory is found through the package's spacy_factories entry point
    nlp.add_pipe("skillmatch", config={"data": str(sample_data_dir), "cache_dir": str(kb_cache)})
    doc = nlp("Experience with Python and SQL is required.")
    assert sample_uri("skill", "python") in {s.uri for s in doc._.skills}
    assert "Python" in {span.text for span in doc.spans["skills"]}


def test_sklearn_transformer_maps_documents_to_skill_vectors(extractor):
    from sklearn.base import clone

    from skillmatch.extract.sklearn import SkillVectorizer

    vectorizer = SkillVectorizer(extractor=extractor)
    assert clone(SkillVectorizer(vocabulary="all")).get_params()["vocabulary"] == "all"
    matrix = vectorizer.fit_transform(["Python and SQL developer", "nursing care and first aid"])
    names = list(vectorizer.get_feature_names_out())
    assert matrix.shape == (2, len(names))
    python = names.index(sample_uri("skill", "python"))
    assert matrix[0, python] > 0 and matrix[1, python] == 0


def test_headings_yield_no_semantic_guesses(extractor):
    result = extractor.extract("PROFESSIONAL EXPERIENCE\nSKILLS\nPython")
    assert {s.method for s in result.skills} <= {"literal", "both"}
    assert sample_uri("skill", "python") in {s.uri for s in result.skills}


@pytest.mark.parametrize("output", ["table", "json", "jsonl", "csv"])
def test_every_extract_format_renders(extractor, output):
    from skillmatch.extract.render import render_results

    result = extractor.extract(JD, "jd.md")
    text = render_results([result], output)
    assert "Python (computer programming)" in text
    if output == "table":
        assert f"from {result.sentence_count} sentences" in text


def test_lexical_scores_at_inference_equal_scikit_learn_tfidf(taxonomy):
    """Inference re-implements the fitted TF-IDF analysis without scikit-learn; it must not drift."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from skillmatch.extract.lexical import MAX_LABELS, LexicalSkillScorer

    scorer = LexicalSkillScorer().fit(taxonomy)
    sentences = ["Strong Python and SQL programming, the data analysis of data.", "We are a team.", "",
                 "Machine learning; machine-learning MODELS in python!"]
    documents = [" ".join(taxonomy.concept(uri).labels[:MAX_LABELS]) for uri in scorer.uris]
    reference = TfidfVectorizer(ngram_range=scorer.ngram_range, sublinear_tf=True, stop_words="english",
                                dtype=np.float32)
    matrix = reference.fit_transform(documents)
    expected = (reference.transform(sentences) @ matrix.T).toarray()
    assert np.allclose(scorer.similarity(sentences).toarray(), expected, atol=1e-6)
    assert expected.max() > 0.1  # the sentences do hit skills, so the comparison means something


def test_lexical_product_in_numpy_is_scipys_to_the_bit(taxonomy):
    """The sparse product was scipy's; numpy now does it (no scipy import at start-up). Scores
    and the order of a row's skills (which breaks ties in the top-k) must not move at all."""
    from scipy import sparse

    from skillmatch.extract.lexical import LexicalSkillScorer

    scorer = LexicalSkillScorer().fit(taxonomy)
    sentences = ["Strong Python and SQL programming, the data analysis of data.", "", "We are a team.",
                 "Machine learning; machine-learning MODELS in python!", "data data data analysis python"]
    vectors = list(scorer._vectors(sentences))
    rows = np.repeat(np.arange(len(vectors)), [len(keys) for keys, _ in vectors])
    weights, keys = np.concatenate([w for _, w in vectors]), np.concatenate([k for k, _ in vectors])
    terms = sparse.csr_matrix((weights, (rows, keys)), shape=(len(sentences), len(scorer.idf_)))
    skills = sparse.csr_matrix((scorer._term_weights, scorer._term_skills, scorer._term_indptr),
                               shape=(len(scorer.idf_), len(scorer.uris)))
    expected, found = (terms @ skills).tocsr(), scorer.similarity(sentences)
    assert found.indptr.tolist() == expected.indptr.tolist()
    assert found.indices.tolist() == expected.indices.tolist()
    assert found.data.tobytes() == expected.data.tobytes()
    listed = [expected.indices[a:b].tolist() for a, b in zip(expected.indptr, expected.indptr[1:])]
    assert any(row != sorted(row) for row in listed)  # scipy's order is not a sort, so matching it is tested


def test_a_degree_line_in_a_qualifications_list_is_read_as_education():
    """"Master's degree in Computer Science" names a field of study: in a requirements list it
    gets the education zone (literal matches only), not semantic guesses like "teach computer
    science"; other qualification lines keep theirs. A degree line the education-entry check would
    not recognise ("MA in Economics") is still one: that check is for lines a section merely holds."""
    from skillmatch.extract.zones import assign_zones

    text = ("Minimum qualifications:\nMaster's degree in Computer Science or equivalent experience.\n"
            "BA/BS in Electrical Engineering.\nMA in Economics or a related field.\n"
            "Masters of data, you will build models in Python.\n5 years of experience with SQL.\n")
    lines = [(m.start(), m.end()) for m in __import__("re").finditer(r"[^\n]+", text)]
    assert assign_zones(text, lines) == ["heading", "education", "education", "education", "requirements",
                                         "requirements"]


def test_a_heading_glued_to_the_line_before_it_opens_its_section():
    """Resumes pulled out of PDFs glue the next heading to the last line of a section
    ("...Exprience - 120 monthsCompany Details"): the skills list ends there, so the work
    history after it is read as experience (through the statement gate), not as a skills list
    that is never judged. A capitalised product name closing a line opens nothing."""
    from skillmatch.extract.zones import assign_zones

    text = ("Skill Details\nSales- Exprience - 60 months\nMS Office- Exprience - 120 monthsCompany Details\n"
            "company - Honda cars\ndescription - Worked as a sales manager for 5 years\n"
            "Built sales reports in MicroStrategy Report Services\n"
            "Platforms: Windows, UnixEducation Details\nB.Tech (CSE) SRM University\n")
    lines = [(m.start(), m.end()) for m in __import__("re").finditer(r"[^\n]+", text)]
    assert assign_zones(text, lines) == ["heading", "skills", "skills", "experience", "experience", "experience",
                                         "experience", "education"]


@pytest.mark.parametrize("before", ["Skills • Tableau • NLP ", "of Deep learning.", "Khalsa college (2010) "])
def test_a_details_title_glued_after_a_blank_or_full_stop_opens_its_section(before):
    """Job-board resume exports close a line with "Education Details" after anything: the
    degree lines after it are education (literal matches only), not more of the skills list,
    and the job title the export puts after the degrees is not; other capitalised words closing
    a line ("company - Wipro Technologies") open nothing."""
    from skillmatch.extract.zones import assign_zones

    text = (f"{before}Education Details \nJanuary 2013 Bachelor of Engineering Electronics and Communication\n"
            " BE   Dr.BAMU, Aurangabad\nETL Informatica Developer \n\nETL DEVELOPER\n"
            "Skill Details \nSQL- Exprience - 6 months\ncompany - Wipro Technologies\nBuilt reports in SQL\n")
    lines = [(m.start(), m.end()) for m in __import__("re").finditer(r"[^\n]+", text)]
    assert assign_zones(text, lines)[1:] == ["education", "education", "other", "other", "heading", "skills",
                                             "skills", "skills"]


def test_follow_us_on_social_media_is_company_text():
    """"Connect with us on Twitter, Facebook, Instagram and LinkedIn" names products as links, not skills."""
    from skillmatch.extract.zones import sentence_zone

    assert sentence_zone("Connect with us on Twitter, Facebook, Instagram and LinkedIn or watch a video.") == "company"
    assert sentence_zone("You can also follow us on LinkedIn and Twitter") == "company"
    assert sentence_zone("Experience running campaigns on Twitter and LinkedIn") is None


def test_statement_gate_keeps_only_literal_skills_of_sentences_that_state_no_skill(extractor):
    """A gate that says "no skill here" of every sentence leaves the literal matches only; one
    that says "skill" of every sentence leaves what the model without a gate finds, each
    evidence carrying the probability."""
    from skillmatch.config import ExtractionConfig
    from skillmatch.extract.statements import StatementGate

    # the sample model's semantic skills, without the verdict gate that would judge them
    extractor = extractor.variant(ExtractionConfig(semantic_threshold=0.0), verdicts=None)
    dimension = extractor.encoder.dimension
    ungated = extractor.variant(statements=None).extract(JD)
    closed = extractor.variant(statements=StatementGate((0.0,) * dimension, -5.0, 0.5).to_dict())
    opened = extractor.variant(statements=StatementGate((0.0,) * dimension, 5.0, 0.5).to_dict())
    literal = {s.uri for s in closed.extract(JD).skills}
    assert literal and literal == {s.uri for s in ungated.skills if s.method != "semantic"}
    assert any(s.method == "semantic" for s in ungated.skills)
    result = opened.extract(JD)
    assert [s.uri for s in result.skills] == [s.uri for s in ungated.skills]
    assert {e.statement for s in result.skills for e in s.evidence} == {round(1 / (1 + np.exp(-5.0)), 4)}
    assert all(e.statement is None for s in ungated.skills for e in s.evidence)

    def uris(config):
        return [s.uri for s in closed.variant(config).extract(JD).skills]
    assert uris(ExtractionConfig(statement_gate="all", semantic_threshold=0.0)) == []
    assert uris(ExtractionConfig(statement_gate="off", semantic_threshold=0.0)) \
        == uris(ExtractionConfig(statement_threshold=0.0, semantic_threshold=0.0)) \
        == [s.uri for s in ungated.skills]


def test_statement_gate_is_fitted_on_span_annotations(tmp_path):
    from skillmatch.errors import DataFileError
    import json

    from skillmatch.extract.statements import StatementGate
    from skillmatch.train.statements import fit_statement_gate, read_span_sentences

    path = tmp_path / "spans.conll"
    path.write_text("We\tO\tO\nuse\tO\tO\nPython\tO\tB-Knowledge\n\nFree\tO\tO\nlunch\tO\tO\n\n"
                    "Manage\tB-Skill\tO\nteams\tI-Skill\tO\n")
    assert read_span_sentences(path) == [("We use Python", True), ("Free lunch", False), ("Manage teams", True)]
    (tmp_path / "bad.conll").write_text("a token without tags\n")
    with pytest.raises(DataFileError, match="bad.conll:1"):
        read_span_sentences(tmp_path / "bad.conll")
    (tmp_path / "one.conll").write_text("Free\tO\tO\n\nlunch\tO\tO\n")
    with pytest.raises(DataFileError, match="with and without"):
        read_span_sentences(tmp_path / "one.conll")
    rng = np.random.default_rng(0)
    labels = np.arange(200) % 2
    vectors = rng.normal(size=(200, 8)) + labels[:, None] * 0.5
    texts = [("you need sql" if y else "free lunch daily") + f" word{i}" for i, y in enumerate(labels)]
    gate = fit_statement_gate(vectors, labels, texts)
    assert gate.provenance["cross_validated_auc"] > 0.95 and 0.0 < gate.threshold < 1.0
    assert gate.term_weights["need sql"] > 0 > gate.term_weights["free lunch"] and "word7" not in gate.term_weights
    assert gate.probability(vectors[labels == 1], [t for t, y in zip(texts, labels) if y]).mean() > 0.8 \
        > 0.2 > gate.probability(vectors[labels == 0], [t for t, y in zip(texts, labels) if not y]).mean()
    record = json.loads(json.dumps(gate.to_dict()))
    assert StatementGate.from_dict(record).to_dict() == record and record["term_weights"]


def test_mention_gate_drops_literal_matches_it_says_are_no_skill_mention(extractor, tmp_path):
    """A gate that says "not a mention" of every literal match leaves the semantic evidence and a
    resume's skills list; one keyed on a word drops that word's matches only; each judged
    evidence carries the probability."""
    import json

    from skillmatch.config import ExtractionConfig
    from skillmatch.extract.linear_gate import LinearGate

    # the sample model's semantic skills, without the verdict gate that would judge them
    extractor = extractor.variant(ExtractionConfig(semantic_threshold=0.0), verdicts=None)

    def gated(name, weights, bias):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(LinearGate(weights, (0.0,) * extractor.encoder.dimension, bias).to_dict()))
        return extractor.variant(mentions=str(path))

    plain = extractor.variant(ExtractionConfig(mention_gate=False, semantic_threshold=0.0)).extract(JD)
    literal = [e for s in plain.skills for e in s.evidence if e.match_start is not None]
    assert literal and any(e.match_start is None for s in plain.skills for e in s.evidence)
    closed = gated("closed", {}, -5.0)
    result = closed.extract(JD)
    assert all(e.match_start is None for s in result.skills for e in s.evidence)
    assert {(s.uri, e.start) for s in result.skills for e in s.evidence} == {
        (s.uri, e.start) for s in plain.skills for e in s.evidence if e.match_start is None}
    assert [s.uri for s in closed.variant(ExtractionConfig(mention_threshold=0.0, semantic_threshold=0.0))
            .extract(JD).skills] \
        == [s.uri for s in closed.variant(ExtractionConfig(mention_gate=False, semantic_threshold=0.0))
            .extract(JD).skills]
    skills_list = closed.extract("Jane Doe\n\nSkills\nPython, SQL, statistics\n")
    assert {e.matched_text for s in skills_list.skills for e in s.evidence} >= {"Python", "SQL"}
    assert closed.version != gated("same-name", {}, 5.0).version  # the gate's weights are part of the identity
    (tmp_path / "same-name.json").write_text((tmp_path / "closed.json").read_text())
    assert closed.version.split("-")[-1] == extractor.variant(mentions=str(tmp_path / "same-name.json")).version.split("-")[-1]
    opened = gated("opened", {"match=python": -10.0}, 5.0).extract(JD)
    kept = [e for s in opened.skills for e in s.evidence if e.match_start is not None]
    assert {e.matched_text.lower() for e in kept} == {e.matched_text.lower() for e in literal} - {"python"}
    assert {e.mention for e in kept} == {round(1 / (1 + np.exp(-5.0)), 4)}


def test_mention_examples_are_not_thinned_by_a_verdict_gate_the_model_already_has(extractor, tmp_path):
    """Refitting the mention gate of a model with a verdict gate: the examples are every literal
    match extraction keeps before either gate, however closed the verdict gate is."""
    from skillmatch.extract.linear_gate import LinearGate
    from skillmatch.train.mentions import mention_examples
    from skillmatch.train.statements import SpanDocument

    documents = [SpanDocument(JD, (), ())]
    plain = extractor.variant(verdicts=None)
    closed = tmp_path / "closed.json"
    closed.write_text(json.dumps(LinearGate({}, (), -50.0).to_dict()))
    with_verdicts = plain.variant(verdicts=str(closed))
    assert with_verdicts.extract(JD).skills == ()
    features, sentences, _, _ = mention_examples(plain, documents)
    assert features and mention_examples(with_verdicts, documents)[:2] == (features, sentences)


def test_mention_gate_is_fitted_on_span_documents(tmp_path):
    from skillmatch.train.mentions import fit_mention_gate
    from skillmatch.train.statements import read_span_documents

    path = tmp_path / "spans.conll"
    path.write_text("We\tO\tO\nuse\tO\tO\nPython\tO\tB-Knowledge\n\nFree\tO\tO\nlunch\tO\tO\n\n"
                    "Manage\tB-Skill\tO\nteams\tI-Skill\tO\n")
    (document,) = read_span_documents(path)
    assert document.text == "We use Python\nFree lunch\nManage teams\n"
    assert [document.text[s:e] for s, e in document.spans] == ["Python", "Manage teams"]
    assert [document.text[s:e] for s, e in document.sentences] == ["We use Python", "Free lunch", "Manage teams"]
    assert len(read_span_documents(path, size=2)) == 2
    rng = np.random.default_rng(0)
    labels = np.arange(300) % 2
    features = [{f"match={'good' if y else 'bad'}{i % 7}": 1.0, f"left1=w{rng.integers(50)}": 1.0} for i, y in
                enumerate(labels)]
    gate = fit_mention_gate(features, rng.normal(size=(300, 4)) * 0.05, labels, np.arange(300) // 10)
    assert gate.provenance["cross_validated_auc"] > 0.95 and gate.threshold == 0.5
    assert gate.probability({"match=good3": 1.0}, np.zeros(4)) > 0.5 > gate.probability({"match=bad3": 1.0},
                                                                                         np.zeros(4))
    assert gate.provenance["precision_at_threshold"] > 0.95 > 0.5 == gate.provenance["precision_before"]


def test_verdict_gate_drops_skills_it_says_a_reader_would_judge_wrong(extractor, tmp_path):
    """A gate that says "wrong" of every skill leaves none; one keyed on the method drops that
    method's skills only; with the gate off, every skill stays and still reports ``stated``."""
    from skillmatch.config import ExtractionConfig
    from skillmatch.extract.linear_gate import LinearGate

    extractor = extractor.variant(ExtractionConfig(semantic_threshold=0.0), verdicts=None)
    ungated = extractor.extract(JD).skills
    assert {s.method for s in ungated} >= {"semantic", "both"} and all(s.stated is None for s in ungated)

    def gated(name, weights, bias, config=None):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(LinearGate(weights, (), bias).to_dict()))
        return extractor.variant(config, verdicts=str(path))

    closed = gated("closed", {}, -5.0)
    assert closed.extract(JD).skills == () and "no skill passed the threshold" in closed.extract(JD).warnings
    kept = gated("closed", {}, -5.0, ExtractionConfig(semantic_threshold=0.0, verdict_gate=False)).extract(JD).skills
    assert [s.uri for s in kept] == [s.uri for s in ungated]
    assert {s.stated for s in kept} == {round(1 / (1 + np.exp(5.0)), 4)}
    assert [s.uri for s in gated("closed", {}, -5.0, ExtractionConfig(semantic_threshold=0.0, verdict_threshold=0.0))
            .extract(JD).skills] == [s.uri for s in ungated]
    named = gated("named", {"method=semantic": -10.0}, 5.0).extract(JD).skills
    assert [s.uri for s in named] == [s.uri for s in ungated if s.method != "semantic"]
    assert closed.version != gated("named", {"method=semantic": -10.0}, 5.0).version
    target = next(s for s in ungated if s.evidence[0].matched_text)  # what readers made of one skill, elsewhere
    remembered = gated("skill", {f"skill={target.uri}": -10.0}, 5.0).extract(JD).skills
    assert [s.uri for s in remembered] == [s.uri for s in ungated if s.uri != target.uri]
    words = target.evidence[0].matched_text.lower()
    remembered = gated("words", {f"match={words}": -10.0}, 5.0).extract(JD).skills
    assert [s.uri for s in remembered] == [s.uri for s in ungated if s.evidence[0].matched_text.lower() != words]
    record = json.loads(json.dumps(named[0].to_dict()))
    from skillmatch.types import skill_from_dict

    assert skill_from_dict(record).stated == named[0].stated > 0.99


def test_verdict_features_read_what_extraction_reports():
    from skillmatch.extract.verdicts import verdict_features
    from skillmatch.types import Evidence, ExtractedSkill

    evidence = Evidence("Experience with SQL.", 0, 20, 0.8, "both", "SQL", 16, 19, zone="requirements",
                        statement=0.9, mention=0.7)
    features = verdict_features(ExtractedSkill("u", "SQL", 0.8, "both", "knowledge", evidence=(evidence, evidence)))
    assert features["method=both"] == features["zone=requirements"] == features["type=knowledge"] == 1.0
    assert features["mention"] == 0.7 and features["statement"] == 0.9 and features["match_is_label"] == 1.0
    assert features["match_upper"] == features["match_short"] == 1.0 and features["evidence"] == pytest.approx(np.log(3))
    assert features["skill=u"] == features["match=sql"] == 1.0  # what readers made of this skill and these words
    semantic = Evidence("Manage teams well.", 0, 18, 0.6, "semantic", zone="other")
    features = verdict_features(ExtractedSkill("v", "manage staff", 0.6, "semantic", "skill", evidence=(semantic,)))
    assert features["mention_not_judged"] == 1.0 and "match_upper" not in features and "statement" not in features
    assert features["skill=v"] == 1.0 and not any(name.startswith("match=") for name in features)


def test_verdict_gate_is_fitted_on_hand_verdicts_by_whole_documents(tmp_path):
    from skillmatch.errors import DataFileError
    from skillmatch.train.verdicts import fit_verdict_gate, read_verdicts

    rng = np.random.default_rng(0)
    labels = np.arange(400) % 2
    features = [{"method=literal" if y else "method=semantic": 1.0, "score": float(rng.random())} for y in labels]
    groups = np.array([f"doc{i // 20}" for i in range(400)])
    gate = fit_verdict_gate(features, labels, groups, source="judged.csv", unjudged=3)
    assert gate.threshold == 0.5 and gate.vector_weights == ()
    assert gate.probability({"method=literal": 1.0, "score": 0.5}) > 0.5 > gate.probability({"method=semantic": 1.0,
                                                                                              "score": 0.5})
    facts = gate.provenance
    assert facts["cross_validated_auc"] > 0.95 and facts["unjudged"] == 3 and len(facts["documents"]) == 20
    with pytest.raises(DataFileError, match="each on at least 2 documents"):
        fit_verdict_gate(features[:20], labels[:20], groups[:20])
    path = tmp_path / "verdicts.csv"
    path.write_text("document,uri,label,verdict\nd1,u1,SQL,right\nd1,u2,plan,maybe\n")
    with pytest.raises(DataFileError, match=r"verdicts.csv:3: unknown verdict 'maybe'"):
        read_verdicts(path)
    path.write_text("doc,skill\nd1,u1\n")
    with pytest.raises(DataFileError, match="document, uri, label, verdict"):
        read_verdicts(path)
    path.write_text("document,uri,label,verdict\nd1,u1,SQL,right\nd2,u2,plan,wrong\n")
    assert read_verdicts(path) == {("d1", "u1"): "right", ("d2", "u2"): "wrong"}


def test_a_precision_target_sets_the_lowest_threshold_that_reaches_it():
    """With a target, the gate's threshold is the lowest step from 0.5 up at which its
    cross-fitted probabilities keep a right share at or above it (measured on the examples'
    own documents), and the card's figures are at that threshold."""
    from skillmatch.train.linear_gate import THRESHOLD_STEPS, fit_linear_gate

    rng = np.random.default_rng(1)
    score = rng.random(2000)
    labels = (rng.random(2000) < score).astype(int)  # right with probability = score
    features = [{"score": float(x)} for x in score]
    groups = np.array([f"doc{i // 40}" for i in range(2000)])
    plain, _ = fit_linear_gate(features, None, labels, groups)
    gate, predicted = fit_linear_gate(features, None, labels, groups, target_precision=0.85)
    assert plain.threshold == 0.5 and "target_precision" not in plain.provenance
    assert 0.5 < gate.threshold < THRESHOLD_STEPS[-1] and gate.provenance["target_precision"] == 0.85
    assert labels[predicted >= gate.threshold].mean() >= 0.85
    assert all(labels[predicted >= step].mean() < 0.85 for step in THRESHOLD_STEPS if step < gate.threshold)
    assert gate.provenance["precision_at_threshold"] == round(float(labels[predicted >= gate.threshold].mean()), 4)
    unreachable, _ = fit_linear_gate(features, None, labels, groups, target_precision=1.0)
    assert unreachable.threshold == THRESHOLD_STEPS[-1]


def test_with_a_verdict_gate_every_semantic_skill_is_left_to_it(extractor, tmp_path):
    """The verdict gate is fitted on every semantic skill above the threshold, so where it is on
    it judges them all (semantic_threshold 0); without it, or with it off, a skill no words name
    needs 0.5; a configured semantic_threshold always wins."""
    from skillmatch.config import ExtractionConfig
    from skillmatch.extract.linear_gate import LinearGate

    path = tmp_path / "open.json"
    path.write_text(json.dumps(LinearGate({}, (), 5.0).to_dict()))  # keeps every skill it judges
    plain = extractor.variant(verdicts=None)
    gated = extractor.variant(verdicts=str(path))
    assert plain.semantic_threshold == 0.5 and gated.semantic_threshold == 0.0
    every = plain.variant(ExtractionConfig(semantic_threshold=0.0)).extract(JD).skills
    assert [s.uri for s in gated.extract(JD).skills] == [s.uri for s in every]
    off = gated.variant(ExtractionConfig(verdict_gate=False))
    assert off.semantic_threshold == 0.5
    assert [s.uri for s in off.extract(JD).skills] == [s.uri for s in plain.extract(JD).skills]
    assert gated.variant(ExtractionConfig(semantic_threshold=0.5)).semantic_threshold == 0.5
    assert len(plain.extract(JD).skills) < len(every)


def test_model_identity_is_the_hash_of_its_whole_recipe():
    """The record is built field by field (asdict deep-copied the statement gate's 29k weights
    at every start); it must hash to what asdict gave, the identity recorded in results."""
    import hashlib
    from dataclasses import asdict

    from skillmatch.extract.model import ModelSpec

    spec = ModelSpec.load("default").replace(mentions=None, verdicts=None)
    assert spec.statements and spec.calibration is not None
    record = asdict(spec)
    for key in ("folder", "description", "version", "verdicts"):
        record.pop(key)
    digest = hashlib.blake2b(json.dumps(record, sort_keys=True, default=str).encode(), digest_size=4).hexdigest()
    assert spec.version_id("0" * 8) == f"default@00000000-{digest}"
    assert spec.replace(threshold=spec.threshold + 0.01).version_id("0" * 8) != spec.version_id("0" * 8)


def test_the_ranking_benchmark_scores_several_models_side_by_side(sample_data_dir, kb_cache, tmp_path, monkeypatch):
    """benchmarks/skill_extraction_val.py --model A --model B: every configuration of each model,
    the baselines once, in one results file (a candidate beside the shipped model)."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "benchmarks"))
    import skill_extraction_val

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    folder = data / "benchmarks" / "skill-extraction-val"
    folder.mkdir(parents=True)
    lines = {"tech": [("We build services in Python backed by SQL databases.", ["python", "sql"]),
                      ("You will train deep learning models for vision.", ["deep-learning"]),
                      ("Our front end is written in JavaScript.", ["javascript"])],
             "house": [("Give medication to patients and keep their records.", ["medication", "patient-records"]),
                       ("Apply first aid when a guest is hurt.", ["first-aid"]),
                       ("Manage the budgets of two departments.", ["manage-budgets"])]}
    for name, items in lines.items():
        (folder / f"{name}_validation.jsonl").write_text("".join(
            json.dumps({"sentence": text, "skills": [{"uri": sample_uri("skill", slug)} for slug in slugs]}) + "\n"
            for text, slugs in items))
    out = tmp_path / "val.json"
    monkeypatch.setattr(sys, "argv", ["skill_extraction_val.py", "--data", str(data), "--cache-dir", str(kb_cache),
                                      "--recipes", "label", "--model", str(root / "models" / "default"),
                                      "--model", str(root / "models" / "fast"), "--out", str(out)])
    skill_extraction_val.main()
    systems = json.loads(out.read_text())["systems"]
    for model in ("default", "fast"):
        assert {f"{model}: label + literal + lexical", f"encoder alone: {model}, preferred labels only"} <= set(systems)
    assert sum(name.startswith("baseline: TF-IDF") for name in systems) == 1
    assert all(set(scores) == {"TECH", "HOUSE"} for scores in systems.values())
    monkeypatch.setattr(sys, "argv", ["skill_extraction_val.py", "--data", str(data), "--cache-dir", str(kb_cache),
                                      "--model", str(root / "models" / "fast"), "--model", str(root / "models" / "fast"),
                                      "--out", str(out)])
    with pytest.raises(SystemExit):
        skill_extraction_val.main()
