"""Encrypt the staff's TOTP secrets and recovery-code seeds stored in clear before
accounts/mfa.py existed (the adapter still reads clear ones, so this can run at any time)."""

from django.db import migrations

SECRET_FIELDS = ("secret", "seed")


def encrypt_existing(apps, schema_editor):
    from accounts.mfa import PREFIX, encrypt

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data)
        changed = False
        for field in SECRET_FIELDS:
            if isinstance(data.get(field), str) and not data[field].startswith(PREFIX):
                data[field] = encrypt(data[field])
                changed = True
        codes = data.get("migrated_codes")
        if isinstance(codes, list):
            data["migrated_codes"] = [c if c.startswith(PREFIX) else encrypt(c) for c in codes]
            changed = changed or codes != data["migrated_codes"]
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_used_letter_password"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
