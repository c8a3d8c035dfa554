"""OIDC log-in end to end against a test OpenID provider on 127.0.0.1 (tests/idp.py)."""

from __future__ import annotations

from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest
from django.test import Client
from django.urls import reverse

from maakstad.accounts.models import User
from maakstad.organisations.models import Membership, Organisation, Role
from maakstad.sso.models import SsoIdentity
from maakstad.sso.tests.conftest import BRIN
from maakstad.sso.tests.idp import OidcProvider

pytestmark = pytest.mark.django_db

START = reverse("sso:start", kwargs={"slug": "surfconext"})
CALLBACK = reverse("sso:callback", kwargs={"slug": "surfconext"})
STAFF = {"nlEduPersonHomeOrganizationId": BRIN, "eduperson_affiliation": ["employee"]}


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def authorize(client: Client, provider: OidcProvider) -> tuple[str, dict[str, str]]:
    """Our redirect to the provider, the browser at /authorize, the provider's redirect back."""
    response = client.get(START)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(provider.issuer + "/authorize?")
    sent = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    try:
        build_opener(_NoRedirect).open(Request(location), timeout=5)
    except HTTPError as redirect:
        back = redirect.headers["Location"]
    else:  # pragma: no cover
        raise AssertionError("the provider did not redirect")
    assert back.startswith("http://127.0.0.1:8000" + CALLBACK)
    return CALLBACK + "?" + urlsplit(back).query, sent


def log_in(client: Client, provider: OidcProvider):  # type: ignore[no-untyped-def]
    callback, _sent = authorize(client, provider)
    return client.get(callback)


def assert_refused(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in (400, 403)
    assert "_auth_user_id" not in response.wsgi_request.session
    assert not SsoIdentity.objects.exists()


def test_staff_logs_in(client: Client, oidc_provider: OidcProvider, school: Organisation) -> None:
    oidc_provider.next_claims = {**STAFF, "sub": "sub-docent"}
    callback, sent = authorize(client, oidc_provider)
    assert sent["code_challenge_method"] == "S256"
    assert sent["scope"] == "openid"
    assert sent["nonce"] and sent["state"]
    response = client.get(callback)

    assert response.status_code == 302
    identity = SsoIdentity.objects.get(provider="surfconext", subject="sub-docent")
    assert int(client.session["_auth_user_id"]) == identity.user_id
    assert Membership.objects.filter(user=identity.user, organisation=school, role=Role.TEACHER)
    # PKCE: the verifier went to the token endpoint.
    assert oidc_provider.token_requests[-1]["code_verifier"][0]

    client.logout()
    assert log_in(client, oidc_provider).status_code == 302
    assert User.objects.count() == 1


def test_claims_from_userinfo(
    client: Client, oidc_provider: OidcProvider, school: Organisation
) -> None:
    """SURFconext gives the attributes at the userinfo endpoint, not in the ID token."""
    oidc_provider.next_claims = {"sub": "sub-info"}
    oidc_provider.userinfo = {**STAFF, "sub": "sub-info"}
    assert log_in(client, oidc_provider).status_code == 302
    assert SsoIdentity.objects.get().subject == "sub-info"


def test_userinfo_for_someone_else_is_refused(
    client: Client, oidc_provider: OidcProvider, school: Organisation
) -> None:
    oidc_provider.next_claims = {"sub": "sub-info"}
    oidc_provider.userinfo = {**STAFF, "sub": "iemand-anders"}
    assert_refused(log_in(client, oidc_provider))


@pytest.mark.parametrize(
    ("misbehave", "reason"),
    [
        ("signature", "id_token signature"),
        ("nonce", "nonce"),
        ("audience", "aud"),
        ("expired", "exp"),
        ("issuer", "iss"),
    ],
)
def test_bad_id_token_is_refused(
    client: Client,
    oidc_provider: OidcProvider,
    school: Organisation,
    misbehave: str,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    oidc_provider.next_claims = STAFF
    oidc_provider.misbehave = misbehave
    assert_refused(log_in(client, oidc_provider))
    assert f"OIDC log-in refused: {reason}\n" in caplog.text


def test_wrong_state_is_refused(
    client: Client, oidc_provider: OidcProvider, school: Organisation
) -> None:
    oidc_provider.next_claims = STAFF
    callback, _sent = authorize(client, oidc_provider)
    assert_refused(client.get(callback.replace("state=", "state=x")))
    # The flow is used up: the right state afterwards does not work either.
    assert_refused(client.get(callback))


def test_callback_from_another_browser_is_refused(
    client: Client, oidc_provider: OidcProvider, school: Organisation
) -> None:
    oidc_provider.next_claims = STAFF
    callback, _sent = authorize(Client(), oidc_provider)
    client.get(START)
    assert_refused(client.get(callback))


def test_unknown_school_is_refused(
    client: Client, oidc_provider: OidcProvider, school: Organisation
) -> None:
    oidc_provider.next_claims = {**STAFF, "nlEduPersonHomeOrganizationId": "99ZZ"}
    response = log_in(client, oidc_provider)
    assert response.status_code == 403
    assert "niet aangesloten bij Maakstad" in response.content.decode()


def test_provider_error_is_shown(client: Client, oidc_provider: OidcProvider) -> None:
    client.get(START)
    state = client.session["sso_oidc"]["state"]
    response = client.get(CALLBACK, {"state": state, "error": "access_denied"})
    assert response.status_code == 400
    assert "afgebroken" in response.content.decode()


def test_login_page_shows_surfconext(client: Client, oidc_provider: OidcProvider) -> None:
    assert "Inloggen via SURFconext" in client.get(reverse("accounts:login")).content.decode()
