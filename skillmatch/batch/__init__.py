"""Batch resume scoring on local processes or a Dask cluster."""
from skillmatch.batch.inputs import ResumeItem, iter_resumes
from skillmatch.batch.scoring import BatchReport, Job, score

__all__ = ["BatchReport", "Job", "ResumeItem", "iter_resumes", "score"]
