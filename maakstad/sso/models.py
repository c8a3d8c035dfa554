from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Affiliation(models.TextChoices):
    PUPIL = "pupil", _("Leerling")
    STAFF = "staff", _("Medewerker")


class SsoIdentity(models.Model):
    """A pseudonymous identifier from a school's identity provider, linked to one account.

    Holds no names or e-mail addresses: only the provider, the subject (Entree's pseudonymous
    `uid`, an OIDC `sub`), the school and whether the person is a pupil or staff.
    """

    provider = models.CharField(_("identiteitsverstrekker"), max_length=40)
    subject = models.CharField(_("pseudoniem"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="sso_identities"
    )
    affiliation = models.CharField(_("rol bij school"), max_length=10, choices=Affiliation.choices)
    created = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    last_login = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)

    class Meta:
        verbose_name = _("SSO-koppeling")
        verbose_name_plural = _("SSO-koppelingen")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        # Never the subject: it identifies a person at the identity provider.
        return f"{self.provider} #{self.pk}"

    @property
    def region_id(self) -> int:
        return self.organisation.region_id


class CouplingCode(models.Model):
    """A one-time code a school hands a pupil to couple their school account (Entree) to the
    pupil record the school made. Only a keyed hash of the code is stored."""

    pupil = models.ForeignKey(
        "organisations.Pupil", on_delete=models.CASCADE, related_name="sso_coupling_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("koppelcode")
        verbose_name_plural = _("koppelcodes")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
