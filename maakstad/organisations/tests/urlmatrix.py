from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, Outcomes, expect
from maakstad.core.testing.world import World
from maakstad.organisations.models import Membership, Role, Term

# Writes on an organisation: its own admins and the programme office.
MANAGE_A: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": OK,
    "teacher_b": DENIED,
    "company": DENIED,
    "programme": OK,
}


def _school_a(w: World) -> dict[str, int]:
    return {"pk": w.school_a.pk}


def _location(w: World) -> dict[str, int]:
    return {"pk": w.school_a.pk, "location_pk": w.school_a.locations.get().pk}


def _membership(w: World) -> dict[str, int]:
    membership = Membership.objects.get(organisation=w.school_a, role=Role.MENTOR)
    return {"pk": w.school_a.pk, "membership_pk": membership.pk}


EXPECTATIONS = {
    "organisations:list": expect(
        anonymous=LOGIN, pupil=DENIED, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    # Profiles are visible to all staff in the region (the contact directory depends on it).
    "organisations:detail": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=OK,
        programme=OK,
        kwargs=_school_a,
    ),
    "organisations:edit": expect(**MANAGE_A, kwargs=_school_a),
    "organisations:location_add": expect(**MANAGE_A, kwargs=_school_a),
    "organisations:location_edit": expect(**MANAGE_A, kwargs=_location),
    "organisations:people": expect(**MANAGE_A, kwargs=_school_a),
    "organisations:location_delete": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=REDIRECT,
        kwargs=_location,
        method="post",
    ),
    "organisations:membership_remove": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=REDIRECT,
        kwargs=_membership,
        method="post",
    ),
    # Only the school's own staff with an importing role (teacher A is admin and mentor).
    "organisations:pupil_import": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=_school_a,
    ),
    "organisations:import_template": expect(
        anonymous=LOGIN, pupil=OK, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    "organisations:pupils": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=DENIED,
        programme=DENIED,
    ),
    "organisations:pupil": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=lambda w: {"pk": w.pupil.pk},
    ),
    "organisations:pupil_export": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=lambda w: {"pk": w.pupil.pk},
    ),
    "organisations:pupil_anonymise": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        method="post",
        kwargs=lambda w: {"pk": w.pupil.pk},
        data=lambda w: {"bevestig": "ja"},
    ),
    "organisations:terms": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
    ),
    "organisations:term_edit": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
        kwargs=lambda w: {"term_pk": Term.objects.get(taxonomy="profile", code="PIE").pk},
    ),
}
