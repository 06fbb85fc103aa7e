"""Package a model folder as its own wheel, the way spaCy packages pipelines.

``python -m skillmatch.packaging models/default dist/`` (or ``skillmatch model package``)
writes ``skillmatch_model_<name>-<version>-py3-none-any.whl``: a package
``skillmatch_model_<name>`` holding the folder's files, registered under the
``skillmatch.models`` entry-point group, so ``pip install`` of the wheel makes the model
loadable by name anywhere, offline.

Standard library only: the Makefile runs it before anything else is installed.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

SPEC_FILE = "skillmatch.json"
ENTRY_POINT_GROUP = "skillmatch.models"
# never shipped: training state and editor or OS leftovers
SKIPPED = re.compile(r"(^\.|checkpoint|\.tmp$|__pycache__|\.pyc$)")
# a fixed timestamp makes the wheel byte-identical for identical model files
ZIP_DATE = (2020, 1, 1, 0, 0, 0)

INIT = '''"""skillmatch model '{name}' {version}, packaged by skillmatch.packaging."""
from pathlib import Path

__version__ = "{version}"


def get_model_path() -> Path:
    """The model folder (its skillmatch.json, weights and card) inside this package."""
    return Path(__file__).resolve().parent
'''


def distribution_name(model_name: str) -> str:
    """``default`` → ``skillmatch_model_default`` (a valid package and wheel name)."""
    return "skillmatch_model_" + re.sub(r"[^0-9A-Za-z]+", "_", model_name).strip("_").lower()


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def package_model(folder: str | Path, out_dir: str | Path, name: str | None = None) -> Path:
    """Write the wheel of the model in ``folder`` into ``out_dir``; returns its path.

    Parameters
    ----------
    folder : str or Path
        A model folder (with ``skillmatch.json``).
    out_dir : str or Path
        Where the wheel goes (created if missing).
    name : str, optional
        The name the model is loaded by (default: the recipe's ``name``).

    Returns
    -------
    Path
        The wheel file.
    """
    folder = Path(folder)
    spec_path = folder / SPEC_FILE
    if not spec_path.is_file():
        raise SystemExit(f"error: {folder}: not a skillmatch model folder (no {SPEC_FILE})")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    model_name = name or spec.get("name") or folder.name
    version = spec.get("version") or "0.0.0"
    package = distribution_name(model_name)
    dist_info = f"{package}-{version}.dist-info"
    files: list[tuple[str, bytes]] = [(f"{package}/__init__.py", INIT.format(name=model_name, version=version).encode())]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if any(SKIPPED.search(part) for part in relative.split("/")):
            continue
        files.append((f"{package}/{relative}", path.read_bytes()))
    card = folder / "MODEL_CARD.md"
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {package.replace('_', '-')}",
        f"Version: {version}",
        f"Summary: skillmatch model '{model_name}': {spec.get('description', '')[:200]}",
        "License: Apache-2.0",
        "Requires-Python: >=3.11",
        "Description-Content-Type: text/markdown",
        "",
        card.read_text(encoding="utf-8") if card.is_file() else "",
    ])
    files += [
        (f"{dist_info}/METADATA", metadata.encode()),
        (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: skillmatch.packaging\nRoot-Is-Purelib: true\n"
                               b"Tag: py3-none-any\n"),
        (f"{dist_info}/entry_points.txt", f"[{ENTRY_POINT_GROUP}]\n{model_name} = {package}:get_model_path\n".encode()),
        (f"{dist_info}/top_level.txt", f"{package}\n".encode()),
    ]
    record = "\n".join(_record_line(n, d) for n, d in files) + f"\n{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{package}-{version}-py3-none-any.whl"
    partial = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arcname, data in files:
            info = zipfile.ZipInfo(arcname, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    partial.replace(wheel)
    return wheel


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m skillmatch.packaging MODEL_FOLDER OUT_DIR", file=sys.stderr)
        return 2
    print(package_model(args[0], args[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
