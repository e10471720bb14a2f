import fcntl
import importlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.actions import do_activate_account, do_create_account
from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory
from tests.helpers import GOOD_PASSWORD, clear_namespace, production_env

ROOT = Path(__file__).resolve().parent.parent

# Fixtures shared by test folders (tests/idp and tests/e2e): one module each, found by pytest
# here rather than imported from another folder's conftest.
pytest_plugins = ["tests.connected_services"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: no test inherits another's attempts. On Redis,
    only this process's namespace is emptied (tests/settings.py), never a parallel worker's."""
    clear_namespace(cache)
    yield
    clear_namespace(cache)


@pytest.fixture(autouse=True)
def _limits_clock_held_still(monkeypatch):
    """The address limits count in buckets of the clock's minutes (accounts/throttle.py): a test
    that ran across the turn of a minute, which a loaded machine makes likely, would see its
    attempts split in two buckets and a limit that never comes. Their clock is held still here;
    a test that moves it patches ``throttle.time`` itself (tests/accounts/test_address_limits.py).
    """
    from types import SimpleNamespace

    from accounts import throttle

    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


@pytest.fixture(autouse=True)
def _argon2_at_owasp_parameters(request):
    """``@pytest.mark.argon2``: the production hashers (argon2id at OWASP's parameters) instead
    of the fast one of tests/hashers.py."""
    if request.node.get_closest_marker("argon2") is None:
        yield
        return
    request.getfixturevalue("settings").PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    yield


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(name="Collège Alfred Bruzet")


@pytest.fixture
def school_class(establishment):
    return SchoolClassFactory(establishment=establishment, division="4e B")


@pytest.fixture
def issued(school_class):
    """A pupil with a fresh letter: ``issued.identifier`` and ``issued.password``."""
    return do_create_account(
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
        establishment=school_class.establishment,
        school_class=school_class,
    )


@pytest.fixture
def staff_user(db):
    """A superuser of the school, with the TOTP key the admin requires."""
    return UserFactory(
        superuser=True, username="secretariat", first_name="Anne", last_name="Secrétaire"
    )


@pytest.fixture
def secretary(establishment):
    """« secretariat.bruzet »: a secretary of the pupils' school, with the demo's powers."""
    from django.contrib.auth.models import Permission

    user = UserFactory(staff_of=establishment, username="secretariat.bruzet")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["accounts", "schools", "pronote", "charter", "audit"]
        )
    )
    return user


@pytest.fixture
def charter(db):
    """The charter in force: version 1 from the data migration (re-created if a transactional
    test flushed it)."""
    from charter.models import Charter

    current = Charter.objects.current()
    if current is None:
        seed = importlib.import_module("charter.migrations.0002_charter_v1")
        current = Charter.objects.create(
            version=1, title=seed.TITLE, body=seed.BODY, published_at=timezone.now()
        )
    return current


@pytest.fixture
def pupil(issued):
    """An activated pupil of « 4e B », signed in with GOOD_PASSWORD by ``client_pupil``."""
    return do_activate_account(issued.user, new_password=GOOD_PASSWORD)


@pytest.fixture
def client_pupil(client, pupil):
    client.force_login(pupil)
    return client


@pytest.fixture
def accepted(client_pupil, pupil, charter):
    """``client_pupil`` after accepting the charter in force."""
    from charter.actions import do_accept_charter

    do_accept_charter(pupil, charter)
    return client_pupil


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory, worker_id):
    """The static files collected once per run, in production mode (hashed, compressed), for
    every test that starts the portal in production: collecting is the slow part of starting
    it. The xdist workers share one folder; the first to need it collects, under a lock."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # the run's folder, above each worker's own
    workdir = root / "production"
    static_root = workdir / "static"
    workdir.mkdir(exist_ok=True)
    with open(root / "collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (static_root / "staticfiles.json").exists():
            _collect_static(workdir, static_root)
    return static_root


def _collect_static(workdir, static_root):
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=production_env(workdir, STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
