"""Two-factor authentication with an authenticator app (TOTP): the pieces without writes.

Who may and who must use it, the codes themselves, the QR code for set-up and the pending log-in
between the password and the code. The writes are in `services.py`.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing

from maakstad.accounts.models import TotpDevice, User
from maakstad.core import crypto
from maakstad.core.qr import inline_svg

ISSUER = "Maakstad"
RECOVERY_CODE_COUNT = 10
# Codes of the previous and the next 30-second step are accepted too (clock drift).
VALID_WINDOW = 1
PENDING_KEY = "maakstad_2fa_pending"
PENDING_SALT = "maakstad.accounts.2fa-pending"
PENDING_MAX_AGE = 5 * 60
SETUP_KEY = "maakstad_2fa_setup_secret"
# Set by single sign-on: the school's identity provider authenticated the person (and is
# responsible for any second factor), so our TOTP requirement does not apply to that session.
SSO_SESSION_KEY = "sso_provider"
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


# --- Who -------------------------------------------------------------------------------------


def can_use(user: Any) -> bool:
    """Any logged-in user except a pupil may set up two-factor authentication."""
    from maakstad.organisations.models import Pupil, Role
    from maakstad.organisations.permissions import has_role

    if not getattr(user, "is_authenticated", False):
        return False
    return not (has_role(user, Role.PUPIL) or Pupil.objects.filter(user=user).exists())


def is_required(user: Any) -> bool:
    """Whether one of the user's roles is in MAAKSTAD_2FA_REQUIRED_ROLES."""
    required = set(settings.MAAKSTAD_2FA_REQUIRED_ROLES)
    if not required or not can_use(user):
        return False
    from maakstad.organisations.permissions import roles

    return bool(roles(user) & required)


def confirmed_device(user: Any) -> TotpDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()


# --- Codes -----------------------------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters, 160 bits


def grouped(secret: str) -> str:
    """The secret in groups of four for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // 30)


def matching_step(secret: str, code: str, *, after_step: int = 0, at: float | None = None) -> int:
    """The time step whose code is `code` (within the window and later than `after_step`), or 0."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return 0
    totp = pyotp.TOTP(secret)
    now = current_step(at)
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return 0


def provisioning_uri(secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(secret: str, user: User) -> str:
    """The set-up QR code as inline SVG: no request leaves the page and the secret no URL."""
    return inline_svg(provisioning_uri(secret, user), scale=5, title=ISSUER)


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))  # ~49 bits
    return f"{raw[:5]}-{raw[5:]}"


def normalise_recovery_code(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def hash_recovery_code(code: str) -> str:
    return crypto.digest(normalise_recovery_code(code))


def looks_like_totp(code: str) -> bool:
    code = "".join(code.split())
    return len(code) == 6 and code.isdigit()


# --- The pending log-in between password and code --------------------------------------------


def start_pending_login(session: SessionBase, user: User, backend: str) -> None:
    session[PENDING_KEY] = signing.dumps({"uid": user.pk, "backend": backend}, salt=PENDING_SALT)


def pending_login(session: SessionBase) -> tuple[User, str] | None:
    """The user who gave a correct password less than five minutes ago, with their backend."""
    token = session.get(PENDING_KEY)
    if not token:
        return None
    try:
        data = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=data["uid"], is_active=True).first()
    if user is None or data.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        return None
    return user, data["backend"]


def clear_pending_login(session: SessionBase) -> None:
    session.pop(PENDING_KEY, None)
