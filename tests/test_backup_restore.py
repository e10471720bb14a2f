"""The backup and restore drill (docs/exploitation.md, « Sauvegardes »): pg_dump of the
database, pg_restore into a fresh one, and there a pupil signs in with her password and the
audit trail is whole. PostgreSQL only (CI's PostgreSQL + Redis pass)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from tests.helpers import GOOD_PASSWORD, GUARD_SECONDS, database_url, sign_in

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL (DATABASE_URL=postgres://…): CI's PostgreSQL + Redis pass",
)

# In the restored database, as a person would: the sign-in form, then « Se connecter ».
SIGN_IN_THERE = """
import json, sys
import django
django.setup()
from django.test import Client
from audit.models import AuditEvent
client = Client()
response = client.post("/educonnect/login/", {"login": sys.argv[1], "password": sys.argv[2]})
print(json.dumps({
    "location": response.headers.get("Location"),
    "status": response.status_code,
    "audit": sorted(AuditEvent.objects.values_list("pk", "action")),
}))
"""


def run(command, env=None):
    result = subprocess.run(  # noqa: S603 - Debian's pg_dump / pg_restore, our interpreter
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_a_dump_restored_into_a_fresh_database_lets_a_pupil_sign_in_with_the_audit_whole(
    transactional_db, client, pupil, tmp_path
):
    import json

    import psycopg

    assert sign_in(client, pupil.username, GOOD_PASSWORD)["Location"] == reverse("portal:services")
    client.post(reverse("account_logout"))
    assert sign_in(client, pupil.username, "Faux#Essai1").status_code == 200
    audit = sorted(AuditEvent.objects.values_list("pk", "action"))
    assert len(audit) >= 2

    source = database_url()
    dump = tmp_path / "ent.dump"
    run(["pg_dump", "--format=custom", f"--file={dump}", source])
    server, _ = source.rsplit("/", 1)
    restored = f"ent_portal_restauree_{secrets.token_hex(4)}"
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        run(["pg_restore", "--no-owner", f"--dbname={server}/{restored}", str(dump)])
        env = {
            **os.environ,
            "DATABASE_URL": f"{server}/{restored}",
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "ALLOWED_HOSTS": "testserver",  # the test client's, outside pytest
        }
        there = json.loads(
            run([sys.executable, "-c", SIGN_IN_THERE, pupil.username, GOOD_PASSWORD], env)
        )
    finally:
        connection.close()
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert there["location"] == reverse("portal:services"), there["status"]
    # Every audit row of before is there (and the new sign-in's after them).
    assert [tuple(row) for row in there["audit"][: len(audit)]] == [
        (pk, action) for pk, action in audit
    ]
