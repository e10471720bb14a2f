"""The classroom case: a class of 30 activating at the same minute against `make classroom`.

Starts the real launcher (scripts/classroom: migrate, demo, one gunicorn process with threads,
the background worker, real argon2id) with its data in a temporary folder and a free port; for
each round, creates a practice class of 30 (classroom.actions.do_create_practice_class, through
the launcher's own « manage » form), then 30 threads each sign in with their letter's password,
open « Créer mon compte », post the activation form (the birth date of the account) and stop at
« Votre compte est créé ». All at once (a barrier): the harshest minute of a lesson.

Measured: server CPU per activation (gunicorn's process and the background worker, from /proc:
bench/cpu.py) and the wall-clock time of each pupil, first page to « Votre compte est créé »
(its p95; target ≤ 3 s on a quiet 2-core machine). Traffic only to loopback: each pupil sends
from its own 127.0.0.x, as each device in the room has its own address.

    .venv/bin/python bench/classroom.py [--rounds 3] [--pupils 30] [--output bench/results]
"""

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.cpu import Meter  # noqa: E402

LAUNCHER = ROOT / "scripts" / "classroom"
READY = "Pour arrêter : Ctrl-C"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEW_PASSWORD = "Nouveau#Depart7"
GUARD_SECONDS = 600  # a guard against a hung launcher, not a timing

# Run by the launcher's « manage shell »: a practice class of N in the demo's school; one JSON
# line per pupil (identifier, letter's password, birth date).
SEED = """
import json
from classroom.actions import do_create_practice_class
from schools.models import Establishment
school = Establishment.objects.order_by("pk").first()
_klass, issued = do_create_practice_class(school, {count})
for item in issued:
    print(json.dumps([item.identifier, item.password, item.user.birth_date.strftime("%d/%m/%Y")]))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Launcher:
    """scripts/classroom as `make classroom` starts it, in its own data folder."""

    def __init__(self, folder, port):
        self.port = port
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"CLASSROOM_ADDRESS", "DJANGO_SETTINGS_MODULE", "PORT"}
        }
        self.env["CLASSROOM_DATA_DIR"] = str(folder)
        self.lines = []
        self.process = subprocess.Popen(  # noqa: S603 - our own launcher
            [sys.executable, str(LAUNCHER), "--port", str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_until_ready(self):
        deadline = time.monotonic() + GUARD_SECONDS
        while READY not in "".join(self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the launcher did not start:\n" + "".join(self.lines))
            time.sleep(0.2)

    def manage(self, *args):
        result = subprocess.run(  # noqa: S603 - our own launcher
            [sys.executable, str(LAUNCHER), "--port", str(self.port), "manage", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SystemExit(result.stdout + result.stderr)
        return result.stdout

    def server_pids(self):
        """gunicorn's master and the background worker: the launcher's children (the meter
        adds gunicorn's worker process, the master's child)."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(pid) for pid in out.stdout.split()]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def seed(launcher, count):
    out = launcher.manage("shell", "-c", SEED.format(count=count))
    return [json.loads(line) for line in out.splitlines() if line.startswith("[")]


def form_post(client, path, data):
    page = client.get(path)
    token = CSRF_RE.search(page.text)
    if page.status_code != 200 or not token:
        return page
    return client.post(path, data={**data, "csrfmiddlewaretoken": token.group(1)})


def activate(port, source, identifier, password, birth_date):
    """One pupil's journey, over plain HTTP as in the room; (done, seconds)."""
    day, month, year = birth_date.split("/")
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        transport=transport,
        follow_redirects=True,
        timeout=GUARD_SECONDS,
    ) as client:
        started = time.perf_counter()
        page = form_post(client, "/educonnect/login/", {"login": identifier, "password": password})
        if "Créer mon compte" not in page.text:
            return False, time.perf_counter() - started
        page = client.get("/educonnect/activation/formulaire/")  # « Créer mon compte »
        token = CSRF_RE.search(page.text)
        if not token:
            return False, time.perf_counter() - started
        page = client.post(
            "/educonnect/activation/formulaire/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "birth_day": day,
                "birth_month": month,
                "birth_year": year,
                "email": "",
            },
        )
        done = page.status_code == 200 and "Votre compte est créé" in page.text
        return done, time.perf_counter() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def one_round(launcher, meter, count):
    pupils = seed(launcher, count)
    results = [None] * len(pupils)
    barrier = threading.Barrier(len(pupils) + 1)

    def pupil(index, identifier, password, birth_date):
        source = f"127.0.0.{10 + index}"
        barrier.wait()
        try:
            results[index] = activate(launcher.port, source, identifier, password, birth_date)
        except httpx.HTTPError:
            results[index] = (False, 0.0)

    threads = [
        threading.Thread(target=pupil, args=(i, *p), daemon=True) for i, p in enumerate(pupils)
    ]
    for thread in threads:
        thread.start()
    before = meter.read()
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    wall = time.perf_counter() - started
    spent = Meter.since(before, meter.read())
    times = [seconds for done, seconds in results if done]
    ok = len(times)
    return {
        "pupils": len(pupils),
        "ok": ok,
        "cpu_ms_per_activation": spent["gunicorn"] * 1000 / max(1, ok),
        "p95_s": percentile(times, 0.95) if times else None,
        "p50_s": statistics.median(times) if times else None,
        "max_s": max(times) if times else None,
        "wall_s": wall,
    }


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run(rounds, count):
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as folder:
        launcher = Launcher(Path(folder), free_port())
        try:
            launcher.wait_until_ready()
            meter = Meter(launcher.server_pids())
            # One pupil first, alone: the process's caches warmed as after the teacher's checks.
            warm = one_round(launcher, meter, 1)
            measured = [one_round(launcher, meter, count) for _ in range(rounds)]
        finally:
            launcher.stop()
    return {
        "pupils": count,
        "rounds": measured,
        "warm_up_ok": warm["ok"],
        "cpu_ms_per_activation": spread([r["cpu_ms_per_activation"] for r in measured]),
        "p95_s": spread([r["p95_s"] or float("inf") for r in measured]),
        "failures": sum(r["pupils"] - r["ok"] for r in measured),
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def fr(value, digits=2):
    return f"{value:.{digits}f}".replace(".", ",")


def report(result):
    cpu, p95 = result["cpu_ms_per_activation"], result["p95_s"]
    lines = [
        f"Classe d'entraînement ({result['pupils']} élèves qui s'activent ensemble contre "
        f"make classroom, {len(result['rounds'])} manches, {result['cores']} cœurs, charge "
        f"{fr(result['load_average'][0], 1)}) :",
        f"  CPU serveur par activation : {fr(cpu['median'], 1)} ms "
        f"[{fr(cpu['min'], 1)}–{fr(cpu['max'], 1)}]",
        f"  p95 jusqu'à « Votre compte est créé » : {fr(p95['median'])} s "
        f"[{fr(p95['min'])}–{fr(p95['max'])}] (objectif ≤ 3 s sur 2 cœurs au calme)",
        f"  échecs : {result['failures']}",
    ]
    for number, r in enumerate(result["rounds"], 1):
        lines.append(
            f"  manche {number} : {r['ok']}/{r['pupils']}, p50 {fr(r['p50_s'] or 0)} s, "
            f"p95 {fr(r['p95_s'] or 0)} s, dernier {fr(r['max_s'] or 0)} s, "
            f"{fr(r['cpu_ms_per_activation'], 1)} ms CPU/activation"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    result = run(args.rounds, args.pupils)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "classroom.json").write_text(json.dumps(result, indent=2) + "\n")
    print(report(result), flush=True)
    return 0 if result["failures"] == 0 and result["warm_up_ok"] == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
