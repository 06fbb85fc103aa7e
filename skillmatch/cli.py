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
                           help="Model folder or name under models/ (default: models/default).")


def _extractor(data, cache_dir, model, **params):
    from skillmatch.extract import SkillExtractor

    return SkillExtractor.from_data(data, model=model, cache_dir=cache_dir, **params)


@app.command("extract")
def extract(files: list[Path] = typer.Argument(..., help="Text, Markdown, PDF or DOCX files; - for stdin."),
            output: str = typer.Option("table", "--format", help="table, json, jsonl or csv"),
            threshold: Optional[float] = typer.Option(None, help="Calibrated score needed to extract a skill "
                                                                 "(default: the model's, chosen on validation data)."),
            top_k: int = typer.Option(10, "--top-k", help="Semantic candidates per sentence."),
            data: Optional[Path] = DataOption, cache_dir: Optional[Path] = CacheOption,
            model: Optional[str] = ModelOption) -> None:
    """Extract ESCO skills with evidence (sentence, character span, score, method) from documents."""
    from skillmatch.errors import DocumentError
    from skillmatch.extract.render import render_results

    extractor = _extractor(data, cache_dir, model, threshold=threshold, top_k=top_k)
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
                model: Optional[str] = ModelOption) -> None:
    """Read one sentence per stdin line; write one JSON line per input line, skills best first."""
    extractor = _extractor(data, cache_dir, model)
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
