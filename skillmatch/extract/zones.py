"""Document zones: which part of a posting or resume a sentence belongs to.

A skill named in the equal-opportunity paragraph ("criminal histories" → history), in the
benefits list, in the company blurb or in a heading ("Project name:") is not a requirement
and not an experience. Zoning tells extraction which sentences state requirements or
experience, and every extracted skill records its zone, so matching can weigh requirements
by where they were written.

Rules, in order: a sentence's own wording marks legal, benefits and company text wherever it
appears (postings rarely give those paragraphs a heading); a heading line (short, ends with
a colon, or in capitals) starts a section whose zone comes from the heading's words; other
sentences take the zone of the section they are in, except that a line of an education section
naming no year, school, degree or certificate is not education. A heading glued to the end of
the line before it ("...Exprience - 120 monthsCompany Details", "...NLP Education Details", as
text pulled out of PDFs and job-board exports often is) opens its section there. Measured end
to end by what it does to the skills read by hand on real postings and resumes
(``benchmarks/judged_precision.py``).
"""
from __future__ import annotations

import re
from typing import Literal, Sequence

Zone = Literal["requirements", "responsibilities", "skills", "experience", "education", "summary", "company",
               "benefits", "legal", "contact", "heading", "other"]

# zones whose sentences give no skill: they state neither a requirement nor an experience
SKIPPED_ZONES: frozenset[str] = frozenset({"company", "benefits", "legal", "contact", "heading"})
# zones where only literal label matches count (degree names, section titles)
LITERAL_ONLY_ZONES: frozenset[str] = frozenset({"education"})
# zones that state skills by what they are (a resume's skills list): the statement gate, fitted
# on job-ad sentences, does not judge them (it cut resumes' skill sections with a skill from 54 % to 44 %)
STATED_ZONES: frozenset[str] = frozenset({"skills"})

HEADING_ZONES: tuple[tuple[str, re.Pattern], ...] = tuple((zone, re.compile(pattern, re.I)) for zone, pattern in (
    ("legal", r"equal (?:employment )?opportunit|\beeo\b|diversity|disclaimer|accommodation|legal|privacy"),
    ("benefits", r"benefit|perks|what we offer|we offer|compensation|salary|why (?:join|work)|rewards|pay\b"),
    ("company", r"about (?:us|the company|the team|our)|who we are|our (?:company|mission|story|culture|team)|"
                r"company (?:overview|description|profile)|^about\b"),
    ("requirements", r"requirement|qualification|what you (?:need|bring|have|will need)|who you are|must[- ]have|"
                     r"nice[- ]to[- ]have|about you|your profile|(?:skills|experience) (?:required|needed)|"
                     r"desired|preferred|ideal candidate|looking for|you have|you bring|competenc|prerequisite|"
                     r"what we(?:'re| are) looking"),
    ("responsibilities", r"responsibilit|duties|what you(?:'ll| will)? do|what will you do|the role|your role|role (?:description|"
                         r"overview)|job description|key (?:tasks|accountabilit)|day[- ]to[- ]day|your mission|"
                         r"what you'll be doing|position (?:summary|description)|overview|description"),
    ("experience", r"experience|employment|work history|career history|projects?\b|professional background|"
                   r"internship|^company details$"),
    ("education", r"education|academic|qualifications? and training|degree|certificat|training|courses?"),
    ("skills", r"skills?|technolog|tools|competenc|expertise|languages|tech stack|stack"),
    ("summary", r"summary|profile|objective|about me|highlights"),
    ("contact", r"contact|personal (?:details|information|data)|references|address"),
))

LEGAL = re.compile(
    r"equal (?:employment )?opportunit|\beeo\b|without regard to|regardless of (?:race|age|gender|sex)|"
    r"race, colou?r|sexual orientation|gender identity|national origin|protected (?:veteran|class|status)|"
    r"criminal histor|arrest (?:and|or) conviction|fair chance|reasonable accommodation|affirmative action|"
    r"e-verify|disabilit(?:y|ies) (?:status|or)|veteran status|pay transparency|background check|"
    r"discriminat|applicants? (?:with|will receive)|recruitment agenc|do not accept unsolicited", re.I)
BENEFITS = re.compile(
    r"401\s?\(?k\)?|health(?:care)?,? dental|dental|vision insurance|medical,? dental|health insurance|"
    r"paid time off|\bpto\b|paid (?:holidays|vacation|parental|leave)|parental leave|tuition reimbursement|"
    r"competitive (?:salary|compensation|pay|benefits)|stock options|equity (?:package|grant)|retirement plan|"
    r"gym|wellness|free (?:lunch|snacks|meals)|flexible (?:hours|schedule|working)|work from home|remote work|"
    r"employee discount|life insurance|commuter|relocation assistance|salary range|per (?:hour|year|annum)|"
    r"\$\s?\d{2,3}[,.]?\d{3}", re.I)
COMPANY = re.compile(
    r"^(?:(?:we are|we're)(?! (?:looking|seeking|hiring|searching|currently|excited to))\b|our (?:company|mission|"
    r"vision|story|culture) |founded in|headquartered)|^[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*){0,3} (?:is|has been) "
    r"(?:a|an|the|one of the) (?:leading|global|fast|growing|world|premier|innovative|dynamic|largest|top)|"
    r"\bwe (?:are|'re) (?:a|an|the) (?:leading|global|fast|growing|world|premier|innovative|dynamic)|fortune \d+|"
    r"industry[- ]leading|award[- ]winning|(?:has|have) been recognized|best places to work|"
    r"our (?:customers|clients) include|\b(?:follow|connect with) us on\b", re.I)
APPLY = re.compile(r"\bapply (?:now|today|online|here)|submit (?:your|a) (?:resume|cv|application)|click (?:here|"
                   r"apply)|to apply,|send (?:your|a) (?:resume|cv)", re.I)
# "monthsCompany Details", "UnixEducation Details": 2-4 capitalised words closing a line, glued to a lower-case
# letter; or a "<Section> Details" title closing a line after anything ("... Tableau, NLP Education Details",
# "...learning.Education Details"): resumes exported from job boards title every section so, and in the
# UpdatedResumeDataSet 582 of 962 resumes (96 of 166 distinct texts) glue "Education Details" to the line
# before after a blank, a capital or a full stop, so their education lines were read as the section before.
# Any capitalised words are not enough there: "company - Wipro Technologies" is no heading.
GLUED_HEADING = re.compile(r"(?<=[a-z])(?P<title>[A-Z][a-z]+(?: [A-Z][a-z]+){1,3})\s*:?\s*$")
GLUED_DETAILS_HEADING = re.compile(r"(?<=\S)\s*(?P<title>[A-Z][a-z]+ Details)\s*:?\s*$")
WORD = re.compile(r"[A-Za-z][A-Za-z'’&/-]*")


def heading_zone(line: str) -> Zone | None:
    """The zone a heading line opens, or None when the line is not a heading."""
    stripped = line.strip().strip("*_#").strip()
    if not stripped or len(stripped) > 60:
        return None
    words = WORD.findall(stripped)
    if not words or len(words) > 7:
        return None
    ends_with_colon = stripped.endswith((":", "?"))
    shouting = stripped.isupper() and len(stripped) > 3
    titled = all(w[0].isupper() or w.lower() in _SMALL for w in words) and len(words) <= 5
    if not (ends_with_colon or shouting or titled or line.lstrip().startswith("#")):
        return None
    text = stripped.rstrip(":?").strip()
    if "," in text or re.search(r"\d{3,}", text):
        return None  # "Python, SQL" or "2015 - 2019" are content, not headings
    for zone, pattern in HEADING_ZONES:
        if pattern.search(text):
            return zone
    # a colon-ended label of something else ("Project name:", "Languages:") is a heading of its own
    return "heading" if ends_with_colon and len(words) <= 3 else None


_SMALL = {"and", "or", "of", "the", "to", "for", "in", "a", "an", "&", "with", "at", "on", "our", "your", "you"}


# "BS degree in Computer Science", "Master's or PhD degree in engineering", "BA/BS in Electrical
# Engineering": the field of study is not a skill to teach or an engineering process to run
DEGREE = re.compile(r"^\W*(?:(?:BA|BS|B\.?Sc?\.?|MA|MS|M\.?Sc?\.?|MBA|Ph\.?D\.?|Bachelor'?s?|Master'?s?|Doctorate)\b"
                    r"(?:[\s/,]+(?:or|and|BA|BS|MS|MA|PhD|Master'?s?|degree))*[^.,;]{0,30}?\b(?:degree|in)\b)", re.I)


# what a line of an education section names: a year, a school, a degree or a school-leaving certificate. A line
# of the section without any of them is something else: exported resumes put the job title right after the
# degrees ("...Khalsa college\nETL Informatica Developer \n\nETL DEVELOPER\nSkill Details").
EDUCATION_ENTRY = re.compile(
    r"\b(?:19|20)\d\d\b|universit|college|school|institut|academy|board\b|polytechnic|vidyala|vidyapee|"
    r"\b(?:degree|diploma|bachelor|master|doctor|ph\.?d|mba|bca|mca|b\.?sc|m\.?sc|b\.?\s?tech|m\.?\s?tech|b\.e\b|m\.e\b|"
    r"b\.?com|m\.?com|b\.a\b|m\.a\b|b\.s\b|m\.s\b|ba\b|bs\b|ms\b|s\.?s\.?c|h\.?s\.?c|cbse|icse|matric|graduat|"
    r"certific|course|gpa|cgpa|major)|(?-i:\b[BM]E\b)", re.I)


def sentence_zone(text: str) -> Zone | None:
    """A zone the sentence's own wording sets wherever it stands (legal, benefits, company
    text, and a degree line inside a qualifications list, which reads as education)."""
    if DEGREE.search(text):
        return "education"
    if LEGAL.search(text):
        return "legal"
    if APPLY.search(text):
        return "legal"
    if BENEFITS.search(text):
        return "benefits"
    if COMPANY.search(text.strip()):
        return "company"
    return None


def assign_zones(text: str, spans: Sequence[tuple[int, int]]) -> list[Zone]:
    """The zone of each sentence span of ``text`` (spans in document order).

    A sentence that is itself a heading line gets ``heading``; the section a heading opens
    lasts until the next heading.
    """
    sections = _sections(text)
    zones: list[Zone] = []
    cursor = 0
    current: Zone = "other"
    for start, end in spans:
        while cursor < len(sections) and sections[cursor][0] <= start:
            current = sections[cursor][2]
            cursor += 1
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start: len(text) if line_end < 0 else line_end]
        if heading_zone(line) is not None and line.strip().rstrip(":").strip() == text[start:end].strip().rstrip(":"):
            zones.append("heading")
            continue
        own_zone = sentence_zone(text[start:end])
        if own_zone is not None:
            zones.append(own_zone)
        elif current == "education" and not EDUCATION_ENTRY.search(text[start:end]):
            zones.append("other")  # the job title job-board exports put between the degrees and the skills list
        else:
            zones.append(current)
    return zones


def _sections(text: str) -> list[tuple[int, int, Zone]]:
    """(start, end, zone) of each heading that opens a known section: a line of its own, or
    glued to the end of the line before it."""
    found = []
    position = 0
    for line in text.splitlines(keepends=True):
        zone = heading_zone(line)
        glued = None if zone is not None else GLUED_HEADING.search(line) or GLUED_DETAILS_HEADING.search(line)
        if glued is not None:
            zone = heading_zone(glued.group("title"))
        if zone is not None and zone != "heading":
            found.append((position + (glued.start("title") if glued else 0), position + len(line), zone))
        position += len(line)
    return found
