"""Takes over ``accounts.LetterBatch`` (renamed to staff_letterbatch by accounts 0005): state
only, the rows stay where they are, and so does its content type's permissions."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='staff', model='letterbatch').exists():
        ContentType.objects.filter(app_label='accounts', model='letterbatch').update(
            app_label='staff'
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='accounts', model='letterbatch').exists():
        ContentType.objects.filter(app_label='staff', model='letterbatch').update(
            app_label='accounts'
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0007_audit_and_letter_batches_move_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('schools', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LetterBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='demandé le')),
                        ('user_ids', models.JSONField(blank=True, default=list, verbose_name='comptes')),
                        ('import_data', models.BinaryField(blank=True, null=True, verbose_name='fichier importé')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='nombre de courriers')),
                        ('status', models.CharField(choices=[('pending', 'En attente'), ('running', 'En cours'), ('done', 'Prêt'), ('failed', 'Échec'), ('downloaded', 'Téléchargé')], default='pending', max_length=12, verbose_name='état')),
                        ('error', models.TextField(blank=True, verbose_name='erreur')),
                        ('public_key', models.CharField(max_length=64)),
                        ('sealed_pdf', models.BinaryField(blank=True, null=True)),
                        ('portal_url', models.CharField(max_length=300)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='demandé par')),
                        ('establishment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='schools.establishment', verbose_name='établissement')),
                    ],
                    options={
                        'verbose_name': 'lot de courriers',
                        'verbose_name_plural': 'lots de courriers',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
