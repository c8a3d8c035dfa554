"""factory_boy factories for the foundation models. Apps add their own next to their tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from maakstad.accounts.models import User
from maakstad.organisations.models import (
    Guardian,
    Location,
    Membership,
    Organisation,
    OrganisationKind,
    Pupil,
    Region,
    Role,
    SchoolYear,
    Term,
)


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = "techtown"
    name = "TechTown"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    kind = OrganisationKind.VMBO
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    subregion = "zuid"


class LocationFactory(factory.django.DjangoModelFactory[Location]):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Hoofdlocatie"
    street = factory.Sequence(lambda n: f"Teststraat {n + 1}")
    postcode = "3011 AB"
    city = "Rotterdam"
    latitude = Decimal("51.920000")
    longitude = Decimal("4.480000")
    is_main = True


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.django.Password("maakstad-test")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.TEACHER


class PupilFactory(factory.django.DjangoModelFactory[Pupil]):
    class Meta:
        model = Pupil

    school = factory.SubFactory(OrganisationFactory)
    external_id = factory.Sequence(lambda n: f"L{n:06d}")
    first_name = factory.Sequence(lambda n: f"Leerling{n}")
    last_name_initial = "J"
    class_name = "2B"
    leerjaar = 2
    leerweg = factory.LazyFunction(lambda: Term.objects.leerwegen().get(code="KB"))


class GuardianFactory(factory.django.DjangoModelFactory[Guardian]):
    class Meta:
        model = Guardian

    pupil = factory.SubFactory(PupilFactory)
    name = factory.Sequence(lambda n: f"Ouder {n}")
    email = factory.Sequence(lambda n: f"ouder{n}@example.test")


def school_year_for(day: dt.date) -> SchoolYear:
    return SchoolYear.for_date(day)
