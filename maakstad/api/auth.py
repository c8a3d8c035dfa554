"""Bearer-token authentication, scopes and the per-token rate limit for the API."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from maakstad.api.models import ApiToken
from maakstad.api.services import token_touch
from maakstad.core.crypto import digest


def rate_limit() -> int:
    """Requests per minute per token (setting `MAAKSTAD_API_RATE_LIMIT`)."""
    return int(getattr(settings, "MAAKSTAD_API_RATE_LIMIT", 120))


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def check_rate(token: ApiToken) -> None:
    """A fixed one-minute window per token in the shared cache; raise RateLimited when full."""
    now = time.time()
    window = int(now // 60)
    key = f"api:rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=61)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=61)
        count = 1
    if count > rate_limit():
        raise RateLimited(retry_after=max(1, int((window + 1) * 60 - now) + 1))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; unknown or revoked tokens get 401."""

    openapi_description = "Een API-sleutel van uw organisatie: `Authorization: Bearer mks_...`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        token = token.strip()
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("organisation", "organisation__region")
            .filter(
                token_hash=digest(token),
                revoked_at__isnull=True,
                organisation__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        check_rate(found)
        token_touch(token=found)
        return found


def require_scope(request: Any, scope: str) -> ApiToken:
    token: ApiToken = request.auth
    if not token.has_scope(scope):
        raise HttpError(403, f"Deze sleutel heeft het recht '{scope}' niet.")
    return token
