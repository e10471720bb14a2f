"""Staff and teachers' second factor, through django-allauth's MFA adapter.

Only staff and teachers have one. The admin asks for it (accounts/middleware.py), « Mes
classes » too when the teacher's rule says so (``teacher_needs_second_factor``); pupils and
parents have no page to set one up (a lost phone would lock a child out of an account only a
letter can restore), so a pupil's sign-in never asks the database whether there is one: one
query less at every sign-in of the school (bench/README.md).

TOTP secrets and recovery-code seeds are encrypted at rest (``encrypt``/``decrypt``), with keys
from the environment.

``MFA_ENCRYPTION_KEYS``: comma-separated; the first encrypts, all decrypt (to rotate, put the
new key first). A database dump alone no longer gives anyone the codes of the admin."""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


def _fernet(key: str) -> Fernet:
    # Any string makes a key: Fernet wants 32 bytes, url-safe base64.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def cipher() -> MultiFernet:
    return MultiFernet([_fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def encrypt(text: str) -> str:
    return PREFIX + cipher().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption; the 0006 migration encrypts those
    return cipher().decrypt(stored[len(PREFIX) :].encode()).decode()


def may_have_second_factor(user) -> bool:
    """Staff (and superusers, always staff in practice) and teachers set up and use a second
    factor; pupils and parents never (see above)."""
    from schools.models import Role

    return user.is_authenticated and (
        user.is_staff or user.is_superuser or user.role == Role.TEACHER
    )


def teacher_needs_second_factor(user) -> bool:
    """A teacher must have a TOTP key before « Mes classes » opens when, in production, they
    teach at least one real class: they can then reset and re-issue the letters of real
    pupils, a power like the secretariat's (docs/securite.md, « La double authentification
    des enseignants »). Not with practice classes only (invented pupils), nor in development
    or classroom mode (a laptop serving one lesson of training data)."""
    from schools.rules import classes_taught_by

    if not settings.PRODUCTION:  # DJANGO_ENV=classroom is not production
        return False
    return classes_taught_by(user).filter(practice=False).exists()


class MFAAdapter(DefaultMFAAdapter):
    def is_mfa_enabled(self, user, types=None) -> bool:
        # Asked by allauth's sign-in stage for every account; a pupil never has one to use.
        if not may_have_second_factor(user):
            return False
        return super().is_mfa_enabled(user, types)

    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)
