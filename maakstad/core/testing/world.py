"""A small, complete region for tests: two schools, a company, the programme office.

School A owns the objects under test; teacher B works at another school and must be kept out.
The URL permission matrix logs in as each of `ROLES` in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from maakstad.core.testing.factories import (
    GuardianFactory,
    LocationFactory,
    MembershipFactory,
    OrganisationFactory,
    PupilFactory,
    RegionFactory,
    UserFactory,
)
from maakstad.organisations.models import Organisation, OrganisationKind, Pupil, Region, Role, Term

ROLES = ("anonymous", "pupil", "teacher_a", "teacher_b", "company", "programme")


@dataclass
class World:
    region: Region
    school_a: Organisation
    school_b: Organisation
    company: Organisation
    mbo: Organisation
    programme_office: Organisation
    pupil: Pupil
    users: dict[str, Any]

    def user(self, role: str) -> Any:
        return self.users.get(role)


def build_world() -> World:
    region = RegionFactory.create()
    kb = Term.objects.leerwegen().get(code="KB")
    pie = Term.objects.profiles().get(code="PIE")
    school_a = OrganisationFactory.create(
        region=region, name="Vmbo A", short_name="A", kind=OrganisationKind.VMBO
    )
    school_b = OrganisationFactory.create(
        region=region, name="Vmbo B", short_name="B", kind=OrganisationKind.VMBO
    )
    company = OrganisationFactory.create(
        region=region, name="Bedrijf C", kind=OrganisationKind.COMPANY
    )
    mbo = OrganisationFactory.create(region=region, name="Mbo D", kind=OrganisationKind.MBO)
    office = OrganisationFactory.create(
        region=region, name="Programmabureau", kind=OrganisationKind.PARTNER
    )
    for org in (school_a, school_b, company, mbo):
        LocationFactory.create(organisation=org)
    school_a.offerings.create(profile=pie, leerweg=kb)

    teacher_a = UserFactory.create(email="docent@a.test", full_name="Docent A")
    MembershipFactory.create(user=teacher_a, organisation=school_a, role=Role.TEACHER)
    MembershipFactory.create(user=teacher_a, organisation=school_a, role=Role.MENTOR)
    MembershipFactory.create(user=teacher_a, organisation=school_a, role=Role.ORG_ADMIN)
    teacher_b = UserFactory.create(email="docent@b.test", full_name="Docent B")
    MembershipFactory.create(user=teacher_b, organisation=school_b, role=Role.TEACHER)
    MembershipFactory.create(user=teacher_b, organisation=school_b, role=Role.ORG_ADMIN)
    contact = UserFactory.create(email="contact@c.test", full_name="Contact C")
    MembershipFactory.create(user=contact, organisation=company, role=Role.COMPANY_CONTACT)
    MembershipFactory.create(user=contact, organisation=company, role=Role.ORG_ADMIN)
    manager = UserFactory.create(email="programma@test.test", full_name="Programmamanager")
    MembershipFactory.create(user=manager, organisation=office, role=Role.PROGRAMME_MANAGER)
    pupil_user = UserFactory.create(email="leerling@a.test", full_name="Sanne")
    pupil = PupilFactory.create(
        school=school_a,
        first_name="Sanne",
        leerjaar=3,
        class_name="3K",
        leerweg=kb,
        profile=pie,
        user=pupil_user,
    )
    MembershipFactory.create(user=pupil_user, organisation=school_a, role=Role.PUPIL)
    GuardianFactory.create(pupil=pupil, name="Ouder van Sanne", email="ouder@a.test")
    return World(
        region=region,
        school_a=school_a,
        school_b=school_b,
        company=company,
        mbo=mbo,
        programme_office=office,
        pupil=pupil,
        users={
            "anonymous": None,
            "pupil": pupil_user,
            "teacher_a": teacher_a,
            "teacher_b": teacher_b,
            "company": contact,
            "programme": manager,
        },
    )
