"""Migrations safe for a rolling deploy: while the hosts are updated one after the other, the
previous release's code runs on the new schema. A migration added since the last release
(those not in ``released-migrations.txt``) may therefore only *expand* the schema:

- refused: RemoveField, DeleteModel, RenameField, RenameModel, AlterModelTable (the old code
  still reads the column or the table by its old name); AddField or AlterField to a column that
  is NOT NULL without a database default (the old code's INSERT does not fill it); RunSQL
  (unknown: read it and say so);
- allowed: everything else (a new model, a nullable column, one with ``db_default``, an index…),
  and an AlterField that changes only what the database never sees (label, help text, choices,
  validators…: ``Field.non_db_attrs``), which runs no SQL whatever the column.

The contract step (dropping what the code no longer uses) comes one release later, in a
migration whose module says why it is safe: ``ROLLING_DEPLOY_SAFE = "…"`` (e.g. « the release
before this one no longer reads the column »). docs/exploitation.md, « Déployer sans
interruption ». Recording the release: ``manage.py rolling_deploy --record`` (at the release tag).
"""

import sys
from pathlib import Path

from django.db.models import Field
from django.db.models.fields import NOT_PROVIDED

BASELINE = Path(__file__).resolve().parent.parent / "released-migrations.txt"


REFUSED = {
    "RemoveField": "supprime une colonne que le code précédent lit encore",
    "DeleteModel": "supprime une table que le code précédent lit encore",
    "RenameField": "renomme une colonne : le code précédent la cherche sous l'ancien nom",
    "RenameModel": "renomme une table : le code précédent la cherche sous l'ancien nom",
    "AlterModelTable": "renomme une table : le code précédent la cherche sous l'ancien nom",
    "RunSQL": "du SQL libre : dites pourquoi il est sans danger (ROLLING_DEPLOY_SAFE)",
}


# What an AlterField may change without touching the schema (a column's name is not one of them).
SQL_FREE = set(Field.non_db_attrs) - {"db_column"}


def _schema_of(field):
    path, args, kwargs = field.deconstruct()[1:]
    return path, args, {key: value for key, value in kwargs.items() if key not in SQL_FREE}


def sql_free(operation, app_label, state) -> bool:
    """True if ``operation``, an AlterField, leaves the column as ``state`` (the project before
    it) has it: only its label, help text, choices… change."""
    if state is None:
        return False
    model = state.models.get((app_label, operation.model_name_lower))
    before = model.fields.get(operation.name) if model is not None else None
    return before is not None and _schema_of(before) == _schema_of(operation.field)


def problems(migration, module=None, state=None) -> list:
    """Why ``migration`` would break the previous release's code (empty: it would not).
    ``state``: the project before it (loader.project_state), to see an AlterField's before."""
    if module is not None and getattr(module, "ROLLING_DEPLOY_SAFE", ""):
        return []
    found = []
    for operation in migration.operations:
        kind = type(operation).__name__
        if kind == "AlterField" and sql_free(operation, migration.app_label, state):
            pass
        elif kind in REFUSED:
            found.append(f"{kind} : {REFUSED[kind]}")
        elif kind in ("AddField", "AlterField"):
            field = operation.field
            has_default = field.has_default() or field.db_default is not NOT_PROVIDED
            if not field.null and not has_default and not field.many_to_many:
                found.append(
                    f"{kind} {operation.model_name}.{operation.name} : NOT NULL sans valeur par "
                    "défaut en base (db_default) : l'INSERT du code précédent échouerait"
                )
        if state is not None:
            operation.state_forwards(migration.app_label, state)
    return found


def ours(loader) -> dict:
    """{(app, name): migration} of the apps of this repository (not Django's, not allauth's)."""
    root = Path(__file__).resolve().parent.parent
    result = {}
    for (app, name), migration in loader.disk_migrations.items():
        module = sys.modules.get(migration.__module__)
        path = Path(getattr(module, "__file__", "") or "").resolve()
        if root in path.parents and ".venv" not in path.parts:
            result[(app, name)] = migration
    return result


def released() -> set:
    if not BASELINE.exists():
        return set()
    lines = BASELINE.read_text().splitlines()
    return {tuple(line.split("/", 1)) for line in lines if line and not line.startswith("#")}


def unreleased_problems(loader) -> dict:
    """{"app/name": [problems]} for each migration added since the recorded release."""
    done = released()
    found = {}
    for key, migration in sorted(ours(loader).items()):
        if key in done:
            continue
        state = loader.project_state(key, at_end=False)
        why = problems(migration, sys.modules.get(migration.__module__), state)
        if why:
            found["/".join(key)] = why
    return found


def record(loader) -> None:
    names = sorted("/".join(key) for key in ours(loader))
    BASELINE.write_text(
        "# The migrations of the last release (manage.py rolling_deploy --record at its tag):\n"
        "# those added after it must be safe for a rolling deploy (core/rolling.py).\n"
        + "\n".join(names)
        + "\n"
    )
