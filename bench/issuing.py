"""Issuing letters at scale: `make bench` runs it after bench/run.py, or
`.venv/bin/python bench/issuing.py [--count 10000]`.

Creates COUNT pupils, then times accounts.batch.do_issue_many on them, against the bound
COUNT × one argon2 hash ÷ cores (hash measured in the same run). Target: within 1.15× of it.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ent-issuing-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ent_portal.settings",
        SECRET_KEY="bench-only-" + "x" * 50,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'db.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.actions import do_issue_many
    from accounts.batch import _hash
    from accounts.models import User

    call_command("migrate", verbosity=0)
    User.objects.bulk_create(
        [
            User(
                username=f"b.lot{n}",
                first_name="Banc",
                last_name=f"Lot{n}",
                birth_date=date(2012, 1, 1),
                password="!",
            )
            for n in range(args.count)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(username__startswith="b.lot"))
    samples = []
    for _ in range(30):
        started = time.perf_counter()
        _hash("Soleil#Vert22")
        samples.append(time.perf_counter() - started)
    one_hash = statistics.median(samples)
    cores = os.cpu_count()
    started = time.perf_counter()
    issued = do_issue_many(users)
    elapsed = time.perf_counter() - started
    bound = args.count * one_hash / cores
    assert len(issued) == args.count
    assert issued[0].user.check_password(issued[0].password)
    results = {
        "count": args.count,
        "cores": cores,
        "one_hash_ms": one_hash * 1000,
        "seconds": elapsed,
        "bound_seconds": bound,
        "ratio_to_bound": elapsed / bound,
    }
    Path(args.output).mkdir(parents=True, exist_ok=True)
    (Path(args.output) / "issuing.json").write_text(json.dumps(results, indent=2))
    print(
        f"Émission de {args.count} courriers : {elapsed:.1f} s ; borne {args.count} × "
        f"{one_hash * 1000:.1f} ms ÷ {cores} cœurs = {bound:.1f} s ; rapport {elapsed / bound:.2f} "
        f"(objectif ≤ 1,15)."
    )


if __name__ == "__main__":
    main()
