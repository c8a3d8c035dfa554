"""Secrets: a digest for random secrets kept only as a hash (API tokens, guardian links,
recovery codes), and encryption of the few the server must read back (TOTP secrets).

Fernet (AES-128-CBC + HMAC-SHA256) with keys derived by HKDF from `SECRET_KEY`, so a database dump
alone does not reveal them. `SECRET_KEY_FALLBACKS` keep older values readable after a key
rotation; `needs_rotation()` tells a caller to write the value again under the current key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def digest(secret: str) -> str:
    """SHA-256 of a random secret with enough entropy that no slow hash is needed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _fernet(secret_key: str | bytes, purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"maakstad.core.crypto",
        info=purpose.encode(),
    ).derive(secret_key.encode() if isinstance(secret_key, str) else secret_key)
    return Fernet(base64.urlsafe_b64encode(key))


def _keys(purpose: str) -> list[Fernet]:
    return [_fernet(key, purpose) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def encrypt(plaintext: str, *, purpose: str) -> str:
    return _keys(purpose)[0].encrypt(plaintext.encode()).decode()


def decrypt(token: str, *, purpose: str) -> str:
    """The plaintext; raises `InvalidToken` when no current or fallback key opens it."""
    return MultiFernet(_keys(purpose)).decrypt(token.encode()).decode()


def needs_rotation(token: str, *, purpose: str) -> bool:
    """Whether `token` was written under an older key (still readable through a fallback)."""
    try:
        _keys(purpose)[0].decrypt(token.encode())
    except InvalidToken:
        return True
    return False
