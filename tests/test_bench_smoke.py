"""The benchmark still runs (a few requests; the numbers are not judged here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import GUARD_SECONDS

ROOT = Path(__file__).resolve().parent.parent


def run_script(*args):
    """Run one of the bench's scripts as from a shell (without the signing key the test settings
    put in the environment); its output, once it has succeeded."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "IDP_OIDC_PRIVATE_KEY"},
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


def test_the_benchmark_runs_end_to_end(tmp_path, collected_static):
    run_script(
        "bench/run.py",
        "--smoke",
        "--workers",
        "1",  # one process a server: the test checks that it runs, not how it scales
        "--database",
        "sqlite",
        "--output",
        str(tmp_path),
        "--static-root",
        str(collected_static),
    )
    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["sign_ins"]["ok"] == results["sign_ins"]["count"] > 0
    assert results["activations"]["ok"] == results["activations"]["count"] > 0
    assert {row["path"] for row in results["pages"]} >= {"/services/", "/ent/"}
    assert all(row["errors"] == 0 for row in results["pages"])
    assert 0 < results["sign_ins"]["ratio_to_bound"] < 2
    # Server CPU per operation, with the bare Django peer and the paired ratios.
    operations = results["cpu"]["operations"]
    assert {"sign_in", "peer_sign_in", "activation", "services", "trivial"} <= set(operations)
    # The provider's round trips and the séance's polls (304 when unchanged), each with its pair.
    assert {"oidc", "cas", "seance_unchanged", "seance_changed"} <= set(operations)
    assert {"oidc/sign_in", "cas/sign_in", "seance_unchanged/trivial"} <= set(
        results["cpu"]["ratios"]
    )
    assert all(op["failures"] == 0 for op in operations.values())
    assert operations["sign_in"]["total_ms"]["median"] > 0
    assert 0 < operations["sign_in"]["argon2_share"]["median"] <= 1
    assert results["cpu"]["ratios"]["sign_in/peer_sign_in"]["ratio"]["median"] > 0
    report = (tmp_path / "latest.md").read_text()
    assert "Banc d'essai" in report and "CPU serveur par opération" in report


def test_the_profile_splits_each_request_of_a_sign_in_and_of_a_page(tmp_path, collected_static):
    out = tmp_path / "profile.json"
    result = run_script(
        "bench/profile.py",
        "-n",
        "2",
        "--database",
        "sqlite",
        "--static-root",
        str(collected_static),
        "--json",
        str(out),
    )
    measured = json.loads(out.read_text())
    for side in ("portal", "peer"):
        steps = measured[side]["sign_in"]
        assert set(steps) == {"formulaire (GET)", "POST", "page d'arrivée"}
        post = steps["POST"]
        assert post["total"] > 0 and post["calls"]["SQL"] >= 2  # the user, last_login at least
        # The parts are the whole: what the timers did not take is « le reste ».
        assert abs(sum(post["parts"].values()) - post["total"]) < 0.01
    assert "/services/" in measured["portal"]["pages"]
    assert "| portail : connexion, POST |" in result.stdout


def test_the_classroom_case_runs_against_the_real_launcher(tmp_path):
    """bench/classroom.py: the launcher of `make classroom`, a practice class, pupils who
    activate at once over loopback; here two pupils, one round (no figure is judged)."""
    result = run_script(
        "bench/classroom.py", "--rounds", "1", "--pupils", "2", "--output", str(tmp_path)
    )
    measured = json.loads((tmp_path / "classroom.json").read_text())
    assert measured["failures"] == 0 and measured["rounds"][0]["ok"] == 2
    assert measured["cpu_ms_per_activation"]["median"] > 0
    assert "Votre compte est créé" in result.stdout
