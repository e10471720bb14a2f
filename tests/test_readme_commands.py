"""Every command the README shows runs as shown: copied into a shell with nothing else set, it
starts (a staff member following the README must not meet « SECRET_KEY must be set »)."""

import os
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNABLE = re.compile(r"`((?:[A-Z_]+=\S+ )*\.venv/bin/python manage\.py [^`]+)`")


def readme_commands():
    return sorted(set(RUNNABLE.findall((ROOT / "README.md").read_text())))


def test_the_readme_shows_runnable_commands():
    assert any("totp_code" in command for command in readme_commands())


def test_every_command_shown_in_the_readme_starts_as_shown():
    """Each one, with only the variables it shows, gets as far as its --help."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    for command in readme_commands():
        words = shlex.split(command)
        env = dict(clean)
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        python, manage, name = words[:3]
        result = subprocess.run(
            [str(ROOT / python), manage, name, "--help"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"{command}\n{result.stderr[-800:]}"
