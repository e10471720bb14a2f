"""`make classroom` (scripts/classroom): the portal served to the room from a laptop.

The launcher runs for real, as a teacher starts it: its own data folder under tmp_path, a free
port, the machine's addresses found by the launcher itself. Only loopback is ever asked: that
the room can reach the laptop is shown by the listening socket (every interface) and by a
request to another loopback address carrying the announced address as its Host.
"""

import importlib.machinery
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.helpers import GUARD_SECONDS, free_port

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "classroom"
READY = "Pour arrêter : Ctrl-C"


def launcher_module():
    """scripts/classroom as a module (a command without .py), for its functions."""
    loader = importlib.machinery.SourceFileLoader("classroom_launcher", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class Launcher:
    """scripts/classroom started as `make classroom` starts it, its output read as it comes."""

    def __init__(self, folder, port, **extra):
        self.folder, self.port = folder, port
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"CLASSROOM_ADDRESS", "DJANGO_SETTINGS_MODULE", "PORT"}
        }
        env.update(CLASSROOM_DATA_DIR=str(folder), **extra)
        self.env = env
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, str(SCRIPT), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_until_ready(self):
        """Until the banner is printed (the server answers by then): a guard, no timing."""
        deadline = time.monotonic() + GUARD_SECONDS
        while READY not in self.output:
            assert self.process.poll() is None, f"the launcher stopped:\n{self.output}"
            assert time.monotonic() < deadline, f"the launcher never got ready:\n{self.output}"
            time.sleep(0.2)
        return self

    @property
    def url(self):
        """The address announced to pupils, alone on its line under « Adresse à taper »."""
        match = re.search(r"Adresse à taper[^\n]*\n\s*\n\s+(http://\S+)\n", self.output)
        assert match, self.output
        return match.group(1)

    def ask(self, path, host=None):
        """GET at 127.0.0.2 (loopback, not the address the launcher listens for by name), with
        the announced address as Host unless another is given."""
        return get(f"http://127.0.0.2:{self.port}{path}", host=host or urlsplit(self.url).netloc)

    def descendants(self):
        """The pids started by the launcher, and theirs (gunicorn's worker): from /proc."""
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            pid = int(stat.parent.name)
            ppid = int(text.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(pid)
        found, todo = [], [self.process.pid]
        while todo:
            children = parents.get(todo.pop(), [])
            found += children
            todo += children
        return found

    def interrupt(self):
        """Ctrl-C: SIGINT to the launcher; its exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=GUARD_SECONDS)
        self._reader.join(timeout=GUARD_SECONDS)
        return code

    def stop(self):
        if self.process.poll() is None:
            self.interrupt()


def get(url, host=None):
    """(status, body) of a GET to a loopback address, with this Host header if given."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=GUARD_SECONDS) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def listening(port):
    """The local addresses listening on ``port`` (/proc/net/tcp and tcp6, state LISTEN)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """One classroom for the module, on the machine's real addresses (no CLASSROOM_ADDRESS)."""
    launcher = Launcher(tmp_path_factory.mktemp("classroom"), free_port())
    try:
        yield launcher.wait_until_ready()
    finally:
        launcher.stop()


def test_it_announces_the_machines_address_and_listens_on_every_interface(classroom):
    url = urlsplit(classroom.url)
    assert url.scheme == "http" and url.port == classroom.port and url.path == "/"
    module = launcher_module()
    addresses = module.machine_addresses()
    assert url.hostname == module.announced_address(addresses)
    assert url.hostname in [str(a) for a in addresses] or not addresses
    # The QR code of that address follows it, drawn with half blocks.
    assert "▀" in classroom.output.split(classroom.url, 1)[1].split("Comptes", 1)[0]
    every_interface = {"00000000", "0" * 32}
    assert listening(classroom.port) & every_interface, listening(classroom.port)


def test_another_loopback_address_gets_the_sign_in_page_with_the_announced_host(classroom):
    status, body = classroom.ask("/")
    assert status == 200
    assert "Se connecter" in body and "Simulation" in body


def test_a_pupil_signs_in_over_plain_http_under_the_announced_address(classroom):
    """Cookies without « Secure » (a browser keeps them over HTTP), and the CSRF check passes
    for a form posted from the announced address."""
    password = re.search(r"^i\.benali1\s+(\S+)\s", classroom.output, re.M).group(1)
    host = urlsplit(classroom.url).netloc
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"http://127.0.0.2:{classroom.port}/educonnect/login/", headers={"Host": host}
    )
    with urllib.request.urlopen(request, timeout=GUARD_SECONDS) as response:  # noqa: S310
        cookies = response.headers.get_all("Set-Cookie")
        form = response.read().decode()
    assert cookies and not [c for c in cookies if "secure" in c.lower()]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urlencode({"csrfmiddlewaretoken": token, "login": "i.benali1", "password": password})
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"http://127.0.0.2:{classroom.port}/educonnect/login/",
        data=data.encode(),
        headers={
            "Host": host,
            "Origin": f"http://{host}",
            "Cookie": "; ".join(c.split(";", 1)[0] for c in cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request, timeout=GUARD_SECONDS)
        status, location = 200, ""
    except urllib.error.HTTPError as answer:
        status, location = answer.code, answer.headers.get("Location", "")
    assert status == 302 and "activation" in location, (status, location)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_an_unknown_host_is_refused(classroom):
    status, _body = classroom.ask("/", host=f"ent.example.fr:{classroom.port}")
    assert status == 400


def test_it_is_not_in_debug_mode(classroom):
    status, body = classroom.ask("/nulle-part/")
    assert status == 404
    assert "Page introuvable" in body
    assert "URLconf" not in body and "DEBUG" not in body


def test_it_serves_its_collected_static_files(classroom):
    _status, body = classroom.ask("/")
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', body)
    assert css, body[:2000]
    status, _css = classroom.ask(css.group(1))
    assert status == 200


def test_the_demo_accounts_and_their_addresses_are_printed(classroom):
    output = classroom.output.replace("\u00a0", " ")
    assert "Comptes de démonstration" in output and "t.counen1" in output
    assert f"Élèves : {classroom.url} " in output
    assert f"{classroom.url}admin/" in output and f"{classroom.url}telephone-demo/" in output
    assert "127.0.0.1:8000" not in output


def test_the_honest_paragraph_says_what_it_protects_and_what_it_does_not(classroom):
    output = classroom.output
    assert "HTTP simple" in output and "élèves inventés" in output
    assert "toute personne sur le même réseau peut lire" in output
    assert "jamais de vrais" in output


LETTER = """
from accounts.actions import do_issue_credentials
from accounts.models import User
from core.site import public_url
from staff.letters import letters_pdf
from tests.helpers import letters_in
import io
from pypdf import PdfReader
issued = do_issue_credentials(User.objects.get(username="j.perez1"))
pdf = letters_pdf([issued], public_url())
print(letters_in(pdf))
print("\\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
"""


def test_the_letters_it_prints_carry_the_announced_address(classroom):
    env = launcher_module().classroom_environment(classroom.port, folder=classroom.folder)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", LETTER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    assert "'j.perez1'" in result.stdout  # a real letter, with its password
    assert f"Adresse du site : {classroom.url}" in result.stdout.replace("\u00a0", " ")


def test_ctrl_c_stops_everything_and_the_next_start_keeps_the_secret(tmp_path):
    folder = tmp_path / "data"
    first = Launcher(folder, free_port(), CLASSROOM_ADDRESS="salle-12.local")
    try:
        first.wait_until_ready()
        assert first.url == f"http://salle-12.local:{first.port}/"
        secret = (folder / "classroom-secret").read_text()
        assert len(secret.strip()) >= 50
        assert (folder / "classroom-secret").stat().st_mode & 0o777 == 0o600
        started = first.descendants()
        assert len(started) >= 3  # gunicorn, its worker, the background worker
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in started]
        assert any(b"gunicorn" in c for c in commands)
        assert any(b"db_worker" in c for c in commands)
    finally:
        code = first.interrupt()
    assert code == 0
    assert not [pid for pid in started if alive(pid)]
    assert not listening(first.port)

    again = Launcher(folder, free_port(), CLASSROOM_ADDRESS="salle-12.local")
    try:
        again.wait_until_ready()
        assert (folder / "classroom-secret").read_text() == secret
        assert (folder / "classroom-secret").stat().st_mode & 0o777 == 0o600
        started = again.descendants()
    finally:
        # Killed outright this time (no Ctrl-C to pass on): its children end with it (Linux).
        again.process.kill()
        again.process.wait(timeout=GUARD_SECONDS)
    deadline = time.monotonic() + GUARD_SECONDS
    while [pid for pid in started if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in started if alive(pid)]


def alive(pid):
    """A process that still runs (a zombie waiting for a parent that died does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def test_a_port_already_taken_is_said_plainly(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104 - bound, never connected to
        taken.listen()
        launcher = Launcher(tmp_path / "data", taken.getsockname()[1])
        code = launcher.process.wait(timeout=GUARD_SECONDS)
        launcher._reader.join(timeout=GUARD_SECONDS)
    assert code == 1
    assert "n'est pas disponible" in launcher.output and "PORT=" in launcher.output


@pytest.mark.parametrize(
    ("addresses", "announced"),
    [
        (["fe80::1", "192.0.2.2", "fd00::2", "10.1.2.3", "192.168.1.20"], "10.1.2.3"),
        (["fe80::1", "172.20.0.5"], "172.20.0.5"),
        (["fe80::1", "fd00::2"], "fd00::2"),
        (["192.0.2.2", "fd00::2"], "192.0.2.2"),
        ([], "127.0.0.1"),
    ],
)
def test_the_first_private_ipv4_address_is_announced(monkeypatch, addresses, announced):
    import ipaddress

    monkeypatch.delenv("CLASSROOM_ADDRESS", raising=False)
    module = launcher_module()
    assert module.announced_address([ipaddress.ip_address(a) for a in addresses]) == announced


def test_classroom_address_forces_the_announced_address_and_is_allowed(monkeypatch):
    import ipaddress

    module = launcher_module()
    found = [ipaddress.ip_address("192.168.1.20"), ipaddress.ip_address("fd00::2")]
    monkeypatch.setenv("CLASSROOM_ADDRESS", "[FD00::7]")
    assert module.announced_address(found) == "fd00::7"
    hosts = module.allowed_hosts(found, "fd00::7")
    assert hosts[:3] == ["localhost", "127.0.0.1", "[::1]"]
    assert {"192.168.1.20", "[fd00::2]", "[fd00::7]"} <= set(hosts)
    monkeypatch.setenv("CLASSROOM_ADDRESS", "pas une adresse !")
    with pytest.raises(module.Refused, match="CLASSROOM_ADDRESS"):
        module.announced_address(found)


SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DJANGO_ENV, s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE, "
    "s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1], s.X_FRAME_OPTIONS, "
    "s.SESSION_COOKIE_HTTPONLY, s.DATABASES['default']['NAME'].endswith('data/classroom.sqlite3'))"
)


def settings_of(**variables):
    """The real settings in classroom mode, loaded in a fresh interpreter (never served)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_ENV="classroom",
        DJANGO_SETTINGS_MODULE="ent_portal.settings",
        SECRET_KEY="s" + "ecret-de-la-salle-" * 4,
        SINGLE_PROCESS="1",
    )
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={k: v for k, v in env.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )


def test_classroom_mode_is_plain_http_with_every_other_protection():
    result = settings_of()
    assert result.stdout.split() == [
        "classroom",
        "False",  # DEBUG
        "False",  # session cookie over plain HTTP
        "False",  # CSRF cookie over plain HTTP
        "False",  # no redirection to HTTPS
        "0",  # no HSTS
        "True",  # WhiteNoise serves the collected files
        "CompressedManifestStaticFilesStorage",
        "DENY",
        "True",
        "True",  # its own SQLite file in data/, never the development database
    ], result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DEBUG": "1"}, "cannot run with DEBUG"),
        ({"SECRET_KEY": None}, "needs SECRET_KEY"),
        ({"SECRET_KEY": "court"}, "needs SECRET_KEY"),
        ({"SINGLE_PROCESS": None}, "SINGLE_PROCESS=1"),
    ],
)
def test_classroom_mode_refuses_to_start_badly_configured(change, message):
    result = settings_of(**change)
    assert result.returncode != 0
    assert message in result.stderr
