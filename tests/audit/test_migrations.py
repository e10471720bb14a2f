"""Moving AuditEvent to audit/ and LetterBatch to staff/ keeps the rows already written
(SQLite and PostgreSQL: the suite runs on both)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0006_encrypt_mfa_secrets")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_audit_trail_and_the_batches_keep_their_rows_when_they_change_rooms():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    OldEvent = old.get_model("accounts", "AuditEvent")
    OldBatch = old.get_model("accounts", "LetterBatch")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    OldGroup = old.get_model("auth", "Group")
    pupil = User.objects.create(username="t.counen1")
    OldEvent.objects.create(action="sign_in_failed", subject=pupil, subject_label="t.counen1")
    OldBatch.objects.create(created_by=pupil, total=3, public_key="00", portal_url="/")
    # A database made before the move: the content type (and a group's right) are accounts'.
    OldContentType.objects.filter(model="auditevent").delete()
    content_type = OldContentType.objects.create(app_label="accounts", model="auditevent")
    view = OldPermission.objects.create(
        content_type=content_type, codename="view_auditevent", name="Can view"
    )
    OldGroup.objects.create(name="Secrétariat").permissions.add(view)

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    from django.contrib.auth.models import Group

    from audit.models import AuditEvent
    from staff.models import LetterBatch

    event = AuditEvent.objects.get()
    assert (event.action, event.subject.username) == ("sign_in_failed", "t.counen1")
    batch = LetterBatch.objects.get()
    assert (batch.total, batch.done, batch.status) == (3, 0, "pending")
    right = Group.objects.get(name="Secrétariat").permissions.get()
    assert (right.content_type.app_label, right.codename) == ("audit", "view_auditevent")
