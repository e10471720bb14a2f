"""The documentation: a short README that leads to one page per reader; citations that a reader
of the repository can follow (a file of the repository, and a section that exists in it), never
a document kept outside the repository nor a tracker's ticket number; every setting read from
the environment documented."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "docs/enseignant.md",
    "docs/secretariat.md",
    "docs/parents.md",
    "docs/fournisseur-identite.md",
    "docs/exploitation.md",
    "docs/securite.md",
    "docs/architecture.md",
    "bench/README.md",
]
SKIPPED_DIRS = {
    ".venv",
    ".git",
    "__pycache__",
    ".ruff_cache",
    "staticfiles",
    "test-results",
    "data",
    "node_modules",
}
SUFFIXES = {".py", ".html", ".md", ".txt", ".toml", ".js", ".css", ".xml", ".po"}
NAMES = {"Makefile", "run"}  # .ci/run

# What cannot be followed from the repository. Written so that this file does not match itself.
OUTSIDE = re.compile(
    r"DESIGN\.md"  # the design notes kept beside the repository
    r"|\.\./shared|shared/se[e]d"  # any file beside the repository
    r"|\b[Ii]ssues?\s*(?:n[°o]\.?\s*|#\s*)?\d+"  # a tracker's ticket by number
    r"|(?:\(|\b(?:see|voir|cf\.?|fixes|closes|ticket|bug)\s*)#\d+\b"  # after « ( », « see »
    r"|\b[Ll]['’]issue\b(?!\s+d[eu'’]|\s+des\b)"  # the ticket, in French, not « à l'… de »
)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
SECTION = r"(?:\s*,\s*|\s+)«\s*(?P<section>[^»]{1,120}?)\s*»"
# A section name wrapped over two lines of a comment: « La vie\n    # d'un compte ».
WRAP = re.compile(r"\s*\n\s*(?:#+|//|\*)?\s*")
LINK = re.compile(r"\[[^\]\n]*\]\((?P<target>[^)#\s]*)(?:#[^)\s]*)?\)(?:" + SECTION + ")?")
CITATION = re.compile(r"(?<![\w/(\[.-])(?P<target>(?:docs|bench)/[\w.-]+\.md)(?:" + SECTION + ")?")


def repository_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in SUFFIXES or name in NAMES:
                yield path


def outside_citations(text):
    return [match.group(0) for match in OUTSIDE.finditer(text)]


def headings(path):
    return {h.strip("` ") for h in HEADING.findall(path.read_text())}


def broken_citations(path, text):
    """« file:line: target « section » » for each citation that leads nowhere."""
    found = []
    line_of = lambda match: text.count("\n", 0, match.start()) + 1  # noqa: E731
    candidates = []
    if path.suffix == ".md":
        for match in LINK.finditer(text):
            target = match["target"]
            if not target or re.match(r"[a-z]+:", target):
                continue  # a section of this page, or an address on the web
            candidates.append((match, (path.parent / target).resolve()))
    for match in CITATION.finditer(text):
        candidates.append((match, ROOT / match["target"]))
    for match, target in candidates:
        where = f"{path.relative_to(ROOT)}:{line_of(match)}"
        if not target.exists():
            found.append(f"{where}: {match['target']} does not exist")
        elif match["section"] and target.suffix == ".md":
            section = WRAP.sub(" ", match["section"])
            if section not in headings(target):
                found.append(f"{where}: no section « {section} » in {match['target']}")
    return found


def test_no_file_cites_a_document_outside_the_repository_nor_a_ticket():
    found = []
    for path in repository_files():
        for citation in outside_citations(path.read_text(errors="replace")):
            found.append(f"{path.relative_to(ROOT)}: {citation}")
    assert found == []


def test_the_check_knows_a_citation_from_ordinary_words():
    cited = [
        "see " + "DESIGN" + ".md §3",
        "(../" + "shared/" + "seed/000.txt)",
        "merged, " + "issue" + " 16",
        "(" + "issue" + " #12)",
        "fixed (" + "#" + "12)",
        "la mesure de l'" + "issue, avant",
    ]
    for text in cited:
        assert outside_citations(text), text
    ordinary = [
        "do_issue_credentials(issued.user)",
        "sign_in(client, pupil.username, 'Essai#1')",
        "color: #666; background: #fff4d5",
        "à l'issue de la séance, à l'issue du cours",
        "the letters issued at 8 o'clock",
    ]
    for text in ordinary:
        assert not outside_citations(text), text


def test_every_citation_of_a_file_of_the_repository_leads_somewhere():
    found = []
    for path in repository_files():
        found += broken_citations(path, path.read_text(errors="replace"))
    assert found == []


def test_the_readme_is_short_and_leads_to_every_page():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 150
    for page in PAGES:
        assert (ROOT / page).exists(), page
        assert f"]({page})" in readme, page


def test_every_setting_read_from_the_environment_is_documented():
    settings = (ROOT / "ent_portal" / "settings.py").read_text()
    names = set(re.findall(r"\benv(?:bool|int|list|choice)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    assert len(names) > 40
    table = [
        line
        for line in (ROOT / "docs" / "exploitation.md").read_text().splitlines()
        if line.startswith("| `")
    ]
    documented = {name for line in table for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", line)}
    assert sorted(names - documented) == []
