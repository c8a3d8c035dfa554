from maakstad.catalogue.testing import ActivityTypeFactory, OfferFactory
from maakstad.core.testing.matrix import (
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    Outcomes,
    everyone,
    expect,
    logged_in,
)
from maakstad.core.testing.world import World

PROVIDERS: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    # Teachers of a vmbo school may offer technology lessons to primary schools.
    "teacher_a": OK,
    "teacher_b": OK,
    "company": OK,
    "programme": OK,
}
COMPANY_OFFER: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": DENIED,
    "teacher_b": DENIED,
    "company": OK,
    "programme": OK,
}
OFFICE_ONLY: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": DENIED,
    "teacher_b": DENIED,
    "company": DENIED,
    "programme": OK,
}


def _offer(w: World) -> dict[str, int]:
    return {"pk": OfferFactory.create(provider=w.company, location=w.company.locations.first()).pk}


def _activity_type(w: World) -> dict[str, int]:
    return {"pk": ActivityTypeFactory.create(region=w.region).pk}


EXPECTATIONS = {
    "catalogue:menukaart": logged_in(OK),
    "catalogue:menukaart_mbo": logged_in(OK),
    "catalogue:geojson": logged_in(OK),
    "catalogue:detail": logged_in(OK, kwargs=_offer),
    "catalogue:create": expect(**PROVIDERS),
    "catalogue:mine": expect(**PROVIDERS),
    "catalogue:edit": expect(**COMPANY_OFFER, kwargs=_offer),
    "catalogue:status": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=REDIRECT,
        programme=REDIRECT,
        kwargs=_offer,
        method="post",
        data=lambda w: {"actie": "bevestigen"},
    ),
    "catalogue:activity_types": logged_in(OK),
    "catalogue:activity_type_create": expect(**OFFICE_ONLY),
    "catalogue:activity_type_edit": expect(**OFFICE_ONLY, kwargs=_activity_type),
}


def _token(w: World) -> dict[str, str]:
    from maakstad.catalogue.freshness import make_token

    return {"token": make_token(OfferFactory.create(provider=w.company))}


def _contact_token(w: World) -> dict[str, str]:
    from maakstad.catalogue.freshness import make_contact_token
    from maakstad.organisations.models import Membership

    return {"token": make_contact_token(Membership.objects.filter(organisation=w.company)[0])}


EXPECTATIONS.update(
    {
        "catalogue:contacts": expect(
            anonymous=LOGIN,
            pupil=DENIED,
            teacher_a=OK,
            teacher_b=OK,
            company=OK,
            programme=OK,
        ),
        "catalogue:stale": expect(**OFFICE_ONLY),
        # The signed link works without an account.
        "catalogue:still_correct": everyone(OK, kwargs=_token),
        "catalogue:contact_still_correct": everyone(OK, kwargs=_contact_token),
    }
)
