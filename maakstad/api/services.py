"""Writes for API tokens: create (the secret is returned once), revoke, mark as used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.api.models import (
    TOKEN_PREFIX,
    VISIBLE_CHARS,
    ApiToken,
    Scope,
    new_secret,
)
from maakstad.core import audit
from maakstad.core.crypto import digest
from maakstad.organisations.models import Organisation

# `last_used_at` is written at most this often per token, not on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


@transaction.atomic
def token_create(
    *, organisation: Organisation, name: str, scopes: Iterable[str], actor: Any
) -> tuple[ApiToken, str]:
    """A new token for `organisation`. Returns the token and its secret; only the hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Geef de sleutel een naam.")})
    wanted = list(dict.fromkeys(scopes))
    unknown = set(wanted) - set(Scope.values)
    if unknown:
        raise ValidationError({"scopes": _("Onbekende rechten: %s") % ", ".join(sorted(unknown))})
    if not wanted:
        raise ValidationError({"scopes": _("Kies ten minste één recht.")})
    secret = new_secret()
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        scopes=[s for s in Scope.values if s in wanted],
        prefix=secret[: len(TOKEN_PREFIX) + VISIBLE_CHARS],
        token_hash=digest(secret),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        action="api_token.created",
        obj=token,
        actor=actor,
        after={"name": token.name, "scopes": token.scopes, "prefix": token.prefix},
        region_id=organisation.region_id,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError(_("Deze sleutel is al ingetrokken."))
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.revoked_at = now
    audit.record(
        action="api_token.revoked",
        obj=token,
        actor=actor,
        before={"revoked_at": None},
        after={"revoked_at": now},
        region_id=token.organisation.region_id,
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Remember when the token was last used (bookkeeping, not a state change: no audit)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
