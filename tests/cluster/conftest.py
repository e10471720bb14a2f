"""The cluster's tests: two production instances (gunicorn) on 127.0.0.11 and 127.0.0.12, on a
PostgreSQL database of their own (on the server of DATABASE_URL) and a Redis server of their own
(redis-server on a free loopback port: nobody else's keys), with the background worker. They
run in CI's PostgreSQL + Redis pass only (DATABASE_URL=postgres://…, REDIS_URL set)."""

import importlib.machinery
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests.helpers import GUARD_SECONDS, free_port, redis_url

ROOT = Path(__file__).resolve().parents[2]


def cluster_module():
    """scripts/cluster as a module (a command without .py), for its pieces."""
    loader = importlib.machinery.SourceFileLoader("cluster_launcher", str(ROOT / "scripts/cluster"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def postgres_server():
    """The PostgreSQL server of DATABASE_URL (postgres://user@host:port), None if not one or
    it does not answer."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    server = f"postgres://{parts.netloc}"
    try:
        import psycopg

        with psycopg.connect(server + "/postgres", connect_timeout=2):
            pass
    except Exception:
        return None
    return server


def why_not():
    if postgres_server() is None:
        return "needs PostgreSQL (DATABASE_URL=postgres://…): CI's PostgreSQL + Redis pass"
    if redis_url() is None or not os.environ.get("REDIS_URL"):
        return "needs Redis (REDIS_URL=redis://…): CI's PostgreSQL + Redis pass"
    if not shutil.which("redis-server"):
        return "needs redis-server (Debian's package) for the cluster's own Redis"
    return None


needs_cluster = pytest.mark.skipif(why_not() is not None, reason=why_not() or "")


@pytest.fixture(scope="module")
def cluster(collected_static):
    """Two instances, the worker, and the seed of bench/seed.py (a lesson of 30 watched by a
    teacher, an OpenID Connect and a CAS service) plus the demo (the families' SMS numbers)."""
    module = cluster_module()
    args = module.parser().parse_args(
        [
            "--instances",
            "127.0.0.11,127.0.0.12",
            "--app-port",
            str(free_port()),
            "--workers",
            "1",
            "--threads",
            "4",
            "--database",
            f"ent_portal_cluster_{secrets.token_hex(4)}",
            "--postgres",
            postgres_server(),
            "--redis",
            "own",
            "--redis-port",
            str(free_port()),
            "--static-root",
            str(collected_static),
        ]
    )
    running = module.Cluster(args)
    try:
        running.up(
            seed=True,
            haproxy=False,
            # The address limit made small, to count it across both instances.
            RATE_LIMIT_FAILURES_PER_IP_PER_MINUTE="6",
            LOG_LEVEL="ERROR",
        )
        result = subprocess.run(
            [sys.executable, "bench/seed.py", "30", "0", "--lesson-and-services"],
            cwd=ROOT,
            env=running.env,
            capture_output=True,
            text=True,
            timeout=GUARD_SECONDS,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        yield SimpleNamespace(
            urls=[running.instance_url(0), running.instance_url(1)],
            seeded=json.loads(result.stdout),
            env=running.env,
            module=module,
            running=running,
        )
    finally:
        running.down()
