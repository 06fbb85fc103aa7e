"""Knowledge base: ESCO and O*NET in one SKOS graph, compiled for fast reading."""
from skillmatch.ontology.knowledge_base import build_graph, load_taxonomy
from skillmatch.ontology.sources import DataSources, discover_sources
from skillmatch.ontology.taxonomy import Taxonomy, UnknownConceptError

__all__ = ["DataSources", "Taxonomy", "UnknownConceptError", "build_graph", "discover_sources", "load_taxonomy"]
