"""skillmatch: ESCO/O*NET skill extraction and explainable JD↔resume matching."""
__version__ = "0.1.0"
