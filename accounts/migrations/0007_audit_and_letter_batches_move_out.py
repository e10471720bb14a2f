"""AuditEvent moves to the ``audit`` app and LetterBatch to the ``staff`` app.

The tables keep their rows: they are only renamed here, and the new apps' first migrations
take the models over in Django's state without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_encrypt_mfa_secrets'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='auditevent', table='audit_auditevent'),
                migrations.AlterModelTable(name='letterbatch', table='staff_letterbatch'),
            ],
            state_operations=[
                migrations.DeleteModel(name='AuditEvent'),
                migrations.DeleteModel(name='LetterBatch'),
            ],
        ),
    ]
