"""The benchmark: `make bench` (or `.venv/bin/python bench/run.py`).

Starts the portal under gunicorn in production mode (PostgreSQL and Redis when they answer on
this machine, SQLite otherwise), seeds its own accounts, drives the server from this process with
real HTTP clients, and writes bench/results/latest.{json,md}. See README, « Performances ».
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
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

KEYCLOAK_SIGN_INS_PER_VCPU = 15  # Keycloak's published sizing: argon2, 7 MiB, 5 iterations


def argon2_costs(samples=30):
    """One verification and one hash at the portal's parameters, measured here and now."""
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
        started = time.perf_counter()
        hasher.verify(encoded, "Soleil#Vert22")
        verify.append(time.perf_counter() - started)
        started = time.perf_counter()
        hasher.hash("Soleil#Vert22")
        hashing.append(time.perf_counter() - started)
    return statistics.median(verify), statistics.median(hashing)


def postgres_url():
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=2
        ) as connection:
            connection.execute("DROP DATABASE IF EXISTS ent_portal_bench WITH (FORCE)")
            connection.execute("CREATE DATABASE ent_portal_bench")
        return "postgres://postgres@127.0.0.1:5432/ent_portal_bench"
    except Exception:
        return None


def redis_url():
    try:
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/13", socket_connect_timeout=1)
        client.flushdb()
        return "redis://127.0.0.1:6379/13"
    except Exception:
        return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a few requests, to check it runs")
    parser.add_argument("--database", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--sign-ins", type=int, default=1500)
    parser.add_argument("--activations", type=int, default=300)
    parser.add_argument("--page-requests", type=int, default=800)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    parser.add_argument(
        "--static-root",
        help="static files already collected in production mode (skips collectstatic)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.sign_ins, args.activations, args.page_requests = 6, 2, 8
    levels = [1, 2] if args.smoke else [1, 8, 32]
    cores = os.cpu_count()

    workdir = Path(tempfile.mkdtemp(prefix="ent-bench-"))
    database = None if args.database == "sqlite" else postgres_url()
    if args.database == "postgres" and database is None:
        sys.exit("PostgreSQL does not answer on 127.0.0.1:5432")
    cache = None if args.database == "sqlite" else redis_url()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "ent_portal.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUST_X_FORWARDED_PROTO": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",  # never used here
        "MFA_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
        "DATABASE_URL": database or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "STATIC_ROOT": args.static_root or str(workdir / "static"),
        "RATE_LIMIT_SIGN_INS_PER_IP_PER_MINUTE": "1000000",
        "RATE_LIMIT_FAILURES_PER_IP_PER_MINUTE": "1000000",
        "LOG_LEVEL": "WARNING",
        # Production refuses to start without an OIDC signing key; the bench measures no provider.
        "IDP_OIDC_ENABLED": "0",
    }
    if cache:
        env["REDIS_URL"] = cache
    else:
        env.pop("REDIS_URL", None)

    def manage(*command):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    print(
        f"Base : {'PostgreSQL' if database else 'SQLite'}, cache : "
        f"{'Redis' if cache else 'mémoire locale'} ; {args.workers} processus × "
        f"{args.threads} fils ; {cores} cœurs."
    )
    manage("migrate", "--noinput")
    if not args.static_root:
        manage("collectstatic", "--noinput")
    page_users = max(levels)
    seeded = json.loads(
        subprocess.run(
            [
                sys.executable,
                "bench/seed.py",
                str(args.sign_ins + page_users),
                str(args.activations),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )

    verify_s, hash_s = argon2_costs(5 if args.smoke else 30)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
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
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(base + "/sante/vivant/")
        concurrency = 2 if args.smoke else 2 * args.workers * args.threads
        sign_ins = asyncio.run(
            driver.bench_sign_ins(
                base, seeded["active"][page_users:], seeded["password"], concurrency
            )
        )
        activations = asyncio.run(
            driver.bench_activations(
                base,
                seeded["provisional"],
                seeded["provisional_password"],
                seeded["birth_date"],
                concurrency,
            )
        )
        paths = ["/sante/vivant/", "/services/", "/ent/", "/pronote/emploi-du-temps/"]
        pages = asyncio.run(
            driver.bench_pages(
                base,
                seeded["active"][:page_users],
                seeded["password"],
                paths,
                levels,
                args.page_requests,
            )
        )
        memory = peak_memory_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)

    sign_in_rate = sign_ins["ok"] / sign_ins["seconds"]
    activation_rate = activations["ok"] / activations["seconds"]
    trivial = {row["concurrency"]: row["rps"] for row in pages if row["path"] == "/sante/vivant/"}
    for row in pages:
        row["ratio_to_trivial"] = row["rps"] / trivial[row["concurrency"]]
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
    if failures:
        sys.exit(f"{failures} requêtes en erreur : voir les journaux du serveur ci-dessus.")


def render(r):
    s, a = r["sign_ins"], r["activations"]
    lines = [
        f"# Banc d'essai — {r['date']}",
        "",
        f"Machine : {r['machine']} ; base {r['database']}, cache {r['cache']} ; gunicorn "
        f"{r['workers']} processus × {r['threads']} fils ; le client tourne sur la même machine.",
        f"argon2id mesuré : vérification {r['argon2_verify_ms']:.1f} ms, "
        f"empreinte {r['argon2_hash_ms']:.1f} ms.",
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
