"""Batch scoring: many resumes × a few JDs, streamed, partitioned, resumable, on processes or Dask.

Input is cut into partitions of ``partition_size`` resumes, in input order. Each partition is
scored by a worker that loads the model and knowledge base once, and written as its own
part file (atomically). When every part is done they are committed, in order, into the
output file (atomically). ``resume_run`` skips parts already written by an interrupted run
with the same inputs and settings, so nothing is redone or duplicated. Per-document failures
become rows with an ``error`` and the job goes on.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from skillmatch.batch.inputs import ResumeItem, iter_resumes
from skillmatch.config import SkillmatchConfig
from skillmatch.errors import ConfigurationError, SkillmatchError

log = logging.getLogger(__name__)

COLUMNS = ("resume_id", "job_id", "score", "fit", "summary", "top_matched", "missing", "explanation", "model",
           "knowledge_base", "config", "source", "warnings", "error")
FORMATS = {".jsonl", ".csv", ".parquet"}


@dataclass(frozen=True)
class Job:
    id: str
    text: str


@dataclass
class BatchReport:
    output: str
    partitions: int
    rows: int
    errors: int
    skipped_partitions: int = 0
    seconds: float = 0.0
    resumes: int = 0
    errors_by_resume: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# one matcher per worker process: loading the model per document would dominate the cost
_WORKER_MATCHERS: dict[str, object] = {}


def _worker_matcher(config: SkillmatchConfig):
    key = json.dumps(config.to_dict(), sort_keys=True, default=str)
    if key not in _WORKER_MATCHERS:
        from skillmatch.extract import SkillExtractor
        from skillmatch.match import Matcher

        extractor = SkillExtractor.from_data(config.data, model=config.model, config=config.extraction,
                                             cache_dir=config.cache_dir)
        _WORKER_MATCHERS[key] = Matcher(extractor, config=config.matching)
    return _WORKER_MATCHERS[key]


class _Timeout(Exception):
    pass


def _with_timeout(seconds: int, function, *args):
    """Bound one document's work with SIGALRM where possible (main thread of a process)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return function(*args)

    def expire(signum, frame):
        raise _Timeout(f"timed out after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        return function(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def score_partition(items: list[ResumeItem], jobs: list[Job], config: SkillmatchConfig) -> list[dict]:
    """Rows for one partition, in input order: one per resume × job, errors included.

    Each worker computes with one thread: float results then do not depend on how many
    threads a process happens to have, so every engine gives the same rows.
    """
    from dataclasses import replace

    from skillmatch.match.scoring import rank

    matcher = _worker_matcher(config.replace(extraction=replace(config.extraction, threads=1)))
    prepared = [matcher.prepare_job(job.text, job.id) for job in jobs]
    rows = []
    for item in items:
        base = {"resume_id": item.id, "source": item.source, "model": matcher.extractor.version,
                "knowledge_base": matcher.extractor.taxonomy.version, "config": config.fingerprint()}
        try:
            if item.error:
                raise SkillmatchError(f"{item.source}: {item.error}")
            profile = _with_timeout(config.batch.document_timeout, matcher.profile,
                                    Path(item.path) if item.path else item.text, item.id, "resume", item.source)
            if not profile.text.strip():
                raise SkillmatchError(f"{item.source}: the resume is empty (no text to score)")
        except (SkillmatchError, _Timeout, OSError, ValueError, RuntimeError) as exc:
            rows.extend(dict(base, job_id=job.id, score=None, fit=None, summary=None, top_matched=[], missing=[],
                             explanation=None, warnings=[], error=str(exc)) for job in jobs)
            continue
        for job in prepared:
            match = rank(job, [profile], matcher.scorer)[0]
            matched = sorted((c for c in match.explanation.contributions if c.kind == "requirement" and c.matched),
                             key=lambda c: -c.value)[:config.batch.top_matched]
            rows.append(dict(base, job_id=job.id, score=match.score, fit=match.fit, summary=match.summary,
                             top_matched=[c.requirement.label for c in matched],
                             missing=[s.label for s in match.explanation.missing],
                             explanation=match.explanation.to_dict(), warnings=list(match.explanation.warnings),
                             error=None))
    return rows


def _partitions(items: Iterable[ResumeItem], size: int) -> Iterator[list[ResumeItem]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _write_part(rows: list[dict], path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({c: row.get(c) for c in COLUMNS}, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _commit(parts: list[Path], output: Path) -> int:
    """Concatenate the parts, in order, into the output format; atomically."""
    suffix = output.suffix.lower()
    tmp = output.with_name(f".{output.name}.tmp")
    count = 0

    def rows() -> Iterator[dict]:
        for part in parts:
            with open(part, encoding="utf-8") as handle:
                for line in handle:
                    yield json.loads(line)

    if suffix == ".jsonl":
        with open(tmp, "w", encoding="utf-8") as handle:
            for row in rows():
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    elif suffix == ".csv":
        import csv

        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows():
                writer.writerow(_flat(row))
                count += 1
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"score": pa.float64(), "fit": pa.int64()}
        schema = pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])
        with pq.ParquetWriter(tmp, schema) as writer:
            batch: list[dict] = []
            for row in rows():
                batch.append(_flat(row))
                count += 1
                if len(batch) >= 5000:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    os.replace(tmp, output)
    return count


def _flat(row: dict) -> dict:
    """Lists and objects as JSON text, for the flat formats (CSV, Parquet); JSONL keeps them nested."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}


def _fingerprint(jobs: list[Job], resumes: str, config: SkillmatchConfig) -> str:
    """Identity of a run: jobs, inputs, every result-changing setting, the locations and the partitioning."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(json.dumps([asdict(j) for j in jobs] + [str(resumes), config.fingerprint(), config.data,
                             config.model, config.batch.partition_size], sort_keys=True).encode())
    return digest.hexdigest()


def score(jobs: Sequence[str | Path | Job], resumes: str | Path, out: str | Path,
          config: SkillmatchConfig | None = None, *, resume_run: bool = False, text_column: str = "text",
          id_column: str = "id", progress: bool = True, stop_after: int | None = None) -> BatchReport:
    """Score every resume against every job; see the module docstring for the guarantees.

    Parameters
    ----------
    jobs : sequence of str, Path or Job
        Job descriptions: a ``Path`` is a file to read, a ``str`` is the text itself.
    resumes : str or Path
        Where the resumes are: a folder, a glob, a ``.csv`` or a ``.jsonl`` table (a location,
        not a document, so a string is accepted).
    out : str or Path
        ``.parquet``, ``.jsonl`` or ``.csv`` output, written when every partition is done.
    config : SkillmatchConfig, optional
        Locations, extraction, matching and batch settings (engine, workers, partition size).
    resume_run : bool
        Continue an interrupted run with the same inputs and settings.
    text_column, id_column : str
        Columns of a table input.
    progress : bool
        Show a progress bar.
    stop_after : int, optional
        End the run after that many partitions are written (for tests, and for splitting a
        long job over several sittings; ``resume_run`` continues it).

    Returns
    -------
    BatchReport
    """
    import time

    started = time.perf_counter()
    config = config or SkillmatchConfig()
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ConfigurationError(f"{out}: output must end in .parquet, .jsonl or .csv")
    jobs = [_job(j, position) for position, j in enumerate(jobs, 1)]
    if not jobs:
        raise ConfigurationError("no job description given")
    parts_dir = out.with_name(out.name + ".parts")
    fingerprint = _fingerprint(jobs, str(resumes), config)
    manifest = parts_dir / "manifest.json"
    if parts_dir.exists():
        recorded = json.loads(manifest.read_text()) if manifest.exists() else {}
        if not resume_run:
            raise ConfigurationError(f"{parts_dir} holds an unfinished run; continue it with --resume-run or delete it")
        if recorded.get("fingerprint") != fingerprint:
            raise ConfigurationError(f"{parts_dir} belongs to a run with other inputs or settings; delete it to "
                                     "start over")
    parts_dir.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"fingerprint": fingerprint, "resumes": str(resumes),
                                    "jobs": [j.id for j in jobs]}))
    batch = config.batch
    partitions = _partitions(iter_resumes(resumes, text_column, id_column), batch.partition_size)
    with (_dask_executor if batch.engine == "dask" else _local_executor)(batch.workers, batch.scheduler) as executor:
        done, skipped, resumes_seen = _run(partitions, jobs, config, parts_dir, executor, batch.workers,
                                           progress, stop_after)
    report = BatchReport(str(out), done, 0, 0, skipped, resumes=resumes_seen)
    complete = (parts_dir / "complete").exists()
    if complete:
        parts = sorted(parts_dir.glob("part-*.jsonl"))
        report.rows = _commit(parts, out)
        for part in parts:
            with open(part, encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    if row["error"]:
                        report.errors += 1
                        if row["job_id"] == jobs[0].id:
                            report.errors_by_resume.append((row["resume_id"], row["error"]))
        shutil.rmtree(parts_dir)
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _job(job: str | Path | Job, position: int) -> Job:
    """A Job from a Job, a file (``Path``) or text (``str``)."""
    if isinstance(job, Job):
        return job
    if isinstance(job, Path):
        from skillmatch.extract.text import read_document

        return Job(job.stem, read_document(job).original)
    if isinstance(job, str):
        return Job(f"job-{position}", job)
    raise ConfigurationError(f"job {position}: expected text (str), a file (pathlib.Path) or a Job, "
                             f"not {type(job).__name__}")


def _progress(progress: bool):
    from tqdm import tqdm

    return tqdm(unit=" resumes", disable=not progress, smoothing=0.1, dynamic_ncols=True)


@contextmanager
def _local_executor(workers: int, scheduler: str | None):
    """A process pool, or None to score in this process when one worker is asked for."""
    if workers <= 1:
        yield None
        return
    # spawned, not forked: a fork taken while ONNX Runtime's thread pool exists in this process
    # (any extraction before the batch) can leave the workers waiting on a lock forever
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield executor
    finally:
        executor.shutdown(cancel_futures=True)


@contextmanager
def _dask_executor(workers: int, scheduler: str | None):
    """A concurrent.futures view of a Dask cluster: a scheduler address, or a LocalCluster."""
    import dask
    from dask.distributed import Client, LocalCluster

    # Dask's INFO lines (scheduler and worker start-up, 30+ of them) only when asked for with --verbose
    if not logging.getLogger().isEnabledFor(logging.INFO):
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.WARNING)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers; glibc then hands memory
        # back after every torch batch and takes it again, which made scoring 1.45x slower than
        # the same code in a process pool (benchmarks/README.md). Keep glibc's adaptive default.
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _run(partitions, jobs, config, parts_dir, executor, workers, progress, stop_after):
    """Feed partitions to the executor with a bounded number in flight; write parts as they finish.

    Each part is stored with the content key of its resumes (ids and text or file content):
    a resumed run reuses a part only when that key is unchanged, and re-scores it otherwise
    (a resume edited, added or removed since the interrupted run).
    """
    bar = _progress(progress)
    done = skipped = seen = count = 0
    stop = False
    pending = {}

    def finish(rows, index, size, key):
        nonlocal done
        _write_part(rows, parts_dir / f"part-{index:06d}.jsonl")
        (parts_dir / f"part-{index:06d}.key").write_text(key)
        done += 1
        bar.update(size)

    try:
        for index, chunk in enumerate(partitions):
            count = index + 1
            seen += len(chunk)
            key = hashlib.blake2b("".join(item.content_key() for item in chunk).encode(), digest_size=12).hexdigest()
            part, stamp = parts_dir / f"part-{index:06d}.jsonl", parts_dir / f"part-{index:06d}.key"
            if part.exists() and stamp.exists() and stamp.read_text() == key:
                skipped += 1
                bar.update(len(chunk))
                continue
            if stop_after is not None and done + len(pending) >= stop_after:
                stop = True
                break
            if executor is None:
                finish(score_partition(chunk, jobs, config), index, len(chunk), key)
                continue
            pending[executor.submit(score_partition, chunk, jobs, config)] = (index, len(chunk), key)
            while len(pending) >= 2 * workers:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    finish(future.result(), *pending.pop(future))
        for future in list(pending):
            finish(future.result(), *pending.pop(future))
    finally:
        bar.close()
    if not stop:
        # parts beyond the input's end (resumes removed since an interrupted run) are dropped
        for extra in parts_dir.glob("part-*.jsonl"):
            if int(extra.stem.split("-")[1]) >= count:
                extra.unlink()
        (parts_dir / "complete").touch()
    return done, skipped, seen
