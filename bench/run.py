"""The benchmark: `make bench` (or `.venv/bin/python bench/run.py`).

Starts the portal under gunicorn in production mode (PostgreSQL and Redis when they answer on
this machine, SQLite otherwise), seeds its own accounts, drives the server from this process with
real HTTP clients, and writes bench/results/latest.{json,md}. See bench/README.md.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import driver  # noqa: E402
from bench.cpu import Meter  # noqa: E402
from idp.keys import new_private_key_pem  # noqa: E402

KEYCLOAK_SIGN_INS_PER_VCPU = 15  # Keycloak's published sizing: argon2, 7 MiB, 5 iterations


def argon2_costs(samples=30):
    """CPU of one verification and one hash at the portal's parameters, measured here and now
    (thread CPU time, not wall-clock: the machine's other jobs do not count)."""
    from argon2 import PasswordHasher, Type

    from accounts.hashers import OwaspArgon2PasswordHasher as Portal

    hasher = PasswordHasher(
        time_cost=Portal.time_cost,
        memory_cost=Portal.memory_cost,
        parallelism=Portal.parallelism,
        type=Type.ID,
    )
    encoded = hasher.hash("Soleil#Vert22")
    verify, hashing = [], []
    for _ in range(samples):
        started = time.thread_time()
        hasher.verify(encoded, "Soleil#Vert22")
        verify.append(time.thread_time() - started)
        started = time.thread_time()
        hasher.hash("Soleil#Vert22")
        hashing.append(time.thread_time() - started)
    return statistics.median(verify), statistics.median(hashing)


def create_database():
    """A database of this run's own (unique name), or None when PostgreSQL does not answer."""
    name = f"ent_portal_bench_{secrets.token_hex(4)}"
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=2
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name
    except Exception:
        return None


def drop_database(name):
    import psycopg

    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=5
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_redis():
    """A Redis server of this run's own, on a free port (its CPU is read from /proc; nobody
    else's data is flushed); None when redis-server is not installed."""
    binary = shutil.which("redis-server")
    if not binary:
        return None, None
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            return process, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    process.kill()
    return None, None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=600):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer at {url}")


def peak_memory_mib(master_pid):
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def gunicorn(port, env, args):
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ent_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
            # Not gunicorn's 30 s: on a loaded machine (the smoke test in the suite) a worker
            # killed for slowness would fail a run that measures, it does not judge, speed.
            "--timeout",
            "600",
        ],
        cwd=ROOT,
        env=env,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a few requests, to check it runs")
    parser.add_argument("--database", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--sign-ins", type=int, default=600)
    parser.add_argument("--activations", type=int, default=150)
    parser.add_argument("--page-requests", type=int, default=400)
    parser.add_argument("--repetitions", type=int, default=10, help="server-CPU repetitions")
    parser.add_argument("--cpu-sign-ins", type=int, default=20, help="sign-ins per CPU block")
    parser.add_argument("--cpu-activations", type=int, default=8, help="per CPU block")
    parser.add_argument("--cpu-pages", type=int, default=100, help="requests per CPU block")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    parser.add_argument(
        "--static-root",
        help="static files already collected in production mode (skips collectstatic)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.sign_ins, args.activations, args.page_requests = 4, 2, 6
        args.repetitions, args.cpu_sign_ins, args.cpu_activations, args.cpu_pages = 2, 1, 1, 4
    levels = [1, 2] if args.smoke else [1, 8, 32]
    cores = os.cpu_count()

    with own_services(args.database, "ent-bench-") as (workdir, database, redis_server, cache):
        run(args, levels, cores, workdir, database, redis_server, cache)


@contextlib.contextmanager
def own_services(choice, prefix):
    """This run's working folder, PostgreSQL database and Redis server (None when ``choice`` is
    "sqlite" or they do not answer here), all removed at the end (bench/profile.py uses it too)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    database = None if choice == "sqlite" else create_database()
    if choice == "postgres" and database is None:
        sys.exit("PostgreSQL does not answer on 127.0.0.1:5432")
    redis_server, cache = (None, None) if choice == "sqlite" else start_redis()
    try:
        yield workdir, database, redis_server, cache
    finally:
        if redis_server:
            redis_server.terminate()
            redis_server.wait(timeout=10)
        if database:
            drop_database(database)
        shutil.rmtree(workdir, ignore_errors=True)


def production_env(workdir, database, cache, static_root=None):
    """The portal's environment in production mode, on this run's own database and Redis
    (bench/profile.py uses it too)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "ent_portal.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUST_X_FORWARDED_PROTO": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",  # never used here
        "SMS_BACKEND": "families.sms.HttpGatewayBackend",  # never used here either
        "SMS_GATEWAY_URL": "https://sms.example.invalid/",
        "MFA_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"
        if database
        else f"sqlite:///{workdir / 'bench.sqlite3'}",
        "STATIC_ROOT": static_root or str(workdir / "static"),
        "RATE_LIMIT_SIGN_INS_PER_IP_PER_MINUTE": "1000000",
        "RATE_LIMIT_FAILURES_PER_IP_PER_MINUTE": "1000000",
        "LOG_LEVEL": "WARNING",
        # The provider is measured too (OpenID Connect round trip): a signing key of this run.
        "IDP_OIDC_ENABLED": "1",
        "IDP_OIDC_PRIVATE_KEY": new_private_key_pem(),
    }
    if cache:
        env["REDIS_URL"] = cache
    else:
        env.pop("REDIS_URL", None)
        # No Redis here: production refuses the process's memory unless told that one process
        # serves. The bench measures anyway, each worker with its own counters (limits raised).
        env["SINGLE_PROCESS"] = "1"
    return env


def run(args, levels, cores, workdir, database, redis_server, cache):
    env = production_env(workdir, database, cache, args.static_root)

    def manage(*command):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    print(
        f"Base : {database or 'SQLite'}, cache : "
        f"{'Redis ' + cache if cache else 'mémoire locale'} ; {args.workers} processus × "
        f"{args.threads} fils ; {cores} cœurs."
    )
    manage("migrate", "--noinput")
    if not args.static_root:
        manage("collectstatic", "--noinput")
    page_users = max(levels)
    # A B B A: two blocks of each side per repetition and pair, one warm-up block.
    cpu_sign_ins = blocks_of("sign_in", args.repetitions) * args.cpu_sign_ins
    cpu_peer_sign_ins = blocks_of("peer_sign_in", args.repetitions) * args.cpu_sign_ins
    cpu_activations = blocks_of("activation", args.repetitions) * args.cpu_activations
    seeded = json.loads(
        subprocess.run(
            [
                sys.executable,
                "bench/seed.py",
                str(page_users + args.sign_ins + cpu_sign_ins + cpu_peer_sign_ins),
                str(args.activations + cpu_activations),
                "--lesson-and-services",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    active, provisional = seeded["active"], seeded["provisional"]
    accounts = {
        "pages": active[:page_users],
        "sign_ins": active[page_users : page_users + args.sign_ins],
        "cpu_sign_ins": active[page_users + args.sign_ins :][:cpu_sign_ins],
        "cpu_peer_sign_ins": active[page_users + args.sign_ins + cpu_sign_ins :],
        "activations": provisional[: args.activations],
        "cpu_activations": provisional[args.activations :],
    }

    verify_s, hash_s = argon2_costs(5 if args.smoke else 30)
    port, peer_port = free_port(), free_port()
    base, peer_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{peer_port}"
    server = gunicorn(port, env, args)
    peer = gunicorn(peer_port, {**env, "DJANGO_SETTINGS_MODULE": "bench.peer_settings"}, args)
    meter = None
    try:
        wait_for(base + "/sante/vivant/")
        wait_for(peer_base + "/sante/vivant/")
        meter = Meter([server.pid, peer.pid], redis_server and redis_server.pid, database)
        cpu = asyncio.run(cpu_per_operation(meter, base, peer_base, seeded, accounts, args))
        concurrency = 2 if args.smoke else 2 * args.workers * args.threads
        sign_ins = asyncio.run(
            driver.bench_sign_ins(base, accounts["sign_ins"], seeded["password"], concurrency)
        )
        activations = asyncio.run(
            driver.bench_activations(
                base,
                accounts["activations"],
                seeded["provisional_password"],
                seeded["birth_date"],
                concurrency,
            )
        )
        paths = ["/sante/vivant/", "/services/", "/ent/", "/pronote/emploi-du-temps/"]
        pages = asyncio.run(
            driver.bench_pages(
                base, accounts["pages"], seeded["password"], paths, levels, args.page_requests
            )
        )
        memory = peak_memory_mib(server.pid)
    finally:
        if meter:
            meter.close()
        for process in (server, peer):
            process.terminate()
        for process in (server, peer):
            process.wait(timeout=20)

    sign_in_rate = sign_ins["ok"] / sign_ins["seconds"]
    activation_rate = activations["ok"] / activations["seconds"]
    trivial = {row["concurrency"]: row["rps"] for row in pages if row["path"] == "/sante/vivant/"}
    for row in pages:
        row["ratio_to_trivial"] = row["rps"] / trivial[row["concurrency"]]
    summarise_cpu(cpu, verify_s, hash_s)
    results = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {cores} vCPU, "
        f"Python {platform.python_version()}",
        "database": "postgresql" if database else "sqlite",
        "cache": "redis" if cache else "locmem",
        "workers": args.workers,
        "threads": args.threads,
        "smoke": args.smoke,
        "argon2_verify_ms": verify_s * 1000,
        "argon2_hash_ms": hash_s * 1000,
        "cpu": cpu,
        "sign_ins": {
            **sign_ins,
            "per_second": sign_in_rate,
            "per_second_per_vcpu": sign_in_rate / cores,
            "bound_per_second": cores / verify_s,
            "ratio_to_bound": sign_in_rate * verify_s / cores,
            "keycloak_per_second_per_vcpu": KEYCLOAK_SIGN_INS_PER_VCPU,
        },
        "activations": {
            **activations,
            "per_second": activation_rate,
            "bound_per_second": cores / (verify_s + hash_s),
            "ratio_to_bound": activation_rate * (verify_s + hash_s) / cores,
        },
        "pages": pages,
        "peak_memory_per_worker_mib": memory,
    }
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "latest.json").write_text(json.dumps(results, indent=2))
    (output / "latest.md").write_text(render(results))
    print(render(results))
    failures = sign_ins["count"] - sign_ins["ok"] + activations["count"] - activations["ok"]
    failures += sum(row["errors"] for row in pages)
    failures += sum(op["failures"] for op in cpu["operations"].values())
    if failures:
        sys.exit(f"{failures} requêtes en erreur : voir les journaux du serveur ci-dessus.")


# What the server-CPU section measures: name -> (label, per-operation unit of work).
OPERATIONS = {
    "sign_in": "connexion (formulaire + POST + page d'arrivée)",
    "oidc": "OpenID Connect : authorize → code → token → userinfo",
    "cas": "CAS : /cas/login → ticket → p3/serviceValidate",
    "seance_unchanged": "séance, 30 élèves : rafraîchissement sans changement (304)",
    "seance_changed": "séance, 30 élèves : rafraîchissement après un changement (200)",
    "peer_sign_in": "pair : LoginView de contrib.auth (mêmes trois requêtes)",
    "activation": "activation (connexion provisoire + formulaire + page finale)",
    "services": "/services/",
    "ent": "/ent/",
    "timetable": "/pronote/emploi-du-temps/",
    "peer_page": "pair : page authentifiée nue",
    "trivial": "vue triviale /sante/vivant/",
}
# Paired comparisons, A B B A in every repetition; (A, A) is the A/A control.
PAIRS = [
    ("sign_in", "peer_sign_in"),
    ("oidc", "sign_in"),
    ("cas", "sign_in"),
    ("seance_unchanged", "trivial"),
    ("seance_changed", "trivial"),
    ("activation", "activation"),
    ("services", "trivial"),
    ("ent", "trivial"),
    ("timetable", "trivial"),
    ("peer_page", "trivial"),
]


def blocks_of(name, repetitions):
    """How many blocks of ``name`` a run measures: two per repetition for each side of a pair
    it is on (four for an A/A pair), and one to warm up."""
    return 1 + 2 * repetitions * sum((a == name) + (b == name) for a, b in PAIRS)


async def cpu_per_operation(meter, base, peer_base, seeded, accounts, args):
    """Server CPU per operation: blocks of N operations between two /proc readings."""
    password = seeded["password"]
    fresh = {
        "sign_in": iter(accounts["cpu_sign_ins"]),
        "peer_sign_in": iter(accounts["cpu_peer_sign_ins"]),
        "activation": iter(accounts["cpu_activations"]),
    }
    concurrency = 1 if args.smoke else 2
    async with driver.httpx.AsyncClient(timeout=600) as client:
        reader = driver.Browser(client, base)
        await driver.sign_in(reader, accounts["pages"][0], password)
        peer_reader = driver.Browser(client, peer_base)
        await driver.sign_in_at(
            peer_reader,
            "/banc/pair/connexion/",
            ("username", "password"),
            accounts["pages"][1],
            password,
        )

        # A pupil signed in once, who then opens the school's services (OIDC, CAS).
        services = driver.Browser(client, base)
        await driver.sign_in(services, seeded["service_user"], password)
        # The teacher's séance page: the admin session the seed made, and the live part's ETag.
        teacher = driver.Browser(client, base)
        teacher.cookies["sessionid"] = seeded["staff_session"]
        live = await teacher.get(seeded["seance_live"])
        assert live.status_code == 200, live.status_code
        # (Without an ETag, code from before the 304s: every poll renders the cards.)
        etag = {"If-None-Match": live.headers["etag"]} if "etag" in live.headers else {}
        # The next poll's address, as static/js/seance.js keeps it: with the token of the last
        # full answer (a 304 before the session is loaded, staff/live.py), renewed by each one.
        poll = {"url": live.headers.get("x-live-url", seeded["seance_live"])}

        def keep_poll_url(response):
            poll["url"] = response.headers.get("x-live-url", poll["url"])
            return response

        oidc = seeded["oidc"]

        async def one(name, item):
            if name == "oidc":
                return await driver.oidc_round_trip(
                    services, oidc["client_id"], oidc["secret"], oidc["redirect_uri"]
                )
            if name == "cas":
                return await driver.cas_round_trip(services, seeded["cas_service"])
            if name == "seance_unchanged":
                status = keep_poll_url(await teacher.get(poll["url"], etag)).status_code
                return status == (304 if etag else 200)
            if name == "seance_changed":  # a stamp that no longer holds: all 30 cards again
                return keep_poll_url(await teacher.get(poll["url"])).status_code == 200
            if name == "sign_in":
                location, page = await driver.sign_in(driver.Browser(client, base), item, password)
                return location == "/services/" and page.status_code == 200
            if name == "peer_sign_in":
                location, page = await driver.sign_in_at(
                    driver.Browser(client, peer_base),
                    "/banc/pair/connexion/",
                    ("username", "password"),
                    item,
                    password,
                )
                return location == "/banc/pair/page/" and page.status_code == 200
            if name == "activation":
                return await driver.activate(
                    driver.Browser(client, base),
                    item,
                    seeded["provisional_password"],
                    seeded["birth_date"],
                )
            browser, path = {
                "services": (reader, "/services/"),
                "ent": (reader, "/ent/"),
                "timetable": (reader, "/pronote/emploi-du-temps/"),
                "trivial": (reader, "/sante/vivant/"),
                "peer_page": (peer_reader, "/banc/pair/page/"),
            }[name]
            return (await browser.get(path)).status_code == 200

        def size(name):
            return {
                "sign_in": args.cpu_sign_ins,
                "peer_sign_in": args.cpu_sign_ins,
                "oidc": args.cpu_sign_ins,
                "cas": args.cpu_sign_ins,
                "activation": args.cpu_activations,
            }.get(name, args.cpu_pages)

        async def block(name):
            n = size(name)
            items = [next(fresh[name]) if name in fresh else None for _ in range(n)]
            before = meter.read()
            started = time.perf_counter()
            results = await driver._pool(concurrency, items, lambda item: one(name, item))
            wall = time.perf_counter() - started
            spent = Meter.since(before, meter.read())
            return {
                "cpu_ms": {part: seconds * 1000 / n for part, seconds in spent.items()},
                "total_ms": sum(spent.values()) * 1000 / n,
                "wall_ms": wall * 1000 * concurrency / n,
                "failures": n - sum(results),
            }

        # Warm-up: every worker's code, templates and connections, measured by no one.
        for name in OPERATIONS:
            await block(name)
        operations = {name: {"blocks": [], "failures": 0} for name in OPERATIONS}
        pairs = []
        for _ in range(args.repetitions):
            for a, b in PAIRS:
                a1, b1, b2, a2 = [await block(name) for name in (a, b, b, a)]
                for name, measured in ((a, a1), (b, b1), (b, b2), (a, a2)):
                    operations[name]["blocks"].append(measured)
                    operations[name]["failures"] += measured["failures"]
                pairs.append(
                    {
                        "a": a,
                        "b": b,
                        "ratio": (a1["total_ms"] + a2["total_ms"])
                        / max(1e-9, b1["total_ms"] + b2["total_ms"]),
                        "control": a1["total_ms"] / max(1e-9, a2["total_ms"]),
                    }
                )
    return {"concurrency": concurrency, "operations": operations, "pairs": pairs}


def _spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise_cpu(cpu, verify_s, hash_s):
    """Medians and ranges over the blocks; argon2's share; the paired ratios."""
    argon2 = {"sign_in": verify_s, "peer_sign_in": verify_s, "activation": verify_s + hash_s}
    for name, op in cpu["operations"].items():
        totals = [b["total_ms"] for b in op["blocks"]]
        op["label"] = OPERATIONS[name]
        op["total_ms"] = _spread(totals)
        op["parts_ms"] = {
            part: statistics.median(b["cpu_ms"][part] for b in op["blocks"])
            for part in op["blocks"][0]["cpu_ms"]
        }
        op["wall_ms"] = statistics.median(b["wall_ms"] for b in op["blocks"])
        if name in argon2:
            hashing = argon2[name] * 1000
            op["argon2_ms"] = hashing
            op["non_hash_ms"] = op["total_ms"]["median"] - hashing
            op["argon2_share"] = _spread([min(1.0, hashing / t) for t in totals if t > 0])
    summary = {}
    for pair in cpu["pairs"]:
        key = f"{pair['a']}/{pair['b']}"
        summary.setdefault(key, {"a": pair["a"], "b": pair["b"], "ratios": [], "controls": []})
        summary[key]["ratios"].append(pair["ratio"])
        summary[key]["controls"].append(pair["control"])
    for entry in summary.values():
        entry["ratio"] = _spread(entry.pop("ratios"))
        entry["control"] = _spread(entry.pop("controls"))
    cpu["ratios"] = summary


def _r(spread, fmt="{:.1f}"):
    return (
        f"{fmt.format(spread['median'])} [{fmt.format(spread['min'])}–{fmt.format(spread['max'])}]"
    )


def render_cpu(r):
    cpu = r["cpu"]
    lines = [
        "## CPU serveur par opération",
        "",
        "gunicorn (maître + processus) + processus PostgreSQL de la base du banc + Redis du banc, "
        f"lus dans /proc avant et après chaque bloc ; {cpu['concurrency']} client(s) ; "
        "médiane [min–max] sur les blocs. Le client de charge n'est pas compté.",
        "",
        "| opération | CPU serveur, ms | gunicorn · PostgreSQL · Redis | hors argon2 | "
        "part d'argon2 | temps mural, ms |",
        "|---|---|---|---|---|---|",
    ]
    for op in cpu["operations"].values():
        parts = " · ".join(f"{op['parts_ms'][p]:.1f}" for p in ("gunicorn", "postgres", "redis"))
        non_hash = f"{op['non_hash_ms']:.1f}" if "non_hash_ms" in op else ""
        share = _r(op["argon2_share"], "{:.2f}") if "argon2_share" in op else ""
        lines.append(
            f"| {op['label']} | {_r(op['total_ms'])} | {parts} | {non_hash} | {share} | "
            f"{op['wall_ms']:.1f} |"
        )
    lines += [
        "",
        "Comparaisons appariées (A B B A à chaque répétition ; A/A : premier bloc A ÷ second) :",
        "",
        "| A ÷ B | rapport | contrôle A/A |",
        "|---|---|---|",
    ]
    for entry in cpu["ratios"].values():
        if entry["a"] == entry["b"]:
            label, ratio = f"{OPERATIONS[entry['a']]} (A/A seul)", "—"
        else:
            label = f"{OPERATIONS[entry['a']]} ÷ {OPERATIONS[entry['b']]}"
            ratio = _r(entry["ratio"], "{:.2f}")
        lines.append(f"| {label} | {ratio} | {_r(entry['control'], '{:.2f}')} |")
    return lines


def render(r):
    s, a = r["sign_ins"], r["activations"]
    lines = [
        f"# Banc d'essai — {r['date']}",
        "",
        f"Machine : {r['machine']} ; base {r['database']}, cache {r['cache']} ; gunicorn "
        f"{r['workers']} processus × {r['threads']} fils ; le client tourne sur la même machine.",
        f"argon2id mesuré (temps CPU) : vérification {r['argon2_verify_ms']:.1f} ms, "
        f"empreinte {r['argon2_hash_ms']:.1f} ms.",
        "",
        *render_cpu(r),
        "",
        "## Débit (temps mural, machine partagée : indicatif)",
        "",
        "| mesure | obtenu | borne | rapport |",
        "|---|---|---|---|",
        f"| (a) connexions par mot de passe | {s['per_second']:.1f}/s "
        f"({s['per_second_per_vcpu']:.1f}/s/vCPU ; Keycloak : "
        f"{s['keycloak_per_second_per_vcpu']}/s/vCPU) | {s['bound_per_second']:.1f}/s | "
        f"{s['ratio_to_bound']:.2f} |",
        f"| (c) activations | {a['per_second']:.1f}/s | {a['bound_per_second']:.1f}/s | "
        f"{a['ratio_to_bound']:.2f} |",
        "",
        "(b) pages authentifiées :",
        "",
        "| page | clients | req/s | p50 ms | p95 ms | p99 ms | rapport à la vue triviale |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in r["pages"]:
        lines.append(
            f"| {row['path']} | {row['concurrency']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['ratio_to_trivial']:.2f} |"
        )
    memory = ", ".join(f"{m:.0f}" for m in r["peak_memory_per_worker_mib"])
    lines += ["", f"Mémoire maximale par processus : {memory} Mio.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
