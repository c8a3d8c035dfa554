"""Identity providers, configured from the environment (`MAAKSTAD_SSO_PROVIDERS`, docs/sso.md).

The setting is a list of dicts (parsed from JSON). Nothing is cached here, so a test can change
the setting; an unknown or unconfigured slug is a 404 in the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

SAML = "saml"
OIDC = "oidc"

DEFAULT_LABELS = {
    "entree": gettext_noop("Inloggen via Entree Federatie (Kennisnet)"),
    "surfconext": gettext_noop("Inloggen via SURFconext"),
}


@dataclass(frozen=True)
class Provider:
    slug: str
    protocol: str
    label: str
    # SAML: the identity provider.
    idp_entity_id: str = ""
    idp_sso_url: str = ""
    # One signing certificate, or several during a certificate roll-over (JSON list).
    idp_x509_certs: tuple[str, ...] = ()
    # SAML: "uid" (the pseudonymous uid attribute, Entree) or "nameid" (persistent NameID).
    subject: str = "uid"
    # OIDC.
    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""
    scopes: tuple[str, ...] = ("openid",)
    # OIDC claim names tried in order; SAML uses the attribute names in `attributes.py`.
    brin_claims: tuple[str, ...] = (
        "nlEduPersonHomeOrganizationId",
        "nleduperson_home_organization_id",
    )
    affiliation_claims: tuple[str, ...] = ("eduperson_affiliation", "eduPersonAffiliation")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_saml(self) -> bool:
        return self.protocol == SAML

    @property
    def is_oidc(self) -> bool:
        return self.protocol == OIDC


def _tuple(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


def _certs(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(str(v).strip() for v in values if v and str(v).strip())


def _provider(raw: dict[str, Any]) -> Provider:
    slug = str(raw.get("slug", "")).strip()
    protocol = str(raw.get("protocol", "")).strip().lower()
    if not slug or protocol not in (SAML, OIDC):
        raise ImproperlyConfigured(
            "MAAKSTAD_SSO_PROVIDERS: every provider needs a slug and protocol saml or oidc"
        )
    base = Provider(slug=slug, protocol=protocol, label=DEFAULT_LABELS.get(slug, slug))
    known = {
        "idp_entity_id",
        "idp_sso_url",
        "subject",
        "issuer",
        "client_id",
        "client_secret",
    }
    values: dict[str, Any] = {k: str(v) for k, v in raw.items() if k in known}
    if raw.get("label"):
        values["label"] = str(raw["label"])
    provider = Provider(
        slug=slug,
        protocol=protocol,
        label=values.pop("label", base.label),
        idp_x509_certs=_certs(raw.get("idp_x509_cert")),
        scopes=_tuple(raw.get("scopes"), base.scopes),
        brin_claims=_tuple(raw.get("brin_claims"), base.brin_claims),
        affiliation_claims=_tuple(raw.get("affiliation_claims"), base.affiliation_claims),
        **values,
    )
    if provider.is_saml and not (
        provider.idp_entity_id and provider.idp_sso_url and provider.idp_x509_certs
    ):
        raise ImproperlyConfigured(
            f"SSO provider {slug}: idp_entity_id, idp_sso_url and idp_x509_cert are required"
        )
    if provider.is_oidc and not (provider.issuer and provider.client_id):
        raise ImproperlyConfigured(f"SSO provider {slug}: issuer and client_id are required")
    return provider


def all_providers() -> list[Provider]:
    return [_provider(raw) for raw in getattr(settings, "MAAKSTAD_SSO_PROVIDERS", [])]


def get_provider(slug: str) -> Provider | None:
    return next((p for p in all_providers() if p.slug == slug), None)
