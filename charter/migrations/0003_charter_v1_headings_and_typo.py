"""Version 1 of the charter, corrected in place (no new version to accept: the words are the
same): its two parts as headings rather than capitals in bold, and « Ci-après » for the
misprinted « C-après ». 0002 now creates it so; this fixes a database made before."""

from django.db import migrations

FIXES = [
    (
        "## CHARTE D'UTILISATION DE L'ESPACE NUMERIQUE DE TRAVAIL",
        "### Charte d'utilisation de l'espace numérique de travail",
    ),
    (
        "**IL EST TOUT D'ABORD RAPPELÉ LA NECESSITÉ DE RESPECTER LA LEGISLATION**",
        "### Il est tout d'abord rappelé la nécessité de respecter la législation",
    ),
    ("C-après dénommé", "Ci-après dénommé"),
]


def correct_v1(apps, schema_editor):
    Charter = apps.get_model("charter", "Charter")
    for charter in Charter.objects.filter(version=1):
        body = charter.body
        for old, new in FIXES:
            body = body.replace(old, new)
        if body != charter.body:
            charter.body = body
            charter.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("charter", "0002_charter_v1")]

    operations = [migrations.RunPython(correct_v1, migrations.RunPython.noop)]
