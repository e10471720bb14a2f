"""The services' client secrets: a keyed hash, checked in microseconds.

A client secret is 256 random bits made here (idp/adapter.py): nobody can guess it, so the slow
hash that protects a person's password (argon2id, ≈ 20 ms of CPU by design) buys nothing for
it and cost a third of each token request. It is kept as HMAC-SHA256 under a key derived from
SECRET_KEY (a copy of the database alone checks nothing), compared in constant time; the keys
of SECRET_KEY_FALLBACKS are tried too, so that rotating SECRET_KEY leaves the services in.

``ClientSecretHasher`` is listed in PASSWORD_HASHERS (never first: people's passwords stay on
argon2id) so that allauth's ``Client.check_secret`` (Django's ``check_password``) reads these
hashes. A secret stored before, with argon2 or another of Django's hashers, still verifies; the
token endpoint replaces it by the keyed hash the first time it is used right (idp/views.py,
idp/actions.py ``do_upgrade_client_secret``).
"""

import hmac

from allauth.core.internal.httpkit import extract_basic_auth
from django.conf import settings
from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import salted_hmac

ALGORITHM = "ent_client_hmac_sha256"
_KEY_SALT = "idp.client_secrets"


def _digest(secret: str, key: str) -> str:
    return salted_hmac(_KEY_SALT, secret, secret=key, algorithm="sha256").hexdigest()


def hash_client_secret(secret: str) -> str:
    """What is stored in allauth's ``Client.secret``."""
    return f"{ALGORITHM}${_digest(secret, settings.SECRET_KEY)}"


def is_keyed(encoded: str) -> bool:
    return (encoded or "").startswith(ALGORITHM + "$")


def presented(request):
    """(client_id, secret) as the token endpoint reads them: HTTP Basic, else the form."""
    client_id, secret = extract_basic_auth(
        {"Authorization": request.META.get("HTTP_AUTHORIZATION", "")}
    )
    if not client_id and not secret:
        client_id, secret = request.POST.get("client_id"), request.POST.get("client_secret")
    return client_id, secret


class ClientSecretHasher(BasePasswordHasher):
    algorithm = ALGORITHM

    def salt(self):
        return ""  # the key is the secret of the server; the secret itself is random

    def encode(self, password, salt):
        return hash_client_secret(password)

    def verify(self, password, encoded):
        algorithm, _, stored = (encoded or "").partition("$")
        if algorithm != ALGORITHM or not isinstance(password, str):
            return False
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        # Every key tried, each in constant time: the answer's time does not say which matched.
        matches = [hmac.compare_digest(stored, _digest(password, key)) for key in keys]
        return any(matches)

    def decode(self, encoded):
        algorithm, _, stored = encoded.partition("$")
        return {"algorithm": algorithm, "hash": stored, "salt": ""}

    def safe_summary(self, encoded):
        return {"algorithm": self.algorithm, "hash": mask_hash(self.decode(encoded)["hash"])}

    def must_update(self, encoded):
        return False

    def harden_runtime(self, password, encoded):
        pass
