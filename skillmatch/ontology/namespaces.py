"""The vocabularies of the unified graph; ``ontologies/README.md`` documents each property."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

ESCO = Namespace("http://data.europa.eu/esco/model#")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
ESCO_SKILL_TYPE = Namespace("http://data.europa.eu/esco/skill-type/")
ESCO_REUSE_LEVEL = Namespace("http://data.europa.eu/esco/skill-reuse-level/")
ESCO_SCHEME = Namespace("http://data.europa.eu/esco/concept-scheme/")
SM = Namespace("https://w3id.org/skillmatch/vocab#")
ONET = Namespace("https://w3id.org/skillmatch/onet/")
DATASET = Namespace("https://w3id.org/skillmatch/dataset/")

PREFIXES = {
    "skos": SKOS, "skosxl": SKOSXL, "esco": ESCO, "sm": SM, "onet": ONET, "dct": DCTERMS,
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "dataset": DATASET,
}

# rdf:type -> the short kind name used by the read API and the compiled cache.
CONCEPT_KINDS = {
    ESCO.Skill: "skill",
    ESCO.SkillGroup: "skill_group",
    ESCO.Occupation: "occupation",
    ESCO.ISCOGroup: "isco_group",
    SM.OnetOccupation: "onet_occupation",
    SM.TechnologySkill: "technology",
    SM.Tool: "tool",
    SM.Commodity: "commodity",
    SM.Task: "task",
}


def bind_prefixes(graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
