"""Pupils: the school makes a one-time coupling code, the pupil logs in via Entree and enters it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maakstad.accounts.models import User
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import MembershipFactory, PupilFactory, UserFactory
from maakstad.organisations.models import Membership, Organisation, Pupil, Role
from maakstad.organisations.privacy import export_pupil, pupil_anonymise
from maakstad.sso.models import CouplingCode, SsoIdentity
from maakstad.sso.tests.idp import SamlIdp
from maakstad.sso.tests.test_saml import log_in, pupil_attributes

pytestmark = pytest.mark.django_db
COUPLE = reverse("sso:couple")


@pytest.fixture
def pupil(school: Organisation) -> Pupil:
    pupil: Pupil = PupilFactory.create(school=school, first_name="Sanne")
    return pupil


@pytest.fixture
def mentor(school: Organisation) -> User:
    user: User = UserFactory.create(email="mentor@school.test")
    MembershipFactory.create(user=user, organisation=school, role=Role.MENTOR)
    return user


def make_code(mentor: User, pupil: Pupil) -> str:
    staff = Client()
    staff.force_login(mentor)
    response = staff.post(reverse("sso:coupling_code", kwargs={"pk": pupil.pk}))
    assert response.status_code == 200
    match = re.search(r"<strong>([A-Z2-9]{5}-[A-Z2-9]{5})</strong>", response.content.decode())
    assert match
    return match.group(1)


def test_pupil_page_offers_a_code_when_sso_is_configured(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    client.force_login(mentor)
    page = client.get(reverse("organisations:pupil", kwargs={"pk": pupil.pk}))
    assert reverse("sso:coupling_code", kwargs={"pk": pupil.pk}) in page.content.decode()


def test_code_couples_the_pupil(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    code = make_code(mentor, pupil)
    assert CouplingCode.objects.get().code_hash != code  # only a hash is stored
    assert log_in(client, saml_idp, pupil_attributes())["Location"] == COUPLE

    response = client.post(COUPLE, {"code": code.lower().replace("-", " ")})

    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.user is not None
    assert int(client.session["_auth_user_id"]) == pupil.user.pk
    identity = SsoIdentity.objects.get()
    assert (identity.user, identity.affiliation) == (pupil.user, "pupil")
    assert Membership.objects.filter(user=pupil.user, role=Role.PUPIL).exists()
    assert not pupil.user.has_usable_password()
    assert AuditEntry.objects.filter(action="pupil.sso_coupled").exists()
    assert AuditEntry.objects.filter(action="sso_coupling_code.created").exists()
    assert not any(code in str(e.after) for e in AuditEntry.objects.all())

    # Next time the pupil is simply logged in; the code is used up.
    client.logout()
    assert log_in(client, saml_idp, pupil_attributes())["Location"] == "/"
    other = Client()
    log_in(other, saml_idp, pupil_attributes("een-ander"))
    assert other.post(COUPLE, {"code": code}).status_code == 400


def test_wrong_expired_or_other_school_code_is_refused(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    code = make_code(mentor, pupil)
    log_in(client, saml_idp, pupil_attributes())
    response = client.post(COUPLE, {"code": "AAAAA-BBBBB"})
    assert response.status_code == 400
    assert "klopt niet of is verlopen" in response.content.decode()

    CouplingCode.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.post(COUPLE, {"code": code}).status_code == 400

    CouplingCode.objects.update(expires_at=timezone.now() + dt.timedelta(days=1))
    other_school = Organisation.objects.create(
        region=pupil.school.region, kind="vmbo", name="Andere school", brin="34CD"
    )
    Pupil.objects.filter(pk=pupil.pk).update(school=other_school)
    assert client.post(COUPLE, {"code": code}).status_code == 400
    assert not SsoIdentity.objects.exists()


def test_a_new_code_replaces_the_old_one(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    old = make_code(mentor, pupil)
    new = make_code(mentor, pupil)
    log_in(client, saml_idp, pupil_attributes())
    assert client.post(COUPLE, {"code": old}).status_code == 400
    assert client.post(COUPLE, {"code": new}).status_code == 302


def test_five_wrong_codes_end_the_attempt(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    code = make_code(mentor, pupil)
    log_in(client, saml_idp, pupil_attributes())
    for _ in range(4):
        assert client.post(COUPLE, {"code": "AAAAA-BBBBB"}).status_code == 400
    response = client.post(COUPLE, {"code": "AAAAA-BBBBB"})
    assert response.status_code == 403
    assert "Te vaak" in response.content.decode()
    assert client.post(COUPLE, {"code": code}).status_code == 302  # back to log-in
    assert not SsoIdentity.objects.exists()


def test_coupling_page_needs_a_pending_pupil_login(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    """The coupling page only exists for a pending pupil log-in."""
    assert client.get(COUPLE)["Location"] == reverse("accounts:login")


def test_anonymising_the_pupil_removes_the_pseudonym(
    client: Client, saml_idp: SamlIdp, mentor: User, pupil: Pupil
) -> None:
    code = make_code(mentor, pupil)
    log_in(client, saml_idp, pupil_attributes())
    client.post(COUPLE, {"code": code})
    pupil.refresh_from_db()
    assert export_pupil(pupil)["sso"][0]["subject"] == "pseudo-leerling"
    make_code(mentor, pupil)
    pupil_anonymise(pupil=pupil, actor=mentor, reason="test")
    assert not SsoIdentity.objects.exists()
    assert not CouplingCode.objects.exists()
