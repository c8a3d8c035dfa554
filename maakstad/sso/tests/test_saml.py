"""SAML log-in end to end against a test IdP that signs real assertions (tests/idp.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from maakstad.accounts.models import User
from maakstad.core.models import AuditEntry
from maakstad.organisations.models import Membership, Organisation, Role
from maakstad.sso.models import SsoIdentity
from maakstad.sso.services import PLACEHOLDER_DOMAIN
from maakstad.sso.tests.conftest import BRIN
from maakstad.sso.tests.idp import (
    ENTREE_AFFILIATION,
    ENTREE_BRIN,
    ENTREE_MAIL,
    ENTREE_UID,
    AuthnRequest,
    KeyPair,
    SamlIdp,
)

pytestmark = pytest.mark.django_db

ACS = reverse("sso:acs", kwargs={"slug": "entree"})
FINISH = reverse("sso:finish", kwargs={"slug": "entree"})


def staff(
    uid: str = "pseudo-docent-1", brin: str = BRIN, extra: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    return {
        ENTREE_UID: [uid],
        ENTREE_AFFILIATION: ["employee", "member"],
        ENTREE_BRIN: [brin],
        **(extra or {}),
    }


def pupil_attributes(uid: str = "pseudo-leerling") -> dict[str, list[str]]:
    return {ENTREE_UID: [uid], ENTREE_AFFILIATION: ["student", "member"], ENTREE_BRIN: [BRIN]}


def begin(client: Client, saml_idp: SamlIdp, next_url: str = "") -> AuthnRequest:
    url = reverse("sso:start", kwargs={"slug": "entree"})
    response = client.get(url + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    assert response["Location"].startswith(saml_idp.sso_url + "?SAMLRequest=")
    return saml_idp.read_request(response["Location"])


def post_response(client: Client, saml_response: str):  # type: ignore[no-untyped-def]
    """The IdP's auto-submitting form, then the same-site redirect to `finish`."""
    response = client.post(ACS, {"SAMLResponse": saml_response, "RelayState": "/"})
    if response.status_code != 303:
        return response
    assert response["Location"] == FINISH
    return client.get(FINISH)


def log_in(client: Client, saml_idp: SamlIdp, attributes: dict[str, list[str]], **kw):  # type: ignore[no-untyped-def]
    request = begin(client, saml_idp)
    return post_response(client, saml_idp.response(request, attributes=attributes, **kw))


def assert_refused(response, text: str = "niet gelukt") -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in (400, 403)
    assert text in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_authn_request_is_ours(client: Client, saml_idp: SamlIdp) -> None:
    request = begin(client, saml_idp)
    assert request.issuer == "http://127.0.0.1:8000/account/sso/entree/metadata/"
    assert request.acs_url == "http://127.0.0.1:8000/account/sso/entree/acs/"
    assert client.session["sso_saml"]["request_id"] == request.id


def test_staff_logs_in_and_becomes_teacher_at_the_brin_school(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    request = begin(client, saml_idp, next_url="/account/profiel/")
    response = post_response(client, saml_idp.response(request, attributes=staff()))

    assert response.status_code == 302
    assert response["Location"] == "/account/profiel/"
    identity = SsoIdentity.objects.get(provider="entree", subject="pseudo-docent-1")
    user = identity.user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert identity.organisation == school
    assert identity.affiliation == "staff"
    assert user.email.endswith("@" + PLACEHOLDER_DOMAIN)
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=school, role=Role.TEACHER).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"user.created_sso", "membership.created_sso", "sso_identity.linked"} <= actions
    # The pseudonym is nowhere in the audit trail.
    assert not any("pseudo-docent-1" in str(e.after) for e in AuditEntry.objects.all())
    # The handoff cookie is gone.
    assert client.cookies["maakstad_sso"].value == ""


def test_second_login_reuses_the_account(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    log_in(client, saml_idp, staff())
    client.logout()
    response = log_in(client, saml_idp, staff(brin="12AB00"))
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert SsoIdentity.objects.count() == 1
    assert Membership.objects.count() == 1
    assert SsoIdentity.objects.get().last_login is not None


def test_mail_attribute_is_used_when_given(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    log_in(client, saml_idp, staff(extra={ENTREE_MAIL: ["J.Docent@School.example"]}))
    assert SsoIdentity.objects.get().user.email == "j.docent@school.example"


def test_friendly_and_oid_attribute_names(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    attributes = {
        "urn:oid:0.9.2342.19200300.100.1.1": ["pseudo-oid"],
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["faculty"],
        "nlEduPersonHomeOrganizationId": [BRIN],
    }
    response = log_in(client, saml_idp, attributes)
    assert response.status_code == 302
    assert SsoIdentity.objects.get().subject == "pseudo-oid"


def test_unknown_brin_is_refused_in_dutch(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    response = log_in(client, saml_idp, staff(brin="99ZZ"))
    assert_refused(response, "Uw school is (nog) niet aangesloten bij Maakstad")
    assert response.status_code == 403
    assert not User.objects.exists()


def test_english_error_page(client: Client, saml_idp: SamlIdp, school: Organisation) -> None:
    client.cookies["django_language"] = "en"
    response = log_in(client, saml_idp, staff(brin="99ZZ"))
    assert response.status_code == 403
    assert "Your school is not (yet) connected to Maakstad" in response.content.decode()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert "Log in with Entree Federatie (Kennisnet)" in login_page


def test_pupil_without_coupling_is_asked_for_the_code(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    response = log_in(client, saml_idp, pupil_attributes())
    assert response.status_code == 302
    assert response["Location"] == reverse("sso:couple")
    page = client.get(response["Location"])
    assert "Vul de koppelcode in" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    assert not SsoIdentity.objects.exists()


def test_tampered_assertion_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    other = Organisation.objects.create(
        region=school.region, kind="vmbo", name="Ander", brin="34CD"
    )
    request = begin(client, saml_idp)
    forged = saml_idp.response(request, attributes=staff(), tamper=(f">{BRIN}<", f">{other.brin}<"))
    assert_refused(post_response(client, forged))
    assert "Signature validation failed" in caplog.text
    assert not SsoIdentity.objects.exists()


def test_wrong_signer_is_refused(
    client: Client,
    saml_idp: SamlIdp,
    school: Organisation,
    other_keys: KeyPair,
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = log_in(client, saml_idp, staff(), signer=other_keys)
    assert_refused(response)
    assert "Signature validation failed" in caplog.text
    assert not SsoIdentity.objects.exists()


def test_expired_assertion_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    issued = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    response = log_in(client, saml_idp, staff(), issued=issued)
    assert_refused(response)
    assert "expired" in caplog.text


def test_wrong_audience_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    response = log_in(client, saml_idp, staff(), audience="https://elders.test/sp")
    assert_refused(response)
    assert "not a valid audience" in caplog.text


def test_wrong_destination_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    response = log_in(client, saml_idp, staff(), destination="https://elders.test/acs")
    assert_refused(response)
    assert "instead of https://elders.test/acs" in caplog.text


def test_unsolicited_response_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    request = begin(client, saml_idp)
    unsolicited = saml_idp.response(
        None, attributes=staff(), audience=request.issuer, destination=request.acs_url
    )
    assert_refused(post_response(client, unsolicited))


def test_response_to_another_request_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    request = begin(client, saml_idp)
    other = saml_idp.response(request, attributes=staff(), in_response_to="_een-ander-verzoek")
    assert_refused(post_response(client, other))


def test_replayed_response_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    request = begin(client, saml_idp)
    saml_response = saml_idp.response(request, attributes=staff())
    assert post_response(client, saml_response).status_code == 302
    client.logout()
    # The same response again, in the same browser and in another one.
    assert_refused(post_response(client, saml_response))
    assert_refused(post_response(Client(), saml_response))


def test_handoff_from_another_browser_is_refused(
    client: Client, saml_idp: SamlIdp, school: Organisation
) -> None:
    """Log-in CSRF: an attacker's valid response pushed into a victim's browser."""
    attacker = Client()
    request = begin(attacker, saml_idp)
    begin(client, saml_idp)  # the victim has a log-in of their own pending
    assert_refused(post_response(client, saml_idp.response(request, attributes=staff())))


def test_inactive_user_is_refused(client: Client, saml_idp: SamlIdp, school: Organisation) -> None:
    log_in(client, saml_idp, staff())
    client.logout()
    User.objects.update(is_active=False)
    assert_refused(log_in(client, saml_idp, staff()), "niet actief")


def test_metadata(client: Client, saml_idp: SamlIdp) -> None:
    response = client.get(reverse("sso:metadata", kwargs={"slug": "entree"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'entityID="http://127.0.0.1:8000/account/sso/entree/metadata/"' in body
    assert re.search(r'Location="http://127.0.0.1:8000/account/sso/entree/acs/"', body)


def test_login_page_shows_configured_providers(client: Client, saml_idp: SamlIdp) -> None:
    response = client.get(reverse("accounts:login"))
    assert "Inloggen via Entree Federatie (Kennisnet)" in response.content.decode()
    assert reverse("sso:start", kwargs={"slug": "entree"}) in response.content.decode()


def test_without_providers_no_buttons_and_404(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAAKSTAD_SSO_PROVIDERS = []
    assert "Entree" not in client.get(reverse("accounts:login")).content.decode()
    for name in ("start", "metadata", "finish", "callback"):
        assert client.get(reverse(f"sso:{name}", kwargs={"slug": "entree"})).status_code == 404
    assert client.post(ACS, {"SAMLResponse": "x"}).status_code == 404


def test_certificate_rollover(
    client: Client, saml_idp: SamlIdp, school: Organisation, other_keys: KeyPair, settings
) -> None:  # type: ignore[no-untyped-def]
    """During a roll-over the IdP's old and new certificates are both configured (a list)."""
    settings.MAAKSTAD_SSO_PROVIDERS = [
        saml_idp.provider_config(idp_x509_cert=[other_keys.cert_body, saml_idp.keys.cert_body])
    ]
    assert log_in(client, saml_idp, staff()).status_code == 302
    client.logout()
    assert log_in(client, saml_idp, staff(), signer=other_keys).status_code == 302
    settings.MAAKSTAD_SSO_PROVIDERS = [
        saml_idp.provider_config(idp_x509_cert=[other_keys.cert_pem])
    ]
    client.logout()
    assert_refused(log_in(client, saml_idp, staff()))


def test_signed_authn_requests_with_an_sp_key(
    client: Client, saml_idp: SamlIdp, other_keys: KeyPair, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MAAKSTAD_SSO_SP_KEY = other_keys.key_pem
    settings.MAAKSTAD_SSO_SP_CERT = other_keys.cert_pem
    response = client.get(reverse("sso:start", kwargs={"slug": "entree"}))
    assert "&Signature=" in response["Location"]
    assert "SigAlg=" in response["Location"]
    metadata = client.get(reverse("sso:metadata", kwargs={"slug": "entree"})).content.decode()
    assert other_keys.cert_body[:40] in metadata
    assert 'AuthnRequestsSigned="true"' in metadata


def test_required_two_factor_applies_to_password_log_ins_not_to_sso(
    client: Client, saml_idp: SamlIdp, school: Organisation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MAAKSTAD_2FA_REQUIRED_ROLES = [Role.TEACHER]
    log_in(client, saml_idp, staff())
    assert client.get("/").status_code == 200
    # The same teacher in a session that did not come through the school's IdP must set it up.
    other = Client()
    other.force_login(SsoIdentity.objects.get().user)
    response = other.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:twofactor_setup")
