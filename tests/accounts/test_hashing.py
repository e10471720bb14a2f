import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, identify_hasher

from accounts.hashers import OwaspArgon2PasswordHasher
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, sign_in

pytestmark = pytest.mark.argon2


def test_the_first_hasher_is_argon2id_at_owasp_parameters():
    hasher = get_hasher("default")
    assert isinstance(hasher, OwaspArgon2PasswordHasher)
    encoded = hasher.encode("x", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert settings.PASSWORD_HASHERS[0] == "accounts.hashers.OwaspArgon2PasswordHasher"


def test_an_older_hash_is_upgraded_at_sign_in(client, db):
    user = UserFactory()
    user.password = Argon2PasswordHasher().encode(GOOD_PASSWORD, "saltsaltsalt")
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    assert sign_in(client, user.username, GOOD_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
    assert isinstance(identify_hasher(user.password), OwaspArgon2PasswordHasher)
    upgraded = user.password
    client.logout()
    assert sign_in(client, user.username, GOOD_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password == upgraded  # no re-hash at every sign-in


def test_a_pbkdf2_hash_is_upgraded_at_sign_in(client, db):
    user = UserFactory()
    user.password = get_hasher("pbkdf2_sha256").encode(GOOD_PASSWORD, "saltsaltsalt")
    user.save(update_fields=["password"])
    assert sign_in(client, user.username, GOOD_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
