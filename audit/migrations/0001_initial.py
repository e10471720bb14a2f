"""Takes over ``accounts.AuditEvent`` (renamed to audit_auditevent by accounts 0005): state only,
the rows stay where they are. Its content type follows, so that permissions given to groups
(« view_auditevent ») still hold."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='audit', model='auditevent').exists():
        ContentType.objects.filter(app_label='accounts', model='auditevent').update(
            app_label='audit'
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='accounts', model='auditevent').exists():
        ContentType.objects.filter(app_label='audit', model='auditevent').update(
            app_label='accounts'
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0007_audit_and_letter_batches_move_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='date')),
                        ('action', models.CharField(max_length=40, verbose_name='action')),
                        ('actor_label', models.CharField(blank=True, max_length=150, verbose_name='auteur (identifiant)')),
                        ('subject_label', models.CharField(blank=True, max_length=150, verbose_name='compte concerné (identifiant)')),
                        ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP')),
                        ('details', models.JSONField(blank=True, default=dict, verbose_name='détails')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                        ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_events', to=settings.AUTH_USER_MODEL, verbose_name='compte concerné')),
                    ],
                    options={
                        'verbose_name': "événement d'audit",
                        'verbose_name_plural': "journal d'audit",
                        'ordering': ['-at', '-id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
