"""Staff TOTP secrets and recovery-code seeds are encrypted at rest (never in a dump)."""

import importlib

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.db import connection

from accounts.mfa import PREFIX, decrypt


def raw_data(authenticator):
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return str(cursor.fetchone()[0])


def test_a_totp_secret_is_stored_encrypted_and_still_gives_the_right_codes(staff_user):
    authenticator = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]
    assert stored.startswith(PREFIX)
    secret = decrypt(stored)
    assert len(secret) >= 16 and secret not in raw_data(authenticator)
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert TOTP(authenticator).validate_code(code)


def test_recovery_code_seeds_are_encrypted_too(staff_user):
    authenticator = RecoveryCodes.activate(staff_user).instance
    assert authenticator.data["seed"].startswith(PREFIX)
    assert decrypt(authenticator.data["seed"]) not in raw_data(authenticator)


def test_the_migration_encrypts_secrets_written_in_clear(staff_user):
    secret = generate_totp_secret()
    authenticator = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.TOTP)
    authenticator.data = {"secret": secret}
    authenticator.save()
    migration = importlib.import_module("accounts.migrations.0006_encrypt_mfa_secrets")
    migration.encrypt_existing(apps, None)
    authenticator.refresh_from_db()
    assert authenticator.data["secret"].startswith(PREFIX)
    assert decrypt(authenticator.data["secret"]) == secret
    assert secret not in raw_data(authenticator)
