"""The built wheels work outside the repository, offline, on the real ESCO data.

Both wheels (skillmatch and skillmatch_model_default) are built as `make dist` builds them
and installed with --no-deps into a fresh virtual environment layered on this environment's
installed dependencies; commands then run from a temporary folder, where nothing of the
checkout can be imported or found.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent

SNIPPET = """
from pathlib import Path
from skillmatch import Matcher, MatchConfig, SkillExtractor, __all__

extractor = SkillExtractor.from_data()
result = extractor.extract("We need a data scientist with strong Python and SQL skills and machine learning.")
labels = [s.label for s in result.skills]
assert "Python (computer programming)" in labels and "SQL" in labels, labels
matcher = Matcher(extractor, Path("index"), config=MatchConfig(blind=True))
report = matcher.add_resumes(["Data analyst. Python, SQL and machine learning every day.",
                              "Registered nurse caring for patients in a hospital ward."], ids=["analyst", "nurse"])
assert report.added == ["analyst", "nurse"], report
ranking = matcher.match("Data scientist: Python, SQL and machine learning required.", top_k=2)
assert [m.id for m in ranking] == ["analyst", "nurse"], [(m.id, m.score) for m in ranking]
print("ok", extractor.spec.folder)
"""


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    from skillmatch.packaging import package_model

    dist = tmp_path_factory.mktemp("dist")
    package_model(ROOT / "models" / "default", dist)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(dist), str(ROOT)], check=True, capture_output=True)
    wheels = sorted(dist.glob("*.whl"))
    assert [w.name.split("-")[0] for w in wheels] == ["skillmatch", "skillmatch_model_default"]
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # layered on this environment's dependencies (torch, onnxruntime, spaCy, ...), not on the checkout
    Path(purelib, "_skillmatch_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", *map(str, wheels)],
                   check=True, capture_output=True)
    return venv, Path(purelib)


def _run(venv: Path, args: list[str], cwd: Path, real_data: Path, real_cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SKILLMATCH_DATA=str(real_data), SKILLMATCH_CACHE=str(real_cache), PYTHONPATH="",
               HF_HUB_OFFLINE="1")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def test_wheel_extracts_indexes_and_matches_from_anywhere(wheel_env, tmp_path, real_data, real_cache):
    venv, site = wheel_env
    where = _run(venv, [str(venv / "bin" / "skillmatch"), "model", "info", "--json"], tmp_path, real_data, real_cache)
    assert where.returncode == 0, where.stderr
    info = json.loads(where.stdout)
    # the installed model package, not the checkout's models/ folder
    assert info["origin"] == "package" and Path(info["folder"]).is_relative_to(site)
    sample = tmp_path / "jd.txt"
    sample.write_text("Senior data engineer\nYou must know Python, SQL and Apache Spark.\n", encoding="utf-8")
    extracted = _run(venv, [str(venv / "bin" / "skillmatch"), "extract", str(sample), "--format", "json"],
                     tmp_path, real_data, real_cache)
    assert extracted.returncode == 0, extracted.stderr
    labels = {s["label"] for s in json.loads(extracted.stdout)[0]["skills"]}
    assert {"Python (computer programming)", "SQL"} <= labels, labels
    snippet = _run(venv, [str(venv / "bin" / "python"), "-c", SNIPPET], tmp_path, real_data, real_cache)
    assert snippet.returncode == 0, snippet.stderr[-3000:]
    assert snippet.stdout.startswith("ok ") and str(site) in snippet.stdout
    imported = _run(venv, [str(venv / "bin" / "python"), "-c", "import skillmatch; print(skillmatch.__file__)"],
                    tmp_path, real_data, real_cache)
    assert Path(imported.stdout.strip()).is_relative_to(site)
