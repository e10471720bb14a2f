"""Our own look, never the State's (docs/architecture.md): no DSFR, no Marianne, no « République
Française » block; Bootstrap's CSS served from our own static files, nothing from a CDN."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.helpers import page_of

ROOT = Path(__file__).resolve().parent.parent
STATE = re.compile(r"dsfr|marianne|république\s*(<br>\s*)?française", re.IGNORECASE)


def test_no_dependency_or_app_is_the_dsfr():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if "dsfr" in d.lower()]
    assert not [app for app in settings.INSTALLED_APPS if "dsfr" in app]
    assert any(d.startswith("xstatic-bootstrap") for d in project["dependencies"])


def test_no_template_or_static_file_uses_the_state_design_system():
    files = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static").rglob("*.*")]
    files = [f for f in files if f.suffix in {".html", ".css", ".js", ".svg"}]
    assert len(files) > 40
    for path in files:
        text = path.read_text()
        assert not re.search(r"""class="[^"]*\bfr-""", text), path
        if path.name != "portal.css":  # it says, in a comment, why it is not the DSFR
            assert not STATE.search(text), path


def test_no_static_file_comes_from_the_dsfr_and_bootstrap_comes_from_ours():
    found = [path for path, _storage in _static_files()]
    assert not [path for path in found if STATE.search(path)]
    assert finders.find("bootstrap/bootstrap.min.css")
    assert finders.find("img/logo.svg")


def _static_files():
    for finder in finders.get_finders():
        yield from finder.list([])


def test_pages_wear_our_brand_and_load_nothing_from_elsewhere(client, charter):
    for url in [reverse("portal:landing"), reverse("account_login")]:
        html = page_of(client.get(url))
        assert not STATE.search(html), url
        assert "Mon ENT" in html and "simulation" in html
        assert "/static/bootstrap/bootstrap.min.css" in html
        assert "/static/img/logo.svg" in html
        assert not re.search(r"""(src|href)="(https?:)?//""", html), url
