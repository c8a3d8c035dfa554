"""Login throttling: a fixed window of failed attempts per e-mail address and per IP address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(email: str, ip: str, scope: str = "login") -> list[str]:
    # Hash the address so no e-mail ends up in a cache key or log line. `scope` keeps separate
    # counters for the password ("login") and the second step ("2fa"): a correct password must
    # not reset the count of wrong codes.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"{scope}-fail:email:{digest}", f"{scope}-fail:ip:{ip}"]


def is_locked(email: str, ip: str, scope: str = "login") -> bool:
    limit = settings.MAAKSTAD_LOGIN_ATTEMPTS
    email_key, ip_key = _keys(email, ip, scope)
    return (cache.get(email_key) or 0) >= limit or (cache.get(ip_key) or 0) >= limit * 4


def register_failure(email: str, ip: str, scope: str = "login") -> None:
    window = settings.MAAKSTAD_LOGIN_WINDOW_SECONDS
    for key in _keys(email, ip, scope):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def reset(email: str, ip: str, scope: str = "login") -> None:
    cache.delete(_keys(email, ip, scope)[0])
