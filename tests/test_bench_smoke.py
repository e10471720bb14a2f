"""The benchmark still runs (a few requests; the numbers are not judged here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_end_to_end(tmp_path, collected_static):
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--smoke",
            "--database",
            "sqlite",
            "--output",
            str(tmp_path),
            "--static-root",
            str(collected_static),
        ],
        cwd=ROOT,
        # As from a shell: without the signing key the test settings put in the environment.
        env={k: v for k, v in os.environ.items() if k != "IDP_OIDC_PRIVATE_KEY"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["sign_ins"]["ok"] == results["sign_ins"]["count"] > 0
    assert results["activations"]["ok"] == results["activations"]["count"] > 0
    assert {row["path"] for row in results["pages"]} >= {"/services/", "/ent/"}
    assert all(row["errors"] == 0 for row in results["pages"])
    assert 0 < results["sign_ins"]["ratio_to_bound"] < 2
    assert "Banc d'essai" in (tmp_path / "latest.md").read_text()
