"""Single sign-on views: start, SAML ACS + finish, SAML metadata, OIDC callback.

The SAML response arrives as a cross-site POST, which carries no SameSite=Lax session cookie in
a browser. So the ACS only verifies the response and hands the claims over in a short-lived,
signed, HttpOnly cookie to `finish`, a same-site GET that does see the session and checks the
response's InResponseTo against the request id stored there (no unsolicited or replayed
responses, no log-in CSRF).
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maakstad.accounts import twofactor
from maakstad.core.http import safe_next_url
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations import permissions
from maakstad.organisations.services import IMPORT_ROLES
from maakstad.sso import oidc, saml
from maakstad.sso.providers import Provider, get_provider
from maakstad.sso.services import (
    Claims,
    SsoRefused,
    coupling_code_create,
    sso_login_resolve,
    sso_pupil_couple,
)

logger = logging.getLogger(__name__)

SAML_SESSION_KEY = "sso_saml"
OIDC_SESSION_KEY = "sso_oidc"
HANDOFF_COOKIE = "maakstad_sso"
HANDOFF_SALT = "maakstad.sso.saml-handoff"
HANDOFF_MAX_AGE = 300
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
COUPLE_SESSION_KEY = "sso_couple"
COUPLE_MAX_AGE = 15 * 60
COUPLE_MAX_ATTEMPTS = 5


def _provider(slug: str, protocol: str | None = None) -> Provider:
    provider = get_provider(slug)
    if provider is None or (protocol and provider.protocol != protocol):
        raise Http404
    return provider


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    return safe_next_url(request, candidate) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _failed(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    return render(request, "sso/error.html", {"message": message}, status=status)


def _invalid(request: HttpRequest) -> HttpResponse:
    return _failed(request, SsoRefused("invalid").message)


def _complete(
    request: HttpRequest, provider: Provider, claims: Claims, next_url: str
) -> HttpResponse:
    try:
        user = sso_login_resolve(provider=provider.slug, claims=claims)
    except SsoRefused as refused:
        if refused.code == "pupil_not_coupled":
            # A pupil the school has not coupled yet: ask for the school's coupling code.
            request.session[COUPLE_SESSION_KEY] = {
                "slug": provider.slug,
                "sub": claims.subject,
                "brin": claims.brin,
                "aff": list(claims.affiliations),
                "next": next_url,
                "at": time.time(),
                "attempts": 0,
            }
            return HttpResponseRedirect(reverse("sso:couple"))
        logger.info("SSO log-in via %s refused: %s", provider.slug, refused.code)
        return _failed(request, refused.message, status=403)
    return _log_in(request, user, provider.slug, next_url)


def _log_in(request: HttpRequest, user: Any, slug: str, next_url: str) -> HttpResponse:
    # The identity provider authenticated the person (a second factor is its business); our
    # TOTP step and MAAKSTAD_2FA_REQUIRED_ROLES are for password log-ins.
    login(request, user, backend=MODEL_BACKEND)
    request.session[twofactor.SSO_SESSION_KEY] = slug
    return HttpResponseRedirect(_safe_next(request, next_url))


@require_GET
def start(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug)
    next_url = _safe_next(request, request.GET.get("next"))
    if provider.is_saml:
        auth = saml.auth_for(request, provider)
        url = auth.login(return_to=next_url)
        request.session[SAML_SESSION_KEY] = {
            "slug": provider.slug,
            "request_id": auth.get_last_request_id(),
            "next": next_url,
        }
        return HttpResponseRedirect(url)
    flow = oidc.new_flow()
    try:
        url = oidc.authorize_url(provider, redirect_uri=_callback_url(provider), flow=flow)
    except oidc.OidcError as error:
        logger.warning("SSO %s: %s", provider.slug, error)
        return _failed(
            request, _("De inlogdienst is nu niet bereikbaar. Probeer het later."), status=502
        )
    request.session[OIDC_SESSION_KEY] = {"slug": provider.slug, "next": next_url, **flow}
    return HttpResponseRedirect(url)


@csrf_exempt  # a cross-site POST from the identity provider; the signature protects it
@require_POST
def acs(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug, "saml")
    if not request.POST.get("SAMLResponse"):
        return _invalid(request)
    auth = saml.auth_for(request, provider)
    try:
        auth.process_response()
    except Exception as error:  # python3-saml raises on malformed input
        logger.warning("SSO %s: unreadable SAML response (%s)", provider.slug, type(error).__name__)
        return _invalid(request)
    errors = auth.get_errors()
    if errors or not auth.is_authenticated():
        # The reason names the failed check (signature, audience, time), never the attributes.
        logger.warning(
            "SSO %s: SAML response refused: %s (%s)",
            provider.slug,
            ", ".join(errors),
            auth.get_last_error_reason(),
        )
        return _invalid(request)
    in_response_to = auth.get_last_response_in_response_to()
    if not in_response_to:
        logger.warning("SSO %s: unsolicited SAML response refused", provider.slug)
        return _invalid(request)
    claims = saml.claims_from(auth, provider)
    handoff = signing.dumps(
        {
            "slug": provider.slug,
            "irt": in_response_to,
            "sub": claims.subject,
            "brin": claims.brin,
            "aff": list(claims.affiliations),
            "mail": claims.email,
        },
        salt=HANDOFF_SALT,
    )
    response = HttpResponseRedirect(reverse("sso:finish", kwargs={"slug": provider.slug}))
    response.status_code = 303
    response.set_cookie(
        HANDOFF_COOKIE,
        handoff,
        max_age=HANDOFF_MAX_AGE,
        path=reverse("sso:finish", kwargs={"slug": provider.slug}),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_GET
def finish(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug, "saml")
    pending: dict[str, Any] | None = request.session.pop(SAML_SESSION_KEY, None)
    raw = request.COOKIES.get(HANDOFF_COOKIE, "")
    try:
        data = signing.loads(raw, salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE) if raw else None
    except signing.BadSignature:
        data = None
    if (
        not data
        or not pending
        or pending.get("slug") != provider.slug
        or data.get("slug") != provider.slug
        or not secrets.compare_digest(str(pending.get("request_id", "")), str(data.get("irt", "")))
    ):
        logger.warning("SSO %s: SAML response does not belong to this session", provider.slug)
        response = _invalid(request)
    else:
        claims = Claims(
            subject=data["sub"],
            brin=data["brin"],
            affiliations=tuple(data["aff"]),
            email=data["mail"],
        )
        response = _complete(request, provider, claims, pending.get("next", ""))
    response.delete_cookie(HANDOFF_COOKIE, path=reverse("sso:finish", kwargs={"slug": slug}))
    return response


@require_GET
def metadata(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug, "saml")
    return HttpResponse(saml.metadata(provider), content_type="application/samlmetadata+xml")


def _callback_url(provider: Provider) -> str:
    return saml.site_url(reverse("sso:callback", kwargs={"slug": provider.slug}))


@require_GET
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug, "oidc")
    pending: dict[str, Any] | None = request.session.pop(OIDC_SESSION_KEY, None)
    state = request.GET.get("state", "")
    if (
        not pending
        or pending.get("slug") != provider.slug
        or not state
        or not secrets.compare_digest(state, str(pending.get("state", "")))
    ):
        logger.warning("SSO %s: OIDC state does not match", provider.slug)
        return _invalid(request)
    if request.GET.get("error") or not request.GET.get("code"):
        return _failed(request, _("Inloggen is afgebroken of geweigerd door de inlogdienst."))
    try:
        token_claims = oidc.exchange_code(
            provider, code=request.GET["code"], redirect_uri=_callback_url(provider), flow=pending
        )
    except oidc.OidcError as error:
        logger.warning("SSO %s: OIDC log-in refused: %s", provider.slug, error)
        return _invalid(request)
    return _complete(request, provider, oidc.claims_from(provider, token_claims), pending["next"])


@never_cache
@require_http_methods(["GET", "POST"])
def couple(request: HttpRequest) -> HttpResponse:
    """A pupil who logged in through SSO enters the coupling code their school handed out."""
    pending: dict[str, Any] | None = request.session.get(COUPLE_SESSION_KEY)
    if not pending or time.time() - pending.get("at", 0) > COUPLE_MAX_AGE:
        request.session.pop(COUPLE_SESSION_KEY, None)
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
    provider = _provider(pending["slug"])
    error = ""
    if request.method == "POST":
        claims = Claims(
            subject=pending["sub"], brin=pending["brin"], affiliations=tuple(pending["aff"])
        )
        try:
            user = sso_pupil_couple(
                provider=provider.slug, claims=claims, code=request.POST.get("code", "")
            )
        except SsoRefused as refused:
            pending["attempts"] = pending.get("attempts", 0) + 1
            if pending["attempts"] >= COUPLE_MAX_ATTEMPTS:
                request.session.pop(COUPLE_SESSION_KEY, None)
                return _failed(request, SsoRefused("too_many_attempts").message, status=403)
            request.session[COUPLE_SESSION_KEY] = pending
            error = refused.message
        else:
            request.session.pop(COUPLE_SESSION_KEY, None)
            return _log_in(request, user, provider.slug, pending.get("next", ""))
    return render(request, "sso/couple.html", {"error": error}, status=400 if error else 200)


@login_required
@require_POST
@never_cache
def coupling_code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """School staff make a one-time coupling code for a pupil, shown once."""
    pupil = permissions.get_pupil_for_user(request.user, pk)
    if not permissions.has_role(request.user, *IMPORT_ROLES, organisation_id=pupil.school_id):
        raise PermissionDenied
    code = coupling_code_create(pupil=pupil, actor=request.user)
    return render(request, "sso/coupling_code.html", {"pupil": pupil, "code": code})
