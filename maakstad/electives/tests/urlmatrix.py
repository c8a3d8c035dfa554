from typing import Any

from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, expect, logged_in
from maakstad.core.testing.world import World
from maakstad.electives.testing import electives_setup


def period(w: World) -> dict[str, Any]:
    return {"pk": electives_setup(w).period.pk}


def published(w: World) -> dict[str, Any]:
    return {"pk": electives_setup(w).published_round.pk}


def open_round(w: World) -> dict[str, Any]:
    return {"pk": electives_setup(w).open_round.pk}


def run(w: World) -> dict[str, Any]:
    return {"pk": electives_setup(w).run.pk}


def manager_only(outcome: str = OK, **extra: Any) -> Any:
    return expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=outcome,
        **extra,
    )


EXPECTATIONS = {
    "electives:guide": logged_in(),
    "electives:guide_period": logged_in(kwargs=period),
    "electives:guide_pdf": logged_in(kwargs=period),
    "electives:my": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
    ),
    "electives:rounds": expect(
        anonymous=LOGIN, pupil=DENIED, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    "electives:round_create": manager_only(),
    "electives:manage": manager_only(),
    "electives:period_create": manager_only(),
    "electives:course_create": manager_only(),
    "electives:section_create": manager_only(),
    "electives:round_detail": manager_only(kwargs=published),
    "electives:round_transition": manager_only(
        REDIRECT, kwargs=open_round, method="post", data=lambda w: {"to": "closed"}
    ),
    "electives:runs_start": manager_only(REDIRECT, kwargs=published, method="post"),
    "electives:runs_progress": manager_only(kwargs=published),
    "electives:compare": manager_only(kwargs=published),
    "electives:second_round": manager_only(
        REDIRECT,
        kwargs=published,
        method="post",
        data=lambda w: {"opens_on": "2026-01-05", "closes_on": "2026-01-12"},
    ),
    "electives:placements": manager_only(kwargs=published),
    "electives:transport": manager_only(kwargs=published),
    "electives:run_detail": manager_only(kwargs=run),
    "electives:run_publish": manager_only(REDIRECT, kwargs=run, method="post"),
    "electives:run_close_small": manager_only(REDIRECT, kwargs=run, method="post"),
    "electives:choose": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=open_round,
    ),
    # Each school's staff sees its own school; the programme office picks a school explicitly.
    "electives:round_school": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=DENIED,
        programme=DENIED,
        kwargs=published,
    ),
    "electives:round_school_remind": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=DENIED,
        programme=DENIED,
        kwargs=open_round,
        method="post",
    ),
    "electives:round_school_xlsx": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=DENIED,
        programme=DENIED,
        kwargs=published,
    ),
    "electives:pupil_choices": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=lambda w: {"pk": electives_setup(w).open_round.pk, "pupil_pk": w.pupil.pk},
    ),
    "electives:provider_sections": expect(
        anonymous=LOGIN, pupil=DENIED, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    # The roster is for the provider (here the company) and the programme office only.
    "electives:section_roster": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=OK,
        programme=OK,
        kwargs=lambda w: {"pk": electives_setup(w).published_section.pk},
    ),
}
