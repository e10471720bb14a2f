"""The rooms' floors (docs/architecture.md, « Les pièces et leurs étages »): imports go down,
never up. A small AST check over every module of every app, lazy imports inside functions
included."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Which other apps of the project each room may import, from the ground floor up.
ROOMS = {
    "audit": set(),
    "schools": set(),
    "accounts": {"schools", "audit"},
    "families": {"schools", "accounts", "audit"},
    "charter": {"audit"},  # users only as request.user
    "portal": {"audit", "schools", "accounts", "families", "charter"},
    "pronote": {"audit", "schools", "accounts", "families", "charter"},
    "idp": {"audit", "schools", "accounts", "charter"},
    "staff": {"audit", "schools", "accounts", "families", "charter", "portal", "pronote", "idp"},
    # The teacher's space: on top, beside staff, whose letters and séance it uses.
    "classroom": {
        "audit",
        "schools",
        "accounts",
        "families",
        "charter",
        "portal",
        "pronote",
        "idp",
        "staff",
    },
}
MAY_IMPORT = {
    # The ground floor: used by every room, uses none.
    "core": set(),
    **{room: below | {"core"} for room, below in ROOMS.items()},
    # The wiring (settings, root urls): names the rooms by dotted strings only, and nothing
    # imports it (apps read django.conf.settings).
    "ent_portal": {"core"},
}


def imported_modules(source):
    """(line, module) of every absolute import in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def violations(root, rules=MAY_IMPORT):
    """« charter/views.py:3 imports accounts.models » for each import that goes up a floor."""
    found = []
    for app, allowed in sorted(rules.items()):
        for path in sorted((root / app).rglob("*.py")):
            for line, module in imported_modules(path.read_text()):
                top = module.split(".")[0]
                if top in rules and top != app and top not in allowed:
                    found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return found


def test_no_import_runs_up_a_floor():
    assert violations(ROOT) == []


def test_every_app_of_the_project_has_its_floor():
    """Every folder with an AppConfig has its rule; the wiring has one without being an app."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert "core" in apps and "ent_portal" not in apps
    assert apps == set(MAY_IMPORT) - {"ent_portal"}


def test_the_wiring_holds_only_settings_and_urls():
    """ent_portal/ is settings, root URLs and the servers' entry points; the rest is in core/."""
    modules = {path.name for path in (ROOT / "ent_portal").glob("*.py")}
    assert modules == {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py"}


def test_the_check_catches_an_import_up_a_floor(tmp_path):
    for app in MAY_IMPORT:
        (tmp_path / app).mkdir()
    (tmp_path / "charter" / "views.py").write_text(
        "from audit.models import record\n"
        "def view(request):\n"
        "    from accounts.models import User  # lazily, still up a floor\n"
    )
    (tmp_path / "pronote" / "views.py").write_text("import portal.views\n")
    (tmp_path / "portal" / "admin.py").write_text(
        "from core.admin import ReadOnlyAdminMixin\nfrom ent_portal.urls import x\n"
    )
    (tmp_path / "accounts" / "admin.py").write_text("from staff.admin import UserAdmin\n")
    (tmp_path / "staff" / "admin.py").write_text(
        "from accounts.models import User\nfrom pronote.models import Lesson\nfrom . import forms\n"
    )
    (tmp_path / "core" / "sql.py").write_text(
        "from django.db import connections\nfrom core.env import env\n"
        "from schools.models import Enrolment\n"
    )
    (tmp_path / "core" / "middleware.py").write_text("from ent_portal.settings import DEBUG\n")
    (tmp_path / "ent_portal" / "urls.py").write_text(
        "from django.urls import include\nfrom core.health import alive\nfrom staff import views\n"
    )
    assert violations(tmp_path) == [
        "accounts/admin.py:1 imports staff.admin",
        "charter/views.py:3 imports accounts.models",
        "core/middleware.py:1 imports ent_portal.settings",
        "core/sql.py:3 imports schools.models",
        "ent_portal/urls.py:3 imports staff",
        "portal/admin.py:2 imports ent_portal.urls",
        "pronote/views.py:1 imports portal.views",
    ]


def test_the_benchs_peer_is_never_part_of_the_portal():
    """bench/ (its bare-Django peer's settings and URLs included) is imported by no module
    that production loads: the peer is the bench's, never a URL of the portal."""
    found = []
    for app in MAY_IMPORT:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, module in imported_modules(path.read_text()):
                if module.split(".")[0] == "bench":
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []


def test_no_test_folder_imports_another():
    """Shared fixtures and helpers live in tests/ itself (conftest.py, its plugins, helpers.py):
    a test folder never imports from another one's modules or conftest."""
    found = []
    for path in sorted((ROOT / "tests").glob("*/**/*.py")):
        folder = path.relative_to(ROOT / "tests").parts[0]
        for line, module in imported_modules(path.read_text()):
            parts = module.split(".")
            if parts[0] == "tests" and len(parts) > 2 and parts[1] != folder:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []
