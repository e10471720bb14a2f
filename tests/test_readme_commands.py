"""Every command the README, the pages of docs/ and bench/README.md show runs as shown: copied
into a shell with nothing else set, it starts (a staff member following a page must not meet
« SECRET_KEY must be set », nor an option that does not exist).

How a page is followed, without serving, migrating or measuring anything:

- each ```sh block of a page runs for real in bash, in the page's order, in one shell and one
  scratch folder per page (what a reader does in one terminal: what a block exports or writes,
  the next finds); the programs that would do the work are replaced by recorders:
  ``.venv/bin/python``, ``.venv/bin/<tool>`` and ``make``. Any other program than those and a
  few harmless ones (export, mkdir, chmod, openssl, python3) fails the test;
- each inline command (`make …`, `[VAR=value …] .venv/bin/…`) runs alone, in a clean shell;
- then what was recorded is checked with the environment it was given: a ``manage.py``
  command's arguments are parsed by the command's own parser, settings loaded (never run); a
  script's ``--help`` answers and lists every option shown; ``make -n`` knows the target;
  gunicorn loads the application (``--check-config``). A database address is checked for its
  form, then replaced by a scratch SQLite file: nothing connects anywhere;
- each ```python block compiles.

A block that cannot run here (it needs a running portal, a real database…) is preceded by
``<!-- non vérifié : why -->``, and says why.
"""

import json
import os
import re
import shlex
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import GUARD_SECONDS

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():  # the suite run by another interpreter than the project's
    PYTHON = Path(sys.executable)


def pages():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]


INLINE = re.compile(r"`((?:[A-Z_]+=\S+ )*(?:make [a-z]|\.venv/bin/\w)[^`]*)`")
EXEMPT = re.compile(r"^<!--\s*non vérifié\s*:(?P<why>.*?)-->\s*$")
SHELLS = {"sh", "bash", "shell"}
# Programs a checked block may run for real: they only touch the scratch folder.
HARMLESS = {"export", "mkdir", "chmod", "openssl", "python3"}
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.S)
OPERATORS = {"&&", "||", ";", "|", "&", "(", ")"}
REDIRECTIONS = {">", ">>", "<", "2>", "&>"}


class Block:
    def __init__(self, page, line, info, body, exempt):
        self.page, self.line, self.info, self.body, self.exempt = page, line, info, body, exempt

    @property
    def where(self):
        return f"{self.page}:{self.line}"


def blocks(page, text):
    """The fenced blocks of a page, each with the reason it is not checked, if it says one."""
    found, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        if lines[index].startswith("```"):
            info, start = lines[index][3:].strip(), index
            end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
            before = lines[start - 1] if start else ""
            exempt = EXEMPT.match(before)
            body = "\n".join(lines[start + 1 : end])
            found.append(Block(page, start + 1, info, body, exempt and exempt["why"].strip()))
            index = end
        index += 1
    return found


def inline_commands(text):
    """`make …` and `.venv/bin/…` written inline, outside the fenced blocks."""
    outside = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return sorted(set(INLINE.findall(outside)))


def logical_lines(script):
    return [line for line in script.replace("\\\n", " ").splitlines() if line.strip()]


def programs(line):
    """The program of each simple command of a shell line (after its VAR=value prefixes)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    segment, found = [], []
    for word in [*lexer, ";"]:
        if word in OPERATORS:
            words = [w for w in segment if not ASSIGNMENT.fullmatch(w)]
            if words:
                found.append(words[0])
            segment = []
        elif not segment or segment[-1] not in REDIRECTIONS:
            segment.append(word)
    return found


RECORDER = """\
import json, os, sys
program, argv = sys.argv[1], sys.argv[2:]
env = {k: v for k, v in os.environ.items() if not k.startswith("RECORD_")}
with open(os.environ["RECORD_LOG"], "a") as log:
    log.write(json.dumps({"program": program, "argv": argv, "env": env, "cwd": os.getcwd(),
                          "where": os.environ.get("RECORD_WHERE", "")}) + "\\n")
"""


def _run(command, *, cwd=ROOT, env=None):
    """A command of the checker, its output kept; a hung one stops at the guard."""
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=GUARD_SECONDS
    )


def _shim(path, program, recorder):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{recorder}" {program} "$@"\n')
    path.chmod(0o755)


def follow(script, work, where, *, log):
    """Run ``script`` in bash in ``work`` with the recorders in place; its problems."""
    problems = []
    for line in logical_lines(script):
        for program in programs(line):
            if program in HARMLESS or program == "make" or program.startswith(".venv/bin/"):
                continue
            problems.append(
                f"{where}: « {program} » cannot be followed here; mark the block "
                "<!-- non vérifié : why -->, or teach tests/test_readme_commands.py"
            )
    if problems:
        return problems
    recorder = work.parent / "record.py"
    if not recorder.exists():
        recorder.write_text(RECORDER)
    bin_dir = work.parent / "bin"
    _shim(bin_dir / "make", "make", recorder)
    for tool in set(re.findall(r"\.venv/bin/(\w+)", script)):
        _shim(work / ".venv" / "bin" / tool, tool, recorder)
    system_path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != PYTHON.parent
    )
    env = {k: v for k, v in os.environ.items() if k in {"HOME", "LANG"}}
    env.update(PATH=f"{bin_dir}{os.pathsep}{system_path}", RECORD_LOG=str(log), RECORD_WHERE=where)
    result = _run(["bash", "-c", "set -eu\n" + script], cwd=work, env=env)
    if result.returncode != 0:
        problems.append(f"{where}: the shell stopped ({result.returncode}): {result.stderr[-600:]}")
    return problems


CHECKER = """\
import json, os, sys
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent_portal.settings")
if os.environ.get("DATABASE_URL"):
    import dj_database_url
    dj_database_url.parse(os.environ["DATABASE_URL"])  # as the settings read it
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.abspath("checked.sqlite3")
import django
django.setup()
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError
problems = []
for where, name, args in json.loads(sys.argv[2]):
    app = get_commands().get(name)
    if app is None:
        problems.append(f"{where}: no command « {name} »")
        continue
    try:
        load_command_class(app, name).create_parser("manage.py", name).parse_args(args)
    except CommandError as exc:
        problems.append(f"{where}: manage.py {name} {' '.join(args)}: {exc}")
print(json.dumps(problems))
"""


VOLATILE = {"PWD", "OLDPWD", "SHLVL", "_"}  # bash's own, different at every command


def _env(entry, path):
    env = {k: v for k, v in entry["env"].items() if k not in VOLATILE}
    env["PATH"] = path
    return env


def _options(argv):
    return [word.split("=", 1)[0] for word in argv if word.startswith("-") and word != "-"]


def verify(entries, scratch):
    """Check what the recorders saw, with the environment each command was given."""
    problems = []
    path = os.pathsep.join(
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if Path(p) != PYTHON.parent and not p.startswith(str(scratch))
    )
    manage = defaultdict(list)
    for entry in entries:
        where, argv, program = entry["where"], entry["argv"], entry["program"]
        env = _env(entry, path)
        if program == "make":
            result = _run(["make", "-n", *argv], env=env)
            if result.returncode != 0:
                problems.append(f"{where}: make {' '.join(argv)}: {result.stderr[-400:]}")
        elif program == "python" and argv[:1] == ["manage.py"] and len(argv) > 1:
            key = (json.dumps(env, sort_keys=True), entry["cwd"])
            manage[key].append((where, argv[1], argv[2:]))
        elif program == "python":
            script = ROOT / argv[0]
            result = _run([str(PYTHON), str(script), "--help"], env=env)
            if result.returncode != 0:
                problems.append(f"{where}: {argv[0]} --help: {result.stderr[-400:]}")
            missing = [o for o in _options(argv[1:]) if o not in result.stdout]
            if missing:
                problems.append(f"{where}: {argv[0]} has no option {', '.join(missing)}")
        elif program == "gunicorn":
            if env.get("DATABASE_URL"):
                import dj_database_url

                dj_database_url.parse(env["DATABASE_URL"])
                env["DATABASE_URL"] = f"sqlite:///{scratch / 'gunicorn.sqlite3'}"
            env["PYTHONPATH"] = str(ROOT)
            result = _run(
                [str(PYTHON.parent / "gunicorn"), "--check-config", *argv],
                cwd=entry["cwd"],
                env=env,
            )
            if result.returncode != 0:
                problems.append(f"{where}: gunicorn: {(result.stdout + result.stderr)[-800:]}")
        else:
            result = _run([str(PYTHON.parent / program), "--help"], env=env)
            missing = [o for o in _options(argv) if o not in result.stdout]
            if result.returncode != 0 or missing:
                problems.append(f"{where}: .venv/bin/{program} {' '.join(argv)}: {missing}")
    for (env_json, cwd), commands in manage.items():
        result = _run(
            [str(PYTHON), "-c", CHECKER, str(ROOT), json.dumps(commands)],
            cwd=cwd,
            env=json.loads(env_json),
        )
        if result.returncode != 0:
            first = commands[0]
            problems.append(
                f"{first[0]}: manage.py {first[1]} does not start: {result.stderr[-800:]}"
            )
        else:
            problems += json.loads(result.stdout.splitlines()[-1])
    return problems


def follow_pages(texts, scratch):
    """Follow every page of ``texts`` ({name: markdown}); (what was recorded, problems)."""
    log = scratch / "record.log"
    log.touch()
    problems = []
    for number, (name, text) in enumerate(texts.items()):
        page_blocks = blocks(name, text)
        for block in page_blocks:
            if block.info == "python":
                try:
                    compile(block.body, block.where, "exec")
                except SyntaxError as exc:
                    problems.append(f"{block.where}: {exc}")
            if block.info in SHELLS and block.exempt == "":
                problems.append(f"{block.where}: « non vérifié » must say why")
        checked = [b for b in page_blocks if b.info in SHELLS and b.exempt is None]
        if checked:
            work = scratch / f"page{number}" / "blocks"
            work.mkdir(parents=True)
            script = "\n".join(b.body for b in checked)
            problems += follow(script, work, f"{name} (```sh)", log=log)
        for command in inline_commands(text):
            # Alone, in a clean shell; in one folder for all (nothing inline writes files).
            work = scratch / "inline" / "commands"
            work.mkdir(parents=True, exist_ok=True)
            problems += follow(command, work, f"{name}: `{command}`", log=log)
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    return entries, problems + verify(entries, scratch)


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    texts = {str(page.relative_to(ROOT)): page.read_text() for page in pages()}
    return follow_pages(texts, tmp_path_factory.mktemp("pages"))


def test_every_page_is_followed():
    names = [str(page.relative_to(ROOT)) for page in pages()]
    assert {"README.md", "bench/README.md", "docs/exploitation.md"} <= set(names)
    assert all(page.exists() for page in pages())


def test_the_pages_show_runnable_commands(followed):
    entries, _problems = followed
    shown = {" ".join([e["program"], *e["argv"]]) for e in entries}
    for expected in ["make run", "make test", "make example", "make bench"]:
        assert expected in shown
    names = {e["argv"][1] for e in entries if e["argv"][:1] == ["manage.py"]}
    assert {"totp_code", "import_pupils", "purge_departed", "db_worker", "migrate"} <= names
    assert any(e["program"] == "gunicorn" for e in entries)


def test_every_command_shown_runs_as_shown(followed):
    _entries, problems = followed
    assert problems == []


def test_the_check_catches_what_would_not_run(tmp_path):
    """An unknown option, a missing DEBUG=1, an unknown target, a program the test cannot
    follow, an exemption without a reason: each one is reported."""
    page = "\n".join(
        [
            "`DEBUG=1 .venv/bin/python manage.py purge_departed --no-such-option`",
            "`.venv/bin/python manage.py purge_departed --dry-run`",
            "`make no-such-target`",
            "```sh",
            "curl http://127.0.0.1:8000/",
            "```",
            "<!-- non vérifié : -->",
            "```sh",
            "make run",
            "```",
        ]
    )
    _entries, problems = follow_pages({"page.md": page}, tmp_path)
    text = "\n".join(problems)
    assert "--no-such-option" in text
    assert "SECRET_KEY must be set" in text
    assert "make no-such-target" in text
    assert "« curl » cannot be followed here" in text
    assert "must say why" in text
    assert len(problems) == 5, text
