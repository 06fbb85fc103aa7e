"""Write a graph's ESCO concepts as the official ESCO CSV tables (test helper).

Lets the tests feed the same sample taxonomy through the CSV road and the RDF road and
check that both end in the same knowledge base.
"""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SKOS

from skillmatch.ontology.namespaces import ESCO


def _local(uri) -> str:
    return str(uri).rstrip("/").rsplit("/", 1)[-1] if uri else ""


def _labels(graph: Graph, node, predicate) -> str:
    return "\n".join(sorted(str(v) for v in graph.objects(node, predicate)))


def write_esco_csv(graph: Graph, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)

    def table(name, header, rows):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    def common(node, kind):
        return [kind, str(node), str(graph.value(node, SKOS.prefLabel) or ""), _labels(graph, node, SKOS.altLabel),
                _labels(graph, node, SKOS.hiddenLabel)]

    skills = []
    for node in sorted(graph.subjects(RDF.type, ESCO.Skill)):
        kind, uri, pref, alt, hidden = common(node, "KnowledgeSkillCompetence")
        skill_type = _local(graph.value(node, ESCO.skillType)).replace("skill", "skill/competence")
        skills.append([kind, uri, skill_type, _local(graph.value(node, ESCO.skillReuseLevel)), pref, alt, hidden,
                       "released", "", "", "", ",\n".join(sorted(str(s) for s in graph.objects(node, SKOS.inScheme))),
                       str(graph.value(node, DCTERMS.description) or "")])
    table("skills_en.csv", ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
                            "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
                            "description"], skills)
    groups = []
    for node in sorted(graph.subjects(RDF.type, ESCO.SkillGroup)):
        kind, uri, pref, alt, hidden = common(node, "SkillGroup")
        groups.append([kind, uri, pref, alt, hidden, "released", "", "",
                       "\n".join(sorted(str(s) for s in graph.objects(node, SKOS.inScheme))), "",
                       str(graph.value(node, SKOS.notation) or "")])
    table("skillGroups_en.csv", ["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status",
                                 "modifiedDate", "scopeNote", "inScheme", "description", "code"], groups)
    occupations = []
    for node in sorted(graph.subjects(RDF.type, ESCO.Occupation)):
        kind, uri, pref, alt, hidden = common(node, "Occupation")
        occupations.append([kind, uri, str(graph.value(node, ESCO.iscoGroupCode) or ""), pref, alt, hidden,
                            "released", "", "", "", "",
                            "\n".join(sorted(str(s) for s in graph.objects(node, SKOS.inScheme))),
                            str(graph.value(node, DCTERMS.description) or ""), str(graph.value(node, SKOS.notation))])
    table("occupations_en.csv", ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                                 "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote", "scopeNote",
                                 "definition", "inScheme", "description", "code"], occupations)
    isco = [["ISCOGroup", str(n), str(graph.value(n, SKOS.notation)), str(graph.value(n, SKOS.prefLabel)),
             "released", "", "\n".join(sorted(str(s) for s in graph.objects(n, SKOS.inScheme))), ""]
            for n in sorted(graph.subjects(RDF.type, ESCO.ISCOGroup))]
    table("ISCOGroups_en.csv", ["conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels",
                                "inScheme", "description"], isco)

    def type_name(node):
        for rdf_type, name in ((ESCO.Skill, "KnowledgeSkillCompetence"), (ESCO.SkillGroup, "SkillGroup"),
                               (ESCO.Occupation, "Occupation"), (ESCO.ISCOGroup, "ISCOGroup")):
            if (node, RDF.type, rdf_type) in graph:
                return name
        return ""

    skill_broader, occ_broader = [], []
    for narrow, broad in sorted(graph.subject_objects(SKOS.broader)):
        row = [type_name(narrow), str(narrow), type_name(broad), str(broad)]
        (occ_broader if row[0] in ("Occupation", "ISCOGroup") else skill_broader).append(row)
    table("broaderRelationsSkillPillar.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], skill_broader)
    table("broaderRelationsOccPillar.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], occ_broader)
    occ_skill, skill_skill = [], []
    for predicate, relation in ((ESCO.hasEssentialSkill, "essential"), (ESCO.hasOptionalSkill, "optional")):
        for source, target in sorted(graph.subject_objects(predicate)):
            target_type = _local(graph.value(target, ESCO.skillType)).replace("skill", "skill/competence")
            if (source, RDF.type, ESCO.Occupation) in graph:
                occ_skill.append([str(source), relation, target_type, str(target)])
            else:
                source_type = _local(graph.value(source, ESCO.skillType)).replace("skill", "skill/competence")
                skill_skill.append([str(source), source_type, relation, target_type, str(target)])
    table("occupationSkillRelations.csv", ["occupationUri", "relationType", "skillType", "skillUri"], occ_skill)
    table("skillSkillRelations.csv", ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType",
                                      "relatedSkillUri"], skill_skill)
    # the hierarchy table's first level is how the CSV road learns the pillar's roots
    roots = [[str(n), str(graph.value(n, SKOS.prefLabel)), "", "", "", "", "", "", "", "",
              str(graph.value(n, SKOS.notation) or "")]
             for n in sorted(graph.subjects(RDF.type, ESCO.SkillGroup)) if graph.value(n, SKOS.broader) is None]
    table("skillsHierarchy_en.csv", ["Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 1 preferred term",
                                     "Level 2 URI", "Level 2 preferred term", "Level 3 URI", "Level 3 preferred term",
                                     "Description", "Scope note", "Level 0 code", "Level 1 code", "Level 2 code",
                                     "Level 3 code"], roots)
    return folder


def zip_release(folder: Path, target_dir: Path, version: str = "v0.1") -> list[Path]:
    """Pack the tables like the two official zips (language file + relations file)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    classification = target_dir / f"ESCO dataset - {version} - classification - en - csv.zip"
    relations = target_dir / f"ESCO dataset - {version} - classification -  - csv.zip"
    with zipfile.ZipFile(classification, "w", zipfile.ZIP_DEFLATED) as zc, \
            zipfile.ZipFile(relations, "w", zipfile.ZIP_DEFLATED) as zr:
        for path in sorted(folder.glob("*.csv")):
            (zc if path.stem.endswith("_en") else zr).write(path, path.name)
    return [classification, relations]
