"""SAML 2.0 service provider for Entree Federatie and SURFconext (python3-saml).

URLs are built from `MAAKSTAD_SITE_URL`, not from the request's Host header, so the
Destination and audience checks hold behind a proxy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from maakstad.sso.providers import Provider
from maakstad.sso.services import Claims

# The names an attribute can have: Entree's urn:mace names, the urn:oid names, friendly names.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "uid": (
        "urn:mace:dir:attribute-def:uid",
        "urn:oid:0.9.2342.19200300.100.1.1",
        "uid",
    ),
    "affiliation": (
        "urn:mace:dir:attribute-def:eduPersonAffiliation",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
        "eduPersonAffiliation",
    ),
    "brin": (
        "urn:mace:terena.org:attribute-def:nlEduPersonHomeOrganizationId",
        "urn:oid:1.3.6.1.4.1.1076.20.100.10.10.2",
        "nlEduPersonHomeOrganizationId",
    ),
    "mail": (
        "urn:mace:dir:attribute-def:mail",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "mail",
    ),
}


def site_url(path: str) -> str:
    return settings.MAAKSTAD_SITE_URL.rstrip("/") + path


def sp_entity_id(provider: Provider) -> str:
    return site_url(reverse("sso:metadata", kwargs={"slug": provider.slug}))


def acs_url(provider: Provider) -> str:
    return site_url(reverse("sso:acs", kwargs={"slug": provider.slug}))


def _idp_certs(provider: Provider) -> dict[str, Any]:
    certs = list(provider.idp_x509_certs)
    if len(certs) == 1:
        return {"x509cert": certs[0]}
    # Roll-over: a signature by any of the listed certificates is accepted.
    return {"x509certMulti": {"signing": certs, "encryption": certs[:1]}}


def saml_settings(provider: Provider) -> dict[str, Any]:
    sp_key = getattr(settings, "MAAKSTAD_SSO_SP_KEY", "")
    sp_cert = getattr(settings, "MAAKSTAD_SSO_SP_CERT", "")
    signs = bool(sp_key and sp_cert)
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": sp_entity_id(provider),
            "assertionConsumerService": {
                "url": acs_url(provider),
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
            },
            "NameIDFormat": OneLogin_Saml2_Constants.NAMEID_UNSPECIFIED,
            "x509cert": sp_cert,
            "privateKey": sp_key,
        },
        "idp": {
            "entityId": provider.idp_entity_id,
            "singleSignOnService": {
                "url": provider.idp_sso_url,
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            },
            **_idp_certs(provider),
        },
        "security": {
            "authnRequestsSigned": signs,
            "signMetadata": False,
            # Entree and SURFconext sign the assertion; an unsigned one is refused.
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "wantNameId": provider.subject == "nameid",
            "wantAttributeStatement": True,
            "requestedAuthnContext": False,
            "rejectDeprecatedAlgorithm": True,
            "signatureAlgorithm": OneLogin_Saml2_Constants.RSA_SHA256,
            "digestAlgorithm": OneLogin_Saml2_Constants.SHA256,
        },
    }


def _request_data(request: HttpRequest) -> dict[str, Any]:
    site = urlsplit(settings.MAAKSTAD_SITE_URL)
    return {
        "https": "on" if site.scheme == "https" else "off",
        "http_host": site.netloc,
        "script_name": request.path,
        "get_data": request.GET.dict(),
        "post_data": request.POST.dict(),
    }


def auth_for(request: HttpRequest, provider: Provider) -> OneLogin_Saml2_Auth:
    return OneLogin_Saml2_Auth(_request_data(request), old_settings=saml_settings(provider))


def metadata(provider: Provider) -> str:
    sp = OneLogin_Saml2_Settings(saml_settings(provider), sp_validation_only=True)
    xml = sp.get_sp_metadata()
    return xml.decode() if isinstance(xml, bytes) else xml


def _first(values: dict[str, list[str]], names: tuple[str, ...]) -> list[str]:
    for name in names:
        if values.get(name):
            return [str(v) for v in values[name]]
    return []


def claims_from(auth: OneLogin_Saml2_Auth, provider: Provider) -> Claims:
    """The attributes we use, by urn or friendly name; only what Entree gives by default."""
    by_name: dict[str, list[str]] = auth.get_attributes()
    by_friendly: dict[str, list[str]] = auth.get_friendlyname_attributes()

    def get(key: str) -> list[str]:
        return _first(by_name, ATTRIBUTES[key]) or _first(by_friendly, ATTRIBUTES[key])

    if provider.subject == "nameid":
        subject = auth.get_nameid() or ""
    else:
        uids = get("uid")
        subject = uids[0] if uids else ""
    brins = get("brin")
    mails = get("mail")
    return Claims(
        subject=subject.strip(),
        brin=brins[0] if brins else "",
        affiliations=tuple(get("affiliation")),
        email=mails[0] if mails else "",
    )
