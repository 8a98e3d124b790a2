"""One-time passwords at rest: encrypted until the admin downloads them once, then wiped.

Why encrypt rather than keep them in the row until shown: the database is backed up, copied to
replicas and restored on other machines, and an initial password works until its owner first signs
in. Encrypted with a key derived from SECRET_KEY (kept in the data directory or the environment,
not in the database), a copy of the database alone gives nobody a working account. Fernet is
AES-128-CBC with an HMAC-SHA256, from the ``cryptography`` package.
"""

from __future__ import annotations

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"zhengtong.directory.imports.passwords"


class SealedPasswordsUnreadable(Exception):
    """The passwords were sealed with a secret key that is no longer configured."""


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _box() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(passwords: dict[str, str]) -> str:
    """Encrypt {username: password}."""
    return _box().encrypt(json.dumps(passwords).encode()).decode()


def unseal(token: str) -> dict[str, str]:
    try:
        return json.loads(_box().decrypt(token.encode()))
    except InvalidToken:
        raise SealedPasswordsUnreadable from None
