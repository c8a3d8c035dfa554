"""The mapping from verified claims to accounts, without a protocol in between."""

from __future__ import annotations

from typing import Any

import pytest

from maakstad.core.testing.factories import MembershipFactory, OrganisationFactory, UserFactory
from maakstad.organisations.models import Membership, Organisation, OrganisationKind, Role
from maakstad.sso.checks import sso_providers_check
from maakstad.sso.models import SsoIdentity
from maakstad.sso.services import (
    PLACEHOLDER_DOMAIN,
    Claims,
    SsoRefused,
    affiliation_of,
    normalise_brin,
    sso_login_resolve,
)
from maakstad.sso.tests.conftest import BRIN


@pytest.mark.parametrize(
    ("value", "brin"),
    [("12AB", "12AB"), (" 12ab ", "12AB"), ("12AB00", "12AB"), ("12A", ""), ("ABCD", ""), ("", "")],
)
def test_normalise_brin(value: str, brin: str) -> None:
    assert normalise_brin(value) == brin


@pytest.mark.parametrize(
    ("values", "affiliation"),
    [
        (["student"], "pupil"),
        (["employee", "member"], "staff"),
        (["Faculty"], "staff"),
        (["staff@school.nl"], "staff"),
        (["student", "employee"], "pupil"),  # both: the fewest rights
        (["member", "affiliate"], None),
        ([], None),
    ],
)
def test_affiliation_of(values: list[str], affiliation: str | None) -> None:
    assert affiliation_of(values) == affiliation


def staff_claims(**extra: Any) -> Claims:
    return Claims(subject="pseudo-1", brin=BRIN, affiliations=("employee",), **extra)


@pytest.mark.django_db
def test_mail_of_an_account_elsewhere_is_not_taken_over(school: Organisation) -> None:
    elsewhere = OrganisationFactory.create(kind=OrganisationKind.COMPANY)
    owner = UserFactory.create(email="j@school.example")
    MembershipFactory.create(user=owner, organisation=elsewhere, role=Role.COMPANY_CONTACT)

    user = sso_login_resolve(provider="entree", claims=staff_claims(email="j@school.example"))

    assert user != owner
    assert user.email.endswith("@" + PLACEHOLDER_DOMAIN)
    assert not Membership.objects.filter(user=owner, organisation=school).exists()


@pytest.mark.django_db
def test_colleague_with_a_password_account_at_the_school_is_linked(school: Organisation) -> None:
    colleague = UserFactory.create(email="j@school.example")
    MembershipFactory.create(user=colleague, organisation=school, role=Role.DECAAN)

    user = sso_login_resolve(provider="entree", claims=staff_claims(email="J@school.example"))

    assert user == colleague
    assert colleague.has_usable_password()  # the password log-in keeps working
    assert SsoIdentity.objects.get().user == colleague
    assert Membership.objects.filter(user=colleague).count() == 1  # no extra Docent role


@pytest.mark.django_db
def test_only_active_schools_count(school: Organisation) -> None:
    Organisation.objects.filter(pk=school.pk).update(is_active=False)
    with pytest.raises(SsoRefused) as refused:
        sso_login_resolve(provider="entree", claims=staff_claims())
    assert refused.value.code == "unknown_school"


@pytest.mark.django_db
def test_a_company_with_a_brin_is_no_school() -> None:
    OrganisationFactory.create(kind=OrganisationKind.COMPANY, brin=BRIN)
    with pytest.raises(SsoRefused):
        sso_login_resolve(provider="entree", claims=staff_claims())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("claims", "code"),
    [
        (Claims(subject="", brin=BRIN, affiliations=("employee",)), "no_subject"),
        (Claims(subject="p", brin="", affiliations=("employee",)), "no_school"),
        (Claims(subject="p", brin=BRIN, affiliations=("member",)), "no_affiliation"),
    ],
)
def test_missing_attributes_are_refused(school: Organisation, claims: Claims, code: str) -> None:
    with pytest.raises(SsoRefused) as refused:
        sso_login_resolve(provider="entree", claims=claims)
    assert refused.value.code == code


def test_system_check_reports_bad_configuration(settings: Any) -> None:
    settings.MAAKSTAD_SSO_PROVIDERS = [{"slug": "entree", "protocol": "saml"}]
    assert [e.id for e in sso_providers_check(None)] == ["maakstad.sso.E001"]
    settings.MAAKSTAD_SSO_PROVIDERS = [
        {"slug": "x", "protocol": "oidc", "issuer": "https://i", "client_id": "c"}
    ] * 2
    assert [e.id for e in sso_providers_check(None)] == ["maakstad.sso.E002"]
    settings.MAAKSTAD_SSO_PROVIDERS = []
    assert sso_providers_check(None) == []
