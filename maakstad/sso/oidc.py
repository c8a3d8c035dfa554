"""OpenID Connect relying party: authorization code flow with state, nonce and PKCE (S256).

The ID token is verified against the provider's JWKS (signature, iss, aud, exp, iat, nonce).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from maakstad.sso.providers import Provider
from maakstad.sso.services import Claims

TIMEOUT = 10.0
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256"]
LEEWAY = 60


class OidcError(Exception):
    """The provider's answer could not be verified (never shown in detail to the person)."""


def discovery(provider: Provider) -> dict[str, Any]:
    key = "sso:oidc:discovery:" + hashlib.sha256(provider.issuer.encode()).hexdigest()
    config = cache.get(key)
    if config is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = httpx.get(url, timeout=TIMEOUT)
            response.raise_for_status()
            config = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise OidcError("discovery failed") from error
        if config.get("issuer") != provider.issuer:
            raise OidcError("discovery issuer mismatch")
        cache.set(key, config, 3600)
    return dict(config)


def new_flow() -> dict[str, str]:
    """state, nonce and the PKCE verifier for one log-in, kept in the session."""
    return {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
    }


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(provider: Provider, *, redirect_uri: str, flow: dict[str, str]) -> str:
    endpoint = discovery(provider)["authorization_endpoint"]
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes),
        "state": flow["state"],
        "nonce": flow["nonce"],
        "code_challenge": _challenge(flow["verifier"]),
        "code_challenge_method": "S256",
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def _jwks(config: dict[str, Any]) -> KeySet:
    try:
        response = httpx.get(config["jwks_uri"], timeout=TIMEOUT)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (httpx.HTTPError, ValueError, KeyError, JoseError) as error:
        raise OidcError("jwks failed") from error


def verify_id_token(
    provider: Provider, config: dict[str, Any], id_token: str, *, nonce: str
) -> dict[str, Any]:
    keys = _jwks(config)
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise OidcError("id_token signature") from error
    claims = dict(token.claims)
    now = int(time.time())
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if claims.get("iss") != config["issuer"]:
        raise OidcError("iss")
    if provider.client_id not in audiences:
        raise OidcError("aud")
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise OidcError("azp")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - LEEWAY:
        raise OidcError("exp")
    if isinstance(claims.get("iat"), int | float) and claims["iat"] > now + LEEWAY:
        raise OidcError("iat")
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("nonce")
    if not claims.get("sub"):
        raise OidcError("sub")
    return claims


def exchange_code(
    provider: Provider, *, code: str, redirect_uri: str, flow: dict[str, str]
) -> dict[str, Any]:
    """Trade the code for tokens, verify the ID token; add userinfo claims when needed."""
    config = discovery(provider)
    try:
        response = httpx.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": flow["verifier"],
            },
            auth=(provider.client_id, provider.client_secret),
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        tokens = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OidcError("token endpoint") from error
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("no id_token")
    claims = verify_id_token(provider, config, id_token, nonce=flow["nonce"])
    wanted = (*provider.brin_claims, *provider.affiliation_claims)
    if not any(name in claims for name in wanted) and config.get("userinfo_endpoint"):
        # SURFconext gives the attributes at the userinfo endpoint, not in the ID token.
        try:
            info = httpx.get(
                config["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"},
                timeout=TIMEOUT,
            )
            info.raise_for_status()
            userinfo = info.json()
        except (httpx.HTTPError, ValueError) as error:
            raise OidcError("userinfo") from error
        if userinfo.get("sub") != claims["sub"]:
            raise OidcError("userinfo sub")
        claims = {**userinfo, **claims}
    return claims


def _values(claims: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    for name in names:
        value = claims.get(name)
        if value:
            return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return []


def claims_from(provider: Provider, token_claims: dict[str, Any]) -> Claims:
    brins = _values(token_claims, provider.brin_claims)
    mail = token_claims.get("email") if token_claims.get("email_verified", True) else ""
    return Claims(
        subject=str(token_claims.get("sub", "")),
        brin=brins[0] if brins else "",
        affiliations=tuple(_values(token_claims, provider.affiliation_claims)),
        email=str(mail or ""),
    )
