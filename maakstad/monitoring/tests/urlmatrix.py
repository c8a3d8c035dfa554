from typing import Any

from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, Expect, expect
from maakstad.core.testing.world import World
from maakstad.monitoring.testing import programme_for, school_report_for

PROGRAMME_ONLY: dict[str, str] = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": DENIED,
    "teacher_b": DENIED,
    "company": DENIED,
    "programme": OK,
}


def _programme_only(**extra: Any) -> Expect:
    return Expect(outcomes=dict(PROGRAMME_ONLY), **extra)


def _milestone_pk(w: World) -> dict[str, int]:
    programme = programme_for(w)
    milestone = programme.milestones.create(
        key="x-1",
        code="x",
        action_line=programme.action_lines.get(number=1),
        description="x",
        target_year=2026,
        target_quarter=4,
    )
    return {"pk": milestone.pk}


EXPECTATIONS = {
    "monitoring:dashboard": _programme_only(setup=programme_for),
    "monitoring:milestones": _programme_only(setup=programme_for),
    "monitoring:indicator": _programme_only(
        setup=programme_for, kwargs=lambda w: {"code": "pupils_reached"}
    ),
    "monitoring:budget": _programme_only(setup=programme_for),
    "monitoring:impact": _programme_only(setup=programme_for),
    # Only the school's own reporting staff upload its pupils' follow-up choices.
    "monitoring:follow_up_upload": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        method="post",
        kwargs=lambda w: {"pk": school_report_for(w).pk},
    ),
    "monitoring:action_line": _programme_only(setup=programme_for, kwargs=lambda w: {"number": 2}),
    # School staff see their own school's dashboard; the programme office every school's.
    "monitoring:school_dashboards": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=DENIED,
        programme=OK,
        setup=programme_for,
    ),
    "monitoring:school_dashboard": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
        setup=programme_for,
        kwargs=lambda w: {"pk": w.school_a.pk},
    ),
    "monitoring:report_pdf": _programme_only(setup=programme_for),
    "monitoring:report_xlsx": _programme_only(setup=programme_for),
    "monitoring:milestone_achieved": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=REDIRECT,
        method="post",
        kwargs=_milestone_pk,
    ),
    "monitoring:milestone_responsible": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=REDIRECT,
        method="post",
        kwargs=_milestone_pk,
    ),
    # School staff go straight to their own school's report.
    "monitoring:school_reports": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=DENIED,
        programme=OK,
        setup=programme_for,
    ),
    "monitoring:school_report": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
        kwargs=lambda w: {"pk": school_report_for(w).pk},
    ),
    "monitoring:school_report_review": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=REDIRECT,
        method="post",
        data=lambda w: {"decision": "accept"},
        kwargs=lambda w: {"pk": school_report_for(w).pk},
    ),
}
