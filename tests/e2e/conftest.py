import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
    # test itself (not by the server) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=90_000)  # a guard, as for the pages (_with_guard_timeout)

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: make test installs it."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-gpu",
                "--no-first-run",
            ],
        )
        browser.new_context = _with_guard_timeout(browser.new_context)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _with_guard_timeout(new_context):
    """A generous ceiling, only a guard against a page that never comes: a loaded machine
    (a PDF of 30 letters built meanwhile) must not fail a test that waits for an event."""

    def wrapper(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.set_default_timeout(90_000)
        context.set_default_navigation_timeout(90_000)
        return context

    return wrapper


@pytest.fixture
def immediate_tasks(settings):
    """Background jobs (staff/jobs.py: letters, resets) run at once, inside the request that
    queues them: the browser tests need no worker process, and the job's page is ready when
    it first shows."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def demo_accounts(transactional_db, charter):
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
