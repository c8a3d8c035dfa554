from __future__ import annotations

from typing import Any

from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, expect
from maakstad.core.testing.world import World
from maakstad.internships import services
from maakstad.internships.models import Agreement, Application, LinkPurpose, Status
from maakstad.internships.testing import make_ad


def _ad(w: World) -> dict[str, Any]:
    return {"pk": make_ad(w.company).pk}


def _application(w: World, status: str = Status.AWAITING_COMPANY) -> Application:
    ad = make_ad(w.company)
    application = Application.objects.create(
        ad=ad, pupil=w.pupil, motivation="Ik wil lassen.", status=status, reached_company=True
    )
    application.preferred_weeks.set(ad.weeks.all()[:1])
    return application


def _app(status: str = Status.AWAITING_COMPANY, *, agreement: bool = False) -> Any:
    def kwargs(w: World) -> dict[str, Any]:
        application = _application(w, status)
        if agreement:
            Agreement.objects.create(application=application, pdf=b"%PDF-1.4 test")
        return {"pk": application.pk}

    return kwargs


def _token(purpose: str) -> Any:
    def kwargs(w: World) -> dict[str, Any]:
        application = _application(w, Status.AWAITING_GUARDIAN)
        if purpose == LinkPurpose.AGREEMENT:
            Agreement.objects.create(application=application, pdf=b"%PDF-1.4 test")
        guardian = w.pupil.guardians.get()
        return {"token": services._new_link(application, guardian, purpose, 14)}

    return kwargs


def _company_only(**extra: Any) -> Any:
    return expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=OK,
        programme=DENIED,
        **extra,
    )


EXPECTATIONS = {
    "internships:ads": expect(
        anonymous=LOGIN, pupil=OK, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    "internships:ad_detail": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=OK,
        teacher_b=OK,
        company=OK,
        programme=OK,
        kwargs=_ad,
    ),
    "internships:ad_create": _company_only(),
    "internships:ad_edit": _company_only(kwargs=_ad),
    "internships:company_ads": _company_only(),
    # Pupils apply for themselves, mentors (and school admins) on behalf of their pupils.
    "internships:apply": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=OK,
        teacher_b=OK,
        company=DENIED,
        programme=DENIED,
        kwargs=_ad,
    ),
    "internships:applications": expect(
        anonymous=LOGIN, pupil=OK, teacher_a=OK, teacher_b=OK, company=OK, programme=OK
    ),
    "internships:application_detail": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=OK,
        teacher_b=DENIED,
        company=OK,
        programme=OK,
        kwargs=_app(),
    ),
    "internships:application_mentor": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=_app(Status.SUBMITTED),
        method="post",
        data=lambda w: {"decision": "approve"},
    ),
    "internships:application_company": _company_only(kwargs=_app()),
    "internships:application_proposal": expect(
        anonymous=LOGIN,
        pupil=REDIRECT,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=_app(Status.DAYS_PROPOSED),
        method="post",
    ),
    "internships:application_cancel": expect(
        anonymous=LOGIN,
        pupil=REDIRECT,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=REDIRECT,
        programme=DENIED,
        kwargs=_app(),
        method="post",
        data=lambda w: {"reason": "Ziek"},
    ),
    "internships:agreement": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=OK,
        teacher_b=DENIED,
        company=OK,
        programme=DENIED,
        kwargs=_app(Status.CONFIRMED, agreement=True),
    ),
    "internships:reflection": expect(
        anonymous=LOGIN,
        pupil=OK,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=_app(Status.COMPLETED),
    ),
    "internships:assessment": _company_only(kwargs=_app(Status.COMPLETED)),
    "internships:school_settings": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=OK,
        company=DENIED,
        programme=DENIED,
    ),
    # Guardians have no account: the signed, single-use link is the key (GET does not use it).
    "internships:guardian": expect(
        anonymous=OK,
        pupil=OK,
        teacher_a=OK,
        teacher_b=OK,
        company=OK,
        programme=OK,
        kwargs=_token(LinkPurpose.APPROVAL),
    ),
    "internships:guardian_placement": expect(
        anonymous=OK,
        pupil=OK,
        teacher_a=OK,
        teacher_b=OK,
        company=OK,
        programme=OK,
        kwargs=_token(LinkPurpose.AGREEMENT),
    ),
    "internships:guardian_agreement": expect(
        anonymous=OK,
        pupil=OK,
        teacher_a=OK,
        teacher_b=OK,
        company=OK,
        programme=OK,
        kwargs=_token(LinkPurpose.AGREEMENT),
    ),
}
