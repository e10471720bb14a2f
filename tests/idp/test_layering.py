"""idp/ reads the rooms below it only (docs/architecture.md), and writes the audit trail from one
module (idp/actions.py)."""

import ast
from pathlib import Path

IDP = Path(__file__).resolve().parents[2] / "idp"
ALLOWED = {"accounts", "charter", "schools", "idp", "audit", "core"}
PROJECT_APPS = ALLOWED | {"portal", "pronote", "staff"}


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_idp_imports_only_the_rooms_below_it():
    wrong = [
        f"{path.relative_to(IDP)}: {module}"
        for path in IDP.rglob("*.py")
        for module, _names in _imports(path)
        if module.split(".")[0] in PROJECT_APPS - ALLOWED
    ]
    assert wrong == []


def test_the_audit_trail_is_written_from_idp_actions_only():
    users = sorted(
        str(path.relative_to(IDP))
        for path in IDP.rglob("*.py")
        if "migrations" not in path.parts
        for module, names in _imports(path)
        if module.split(".")[0] == "audit"
    )
    assert set(users) == {"actions.py"}
