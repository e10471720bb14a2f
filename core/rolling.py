"""Migrations safe for a rolling deploy: while the hosts are updated one after the other, the
previous release's code runs on the new schema. A migration added since the last release
(those not in ``released-migrations.txt``) may therefore only *expand* the schema:

- refused: RemoveField, DeleteModel, RenameField, RenameModel, AlterModelTable (the old code
  still reads the column or the table by its old name); AddField or AlterField to a column that
  is NOT NULL without a database default (the old code's INSERT does not fill it); RunSQL
  (unknown: read it and say so);
- allowed: everything else (a new model, a nullable column, one with ``db_default``, an index…).

The contract step (dropping what the code no longer uses) comes one release later, in a
migration whose module says why it is safe: ``ROLLING_DEPLOY_SAFE = "…"`` (e.g. « the release
before this one no longer reads the column »). docs/exploitation.md, « Déployer sans
interruption ». Recording the release: ``manage.py rolling_deploy --record`` (at the release tag).
"""

import sys
from pathlib import Path

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


def problems(migration, module=None) -> list:
    """Why ``migration`` would break the previous release's code (empty: it would not)."""
    if module is not None and getattr(module, "ROLLING_DEPLOY_SAFE", ""):
        return []
    found = []
    for operation in migration.operations:
        kind = type(operation).__name__
        if kind in REFUSED:
            found.append(f"{kind} : {REFUSED[kind]}")
        elif kind in ("AddField", "AlterField"):
            field = operation.field
            has_default = field.has_default() or field.db_default is not NOT_PROVIDED
            if not field.null and not has_default and not field.many_to_many:
                found.append(
                    f"{kind} {operation.model_name}.{operation.name} : NOT NULL sans valeur par "
                    "défaut en base (db_default) : l'INSERT du code précédent échouerait"
                )
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
        why = problems(migration, sys.modules.get(migration.__module__))
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
