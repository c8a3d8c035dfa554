"""API tokens: an organisation's key to the read-only REST API (docs/api.md).

The secret is shown once; only its SHA-256 hash and a short visible prefix are stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import Organisation

TOKEN_PREFIX = "mks_"
VISIBLE_CHARS = 8  # of the random part, after TOKEN_PREFIX


class Scope(models.TextChoices):
    BOOKINGS = "bookings", _("Boekingen")
    INTERNSHIPS = "internships", _("Stage-aanmeldingen")
    ATTENDANCE = "attendance", _("Aanwezigheid (sessies)")
    COFINANCING = "cofinancing", _("Cofinanciering")
    MONITORING = "monitoring", _("Monitoring (programmabureau)")


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("naam"), max_length=100)
    scopes = models.JSONField(_("rechten"), default=list)
    prefix = models.CharField(_("begin van de sleutel"), max_length=20)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def region_id(self) -> int:
        return self.organisation.region_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
