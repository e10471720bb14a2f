"""Migrations safe for a rolling deploy (core/rolling.py): every migration added since the
recorded release (released-migrations.txt) only expands the schema, so that the previous
release's code, still running on the hosts not yet updated, keeps working."""

from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState, ProjectState

from core import rolling


def a_migration(*operations):
    class Migration(migrations.Migration):
        pass

    migration = Migration("0099_exemple", "accounts")
    migration.operations = list(operations)
    return migration


def test_every_migration_added_since_the_last_release_is_safe_for_a_rolling_deploy():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert rolling.unreleased_problems(loader) == {}


def test_the_released_list_names_migrations_that_exist():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert rolling.released(), "released-migrations.txt is missing or empty"
    assert rolling.released() <= set(rolling.ours(loader))


def test_it_refuses_what_the_previous_code_would_trip_on():
    refused = [
        migrations.RemoveField("user", "birth_date"),
        migrations.DeleteModel("Ancien"),
        migrations.RenameField("user", "birth_date", "born_on"),
        migrations.RenameModel("Ancien", "Nouveau"),
        migrations.AlterModelTable("user", "comptes"),
        migrations.RunSQL("ALTER TABLE accounts_user DROP COLUMN birth_date"),
        migrations.AddField("user", "nickname", models.CharField(max_length=20)),
        migrations.AlterField("user", "nickname", models.CharField(max_length=20)),
    ]
    for operation in refused:
        assert rolling.problems(a_migration(operation)), operation


def test_it_allows_what_only_expands_the_schema():
    allowed = [
        migrations.AddField("user", "nickname", models.CharField(max_length=20, null=True)),
        migrations.AddField("user", "nickname", models.CharField(max_length=20, default="")),
        migrations.AddField(
            "user", "nickname", models.CharField(max_length=20, db_default="élève")
        ),
        migrations.CreateModel("Nouveau", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddIndex(
            "user", models.Index(fields=["last_name"], name="accounts_user_last_name_idx")
        ),
    ]
    for operation in allowed:
        assert rolling.problems(a_migration(operation)) == [], operation


def test_a_contract_step_says_why_it_is_safe():
    class Module:
        ROLLING_DEPLOY_SAFE = "la version précédente ne lit plus cette colonne"

    assert rolling.problems(a_migration(migrations.RemoveField("user", "x")), Module) == []


def a_state_with_a_not_null_column():
    state = ProjectState()
    fields = [
        ("id", models.BigAutoField(primary_key=True)),
        ("step", models.CharField("étape", max_length=20)),
    ]
    state.add_model(ModelState("accounts", "ancien", fields))
    return state


def test_it_allows_a_new_label_help_text_or_choices_on_a_not_null_column():
    relabelled = models.CharField(
        "étape\u00a0: où en est le compte",
        max_length=20,
        help_text="Par exemple «\u00a0Départ\u00a0».",
        choices=[("active", "Compte activé"), ("departed", "Départ")],
    )
    operation = migrations.AlterField("ancien", "step", relabelled)
    migration = a_migration(operation)
    assert rolling.problems(migration, state=a_state_with_a_not_null_column()) == []
    # Without the state before it, the same migration cannot be told apart from a schema change.
    assert rolling.problems(migration)


def test_it_still_refuses_an_alter_field_that_changes_the_column():
    for field in [
        models.CharField("étape", max_length=40),
        models.CharField("étape", max_length=20, db_column="etape"),
        models.IntegerField("étape"),
    ]:
        operation = migrations.AlterField("ancien", "step", field)
        problems = rolling.problems(a_migration(operation), state=a_state_with_a_not_null_column())
        assert problems, field.deconstruct()
