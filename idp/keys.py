"""The OpenID Connect signing key: parsed once per process (``load_jwk_from_pem``), and
`python -m idp.keys PATH`, which writes a development RSA signing key to PATH once (make run)."""

import functools
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def new_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@functools.lru_cache(maxsize=8)
def _parsed(pem: str):
    from allauth.core.internal import jwkkit

    return _ALLAUTH_LOAD(pem) if _ALLAUTH_LOAD else jwkkit.load_jwk_from_pem(pem)


_ALLAUTH_LOAD = None


def load_jwk_from_pem(pem: str):
    """allauth's ``jwkkit.load_jwk_from_pem`` (the public JWK with its `kid`, and the private
    key), kept per PEM text: allauth parses and fully validates the RSA key at every ID token,
    JWT and JWKS answer (≈ 40 ms, the half of a token request). Keyed by the PEM itself, so a
    rotated key (new IDP_OIDC_PRIVATE_KEY or IDP_OIDC_PRIVATE_KEYS) is parsed on its first use
    and the old one is simply no longer asked for; a few keys at most are held."""
    jwk, private_key = _parsed(pem)
    return dict(jwk), private_key  # a copy: a caller may add members to its JWK


def parse_once():
    """Put ``load_jwk_from_pem`` in place of allauth's, where its provider looks it up
    (idp/apps.py, at start-up)."""
    global _ALLAUTH_LOAD
    from allauth.core.internal import jwkkit

    if jwkkit.load_jwk_from_pem is not load_jwk_from_pem:
        _ALLAUTH_LOAD = jwkkit.load_jwk_from_pem
        jwkkit.load_jwk_from_pem = load_jwk_from_pem


def main(path):
    target = Path(path)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600)
    target.write_text(new_private_key_pem())
    print(f"Clé de signature OpenID Connect de développement écrite dans {target}")


if __name__ == "__main__":
    main(sys.argv[1])
