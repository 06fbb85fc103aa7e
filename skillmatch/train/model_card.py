"""The model card written next to every trained model: what it learned from, how, and how well."""
from __future__ import annotations

import json
from pathlib import Path


def write_model_card(folder: Path, record: dict) -> Path:
    config, data, report = record["config"], record["data"], record["report"]
    losses = report["losses"]
    lines = [
        f"# {record.get('name', 'skillmatch model')}",
        "",
        "Sentence ↔ ESCO skill bi-encoder trained by `skillmatch train` with distant supervision "
        "(literal ESCO label matches in unlabelled text) and negative sampling.",
        "",
        "## Reproduce",
        "",
        "```",
        record["command"],
        "```",
        "",
        "## Data",
        "",
        f"- Corpus files (relative to the data directory, with content hashes): "
        f"{', '.join(_file(f) for f in record.get('corpus', [])) or 'see training.json'}",
        f"- Corpus reading: {json.dumps(record.get('corpus_stats', {}))}",
        f"- Sentences with a literal ESCO skill label: {data.get('sentences_with_match')} of {data.get('sentences')} "
        f"({100 * data.get('coverage', 0):.1f} %); distinct skills in sentences: {data.get('skills_in_sentences')}",
        f"- Skills with a positive from a corpus sentence: {data.get('skills_in_sentences')}; with any sentence "
        f"positive after augmentation (label swaps): {data.get('skills_with_a_sentence_positive', '-')} of "
        f"{data.get('skills_total')}",
        f"- Sentence pairs by source: {json.dumps(data.get('sentence_pairs_by_source', {}))}",
        f"- Training pairs by origin: {json.dumps(data.get('pairs_by_origin', {}))}; "
        f"pairs dropped by the per-skill cap: {data.get('capped_pairs')}; ambiguous label hits skipped: "
        f"{data.get('ambiguous_hits_skipped')}",
        f"- Most frequent matched labels: {', '.join(f'{label} ({n})' for label, n in data.get('top_labels', [])[:10])}",
        f"- Excluded sentences (e.g. validation): {record.get('corpus_stats', {}).get('excluded', 0)}",
        "",
        "## Recipe",
        "",
        f"- Base encoder: `{config['base_model']}` (word embeddings frozen; the other tensors are stored in "
        "`encoder.safetensors`, half precision, and laid over the base when loading); inference runs the ONNX "
        f"export `encoder.onnx` ({'int8' if config.get('quantize') else 'float32'} weights) with `tokenizer.json`",
        f"- Negatives: {' + '.join(config['negatives'])}"
        + (f" (shares {config['shares']})" if config.get("shares") else "")
        + f", {config['negatives_per_positive']} per positive; random fill-ins when a pool ran dry: "
          f"{report['negatives_fallback']}",
        f"- Loss: softmax cross-entropy over each sentence's allowed candidates, scale {config['scale']}",
        f"- {config['max_steps']} steps"
        + (f" ({record['epochs']} epochs over the pairs)" if record.get("epochs") else "")
        + f" × batch {config['batch_size']}, AdamW lr {config['learning_rate']}, "
        f"warm-up {config['warmup_steps']} steps, max {config['max_seq_length']} tokens, seed {config['seed']}",
        f"- Checkpoint chosen on the distant held-out split ({data.get('holdout_sentences', 0)} sentences): step "
        f"{report.get('best_step') or config['max_steps']}; held-out MRR by step: "
        f"{', '.join(f'{s}: {v}' for s, v in report.get('holdout_curve', [])) or '-'}",
        f"- Training time: {report['seconds']:.0f} s"
        + (f" (resumed at step {report['resumed_from']})" if report["resumed_from"] else ""),
        f"- Loss: first 20 steps {_mean(losses[:20]):.3f}, last 20 steps {_mean(losses[-20:]):.3f}",
        "",
        "## Metrics",
        "",
    ]
    metrics = record.get("metrics")
    if metrics:
        lines += ["Encoder-only ranking of all ESCO skills (preferred labels), no literal or lexical signal:", "",
                  "| set | RP@5 | RP@10 | MRR |", "|---|---|---|---|"]
        lines += [f"| {name} | {m['RP@5']:.2f} | {m['RP@10']:.2f} | {m['MRR']:.2f} |" for name, m in metrics.items()]
    else:
        lines.append("Not evaluated at training time (`skillmatch train --evaluate FILE`); see "
                     "`benchmarks/negative_sampling.py`.")
    if record.get("calibration"):
        lines += ["", f"Calibration and threshold fitted on: {', '.join(_file(f) for f in record['calibration'].get('files', []))} "
                      f"({json.dumps(record['calibration'].get('quality', {}))})."]
    lines += ["", "## Versions", "", "```", json.dumps(record["versions"], indent=2), "```", "",
              "ESCO: This service uses the ESCO classification of the European Commission.", ""]
    path = folder / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _file(described) -> str:
    """``path`` (blake2b prefix) for a file recorded by ``describe_file``."""
    if isinstance(described, dict):
        return f"`{described['path']}` ({described['blake2b'][:12]})"
    return f"`{described}`"


def _mean(values) -> float:
    return sum(values) / len(values) if values else float("nan")


def write_card_section(folder: str | Path, heading: str, body: str) -> None:
    """Put (or replace) a ``## heading`` section in a model card, before ``## Versions``: steps
    that add a part to a finished model (its gates) document it where the recipe is read."""
    card = Path(folder) / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8") if card.exists() else f"# {Path(folder).name}\n"
    start = text.find(f"## {heading}\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + text[end + 1 if end >= 0 else len(text):]
    section = f"## {heading}\n\n{body}\n\n"
    anchor = text.find("## Versions")
    text = text[:anchor] + section + text[anchor:] if anchor >= 0 else text.rstrip("\n") + "\n\n" + section
    card.write_text(text, encoding="utf-8")
