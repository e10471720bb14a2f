"""A class signs in at once from one address, against the real server: gunicorn in production
mode, several threads (and processes when REDIS_URL is set: production refuses several with
the process's memory), the production limits (no RATE_LIMIT_* override), the shared cache of
the environment (Redis when REDIS_URL is set, as in production)."""

import asyncio
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench import driver
from tests.helpers import (
    GUARD_SECONDS,
    free_port,
    production_env,
    production_workers,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def _run(env, *command):
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_thirty_concurrent_sign_ins_from_one_address_all_succeed(tmp_path, collected_static):
    env = production_env(tmp_path, STATIC_ROOT=str(collected_static), LOG_LEVEL="WARNING")
    for name in ("RATE_LIMIT_SIGN_INS_PER_IP_PER_MINUTE", "RATE_LIMIT_FAILURES_PER_IP_PER_MINUTE"):
        env.pop(name, None)
    _run(env, "manage.py", "migrate", "--noinput")
    seeded = json.loads(_run(env, "bench/seed.py", "30", "0"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "ent_portal.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", production_workers(env), "--threads", "4", "--worker-class", "gthread"]
        # gunicorn kills a worker silent for 30 s, and closes a connection idle for 2 s (the
        # pupil's browser between the form and « Se connecter »: on a loaded machine the class's
        # thirty forms take longer than that to arrive): guards instead, the test is not a race.
        + ["--timeout", str(GUARD_SECONDS), "--keep-alive", str(GUARD_SECONDS)],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_serving(base + "/sante/vivant/", server)

        async def class_signs_in():
            async with httpx.AsyncClient(timeout=GUARD_SECONDS) as client:
                # Every pupil has the form in front of them, then all press « Se connecter ».
                browsers = [driver.Browser(client, base) for _ in seeded["active"]]
                forms = await asyncio.gather(*(b.get("/educonnect/login/") for b in browsers))
                return await asyncio.gather(
                    *(
                        b.request(
                            "POST",
                            "/educonnect/login/",
                            {
                                "login": identifier,
                                "password": seeded["password"],
                                "csrfmiddlewaretoken": driver.CSRF_RE.search(f.text).group(1),
                            },
                        )
                        for b, f, identifier in zip(browsers, forms, seeded["active"], strict=True)
                    )
                )

        # In a thread of its own: the browser tests may leave an event loop running in this one.
        with ThreadPoolExecutor(1) as thread:
            responses = thread.submit(asyncio.run, class_signs_in()).result()
    finally:
        server.terminate()
        server.wait(timeout=GUARD_SECONDS)
    # All from 127.0.0.1, one address: every one of the thirty is in.
    assert [r.headers.get("location") for r in responses] == ["/services/"] * 30
