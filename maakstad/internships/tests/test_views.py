from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from maakstad.core.testing.factories import GuardianFactory, OrganisationFactory, PupilFactory
from maakstad.internships import services
from maakstad.internships.models import AdWeek, Application, LinkPurpose, Status
from maakstad.internships.testing import make_ad, monday
from maakstad.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db

SECRETS = ("Zwartkop", "geheim-ouder@example.test", "L-SECRET-9", "3Kgeheim")


def _private_pupil(chain: Any) -> None:
    pupil = chain.world.pupil
    pupil.last_name = "Zwartkop"
    pupil.last_name_initial = "Z"
    pupil.external_id = "L-SECRET-9"
    pupil.class_name = "3Kgeheim"
    pupil.save()
    guardian = pupil.guardians.first()
    guardian.email = "geheim-ouder@example.test"
    guardian.name = "Mevrouw Zwartkop"
    guardian.save()


def test_company_sees_only_the_minimum(chain: Any, client: Any) -> None:
    _private_pupil(chain)
    application = chain.accept(chain.to_company())
    client.force_login(chain.company_user)
    pages = [
        reverse("internships:application_detail", args=[application.pk]),
        reverse("internships:applications"),
        reverse("internships:company_ads"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)
    detail = client.get(pages[0]).content.decode()
    assert "Sanne Z." in detail
    assert "Vmbo" in detail or "A" in detail  # school
    assert "Ik wil graag leren lassen." in detail
    # The school, by contrast, sees the history with the class.
    client.force_login(chain.mentor)
    body = client.get(pages[0]).content.decode()
    assert "3Kgeheim" in body and "Verloop" in body


def test_company_decide_page_is_minimal(chain: Any, client: Any) -> None:
    _private_pupil(chain)
    application = chain.to_company()
    client.force_login(chain.company_user)
    body = client.get(reverse("internships:application_company", args=[application.pk])).content
    for secret in SECRETS:
        assert secret.encode() not in body


def test_company_does_not_see_application_before_guardians(chain: Any, client: Any) -> None:
    application = chain.apply()
    client.force_login(chain.company_user)
    response = client.get(reverse("internships:application_detail", args=[application.pk]))
    assert response.status_code == 404


def test_pupil_sees_only_fitting_ads(chain: Any, client: Any) -> None:
    make_ad(chain.world.company, title="Alleen voor pro", school_kinds_mask=0b100)
    make_ad(chain.world.company, title="Verleden", weeks=[(monday(-3), 2)])
    client.force_login(chain.pupil_user)
    body = client.get(reverse("internships:ads")).content.decode()
    assert "Lassen bij ons bedrijf" in body
    assert "Alleen voor pro" not in body
    assert "Verleden" not in body
    # A pupil cannot widen the audience through the query string.
    body = client.get(reverse("internships:ads") + "?school_kind=pro").content.decode()
    assert "Alleen voor pro" not in body


def test_staff_filters(chain: Any, client: Any) -> None:
    make_ad(chain.world.company, title="Alleen voor pro", school_kinds_mask=0b100)
    make_ad(chain.world.company, title="Alleen voor vmbo", school_kinds_mask=0b10)
    client.force_login(chain.mentor)
    body = client.get(reverse("internships:ads") + "?school_kind=pro").content.decode()
    assert "Alleen voor pro" in body and "Alleen voor vmbo" not in body
    assert "Lassen bij ons bedrijf" in body  # no restriction: fits everyone
    week = chain.week(1).week_start
    body = client.get(reverse("internships:ads") + f"?week={week:%Y-%m-%d}").content.decode()
    assert "Lassen bij ons bedrijf" in body
    body = client.get(reverse("internships:ads") + "?week=2020-01-06").content.decode()
    assert "Lassen bij ons bedrijf" not in body
    body = client.get(reverse("internships:ads") + "?max_km=5").content.decode()
    assert "Lassen bij ons bedrijf" in body and " km" in body


def test_ad_list_query_count(chain: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    for n in range(12):
        make_ad(chain.world.company, title=f"Stage {n}")
    client.force_login(chain.pupil_user)
    client.get(reverse("internships:ads"))  # warm the session
    with django_assert_max_num_queries(14):
        response = client.get(reverse("internships:ads"))
    assert response.content.decode().count('class="card"') == 13


def test_application_list_query_count(
    chain: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for _n in range(8):
        pupil = PupilFactory.create(school=chain.world.school_a, leerjaar=3)
        GuardianFactory.create(pupil=pupil)
        chain.apply(pupil=pupil)
    client.force_login(chain.mentor)
    client.get(reverse("internships:applications"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("internships:applications"))
    assert response.status_code == 200
    assert response.content.decode().count("Lassen bij ons bedrijf") == 8


def test_pupil_applies_through_the_form(chain: Any, client: Any) -> None:
    client.force_login(chain.pupil_user)
    url = reverse("internships:apply", args=[chain.ad.pk])
    response = client.post(url, {"motivation": "", "weeks": []})
    assert response.status_code == 200
    assert (
        "Dit veld is verplicht" in response.content.decode()
        or "errorlist" in response.content.decode()
    )
    response = client.post(url, {"motivation": "Ik wil lassen", "weeks": [chain.week(0).pk]})
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.status == Status.SUBMITTED


def test_pupil_outside_audience_sees_dutch_message(chain: Any, client: Any) -> None:
    ad = make_ad(chain.world.company, school_kinds_mask=0b100)
    client.force_login(chain.pupil_user)
    response = client.post(
        reverse("internships:apply", args=[ad.pk]),
        {"motivation": "Graag", "weeks": [ad.weeks.first().pk]},  # type: ignore[union-attr]
    )
    assert "niet bedoeld voor leerlingen van jouw soort school" in response.content.decode()
    assert not Application.objects.exists()


def test_company_accepts_through_the_form(chain: Any, client: Any) -> None:
    application = chain.to_company()
    client.force_login(chain.company_user)
    week = chain.week(0)
    response = client.post(
        reverse("internships:application_company", args=[application.pk]),
        {
            "action": "accept",
            "week": week.pk,
            "days": [0, 1, 2],
            "starts_at": "09:00",
            "ends_at": "15:00",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED
    pdf = client.get(reverse("internships:agreement", args=[application.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_company_decline_needs_message(chain: Any, client: Any) -> None:
    application = chain.to_company()
    client.force_login(chain.company_user)
    response = client.post(
        reverse("internships:application_company", args=[application.pk]), {"action": "decline"}
    )
    assert response.status_code == 200
    assert "Geef een reden" in response.content.decode()


def test_guardian_page_once(chain: Any, client: Any) -> None:
    application = chain.apply()
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    token = chain.token(application)
    url = reverse("internships:guardian", args=[token])
    body = client.get(url).content.decode()
    assert "Sanne" in body and "Lassen bij ons bedrijf" in body
    response = client.post(url, {"decision": "approve"})
    assert "Uw toestemming is vastgelegd" in response.content.decode()
    # Decided once: the link now only offers to cancel (with a reason) until the confirmation.
    again = client.get(url).content.decode()
    assert "Besluit versturen" not in again and "Stage annuleren" in again
    client.post(url, {"decision": "reject", "reason": "toch niet"})
    application.refresh_from_db()
    assert application.status == Status.AWAITING_COMPANY


def test_guardian_cancels_between_approval_and_confirmation(
    chain: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from maakstad.core.models import AuditEntry

    application = chain.apply()
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    token = chain.token(application)
    url = reverse("internships:guardian", args=[token])
    client.post(url, {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == Status.AWAITING_COMPANY
    response = client.post(url, {"actie": "annuleren", "reason": ""})
    assert response.status_code == 200 and "reden" in response.content.decode().lower()
    application.refresh_from_db()
    assert application.status == Status.AWAITING_COMPANY
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"actie": "annuleren", "reason": "Toch geen tijd"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.CANCELLED
    assert AuditEntry.objects.filter(
        object_id=str(application.pk),
        actor_label=services.GUARDIAN_LABEL,
        action__contains="cancel",
    ).exists()
    assert any(m.subject == "Stage-aanmelding geannuleerd" for m in mail.outbox)
    # Cancelled: nothing left to do with the link.
    assert client.get(url).status_code == 410


def test_guardian_who_rejected_cannot_cancel_through_the_link(chain: Any, client: Any) -> None:
    application = chain.apply()
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    token = chain.token(application)
    services.guardian_decide(token=token, approve=False, reason="Nee")
    assert client.get(reverse("internships:guardian", args=[token])).status_code == 410
    with pytest.raises(services.LinkError):
        services.guardian_cancel_link(token)


def test_guardian_page_tampered_and_expired(chain: Any, client: Any) -> None:
    application = chain.apply()
    token = chain.token(application)
    assert client.get(reverse("internships:guardian", args=[token[:-2] + "zz"])).status_code == 404
    application.links.update(expires_at=application.created_at)
    assert client.get(reverse("internships:guardian", args=[token])).status_code == 410


def test_guardian_page_shows_only_that_child(chain: Any, client: Any) -> None:
    sibling = PupilFactory.create(
        school=chain.world.school_a,
        first_name="Broertje",
        leerjaar=3,
        profile=chain.world.pupil.profile,
    )
    GuardianFactory.create(pupil=sibling, email="ouder@a.test")
    mine = chain.apply()
    theirs = chain.apply(pupil=sibling, week_index=1)
    body = client.get(reverse("internships:guardian", args=[chain.token(mine)])).content.decode()
    assert "Sanne" in body and "Broertje" not in body
    # The sibling's link decides only the sibling's application.
    services.application_mentor_decide(application=theirs, approve=True, actor=chain.mentor)
    services.application_mentor_decide(application=mine, approve=True, actor=chain.mentor)
    client.post(
        reverse("internships:guardian", args=[chain.token(theirs)]), {"decision": "approve"}
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.status == Status.AWAITING_COMPANY
    assert mine.status == Status.AWAITING_GUARDIAN


def test_guardian_agreement_link(chain: Any, client: Any) -> None:
    application = chain.accept(chain.to_company())
    token = services._new_link(
        application, application.pupil.guardians.first(), LinkPurpose.AGREEMENT, 90
    )
    response = client.get(reverse("internships:guardian_agreement", args=[token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # An approval token does not open the agreement.
    approval = chain.token(application)
    assert client.get(reverse("internships:guardian_agreement", args=[approval])).status_code == 404


def test_ad_form_line_errors(world: Any, client: Any) -> None:
    client.force_login(world.user("company"))
    data = {
        "title": "Lassen",
        "summary": "Kort",
        "pupil_activities": "x",
        "skills": "x",
        "tasks": "x",
        "days": 3,
        "day_starts": "08:30",
        "day_ends": "15:00",
        "supervisor_name": "Piet",
        "location": world.company.locations.first().pk,
        "weeks": f"{monday(2):%d-%m-%Y} 2\nvolgende week 3",
        "publish": "on",
    }
    response = client.post(reverse("internships:ad_create"), data)
    assert "Regel 2" in response.content.decode()
    data["weeks"] = f"{monday(2):%d-%m-%Y} 2\n{monday(3):%d-%m-%Y} 1"
    response = client.post(reverse("internships:ad_create"), data)
    assert response.status_code == 302
    assert AdWeek.objects.count() == 2


def test_mentor_applies_for_pupil_through_form(chain: Any, client: Any) -> None:
    client.force_login(chain.mentor)
    response = client.post(
        reverse("internships:apply", args=[chain.ad.pk]),
        {"pupil": chain.world.pupil.pk, "motivation": "Hij wil graag", "weeks": [chain.week(0).pk]},
    )
    assert response.status_code == 302
    assert Application.objects.get().on_behalf


def test_vso_pupil_sees_vso_ad(world: Any, client: Any) -> None:
    vso = OrganisationFactory.create(region=world.region, kind=OrganisationKind.VSO)
    from maakstad.core.testing.factories import UserFactory

    user = UserFactory.create()
    PupilFactory.create(school=vso, leerweg=None, leerjaar=2, user=user)
    make_ad(world.company, title="Voor vso", school_kinds_mask=0b1000)
    make_ad(world.company, title="Alleen KB", leerwegen=[world.pupil.leerweg])
    client.force_login(user)
    body = client.get(reverse("internships:ads")).content.decode()
    assert "Voor vso" in body and "Alleen KB" not in body
    assert dt.date.today()  # keeps the import used


def test_guardian_cancels_from_placement_page(chain: Any, client: Any) -> None:
    application = chain.accept(chain.to_company())
    token = services._new_link(
        application, application.pupil.guardians.first(), LinkPurpose.AGREEMENT, 90
    )
    url = reverse("internships:guardian_placement", args=[token])
    body = client.get(url).content.decode()
    assert "Sanne" in body and "Stageovereenkomst (pdf)" in body
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"reason": "Ziek geworden"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CANCELLED
    assert application.events.last().actor_label == services.GUARDIAN_LABEL  # type: ignore[union-attr]
    assert chain.week(0).places_taken == 0


def test_reflection_and_assessment_after_last_day(chain: Any, client: Any) -> None:
    from django.db.models import F

    from maakstad.internships.models import PlacementDay

    application = chain.accept(chain.to_company())
    detail = reverse("internships:application_detail", args=[application.pk])
    client.force_login(chain.pupil_user)
    assert "Reflectie invullen" not in client.get(detail).content.decode()
    PlacementDay.objects.filter(application=application).update(
        date=F("date") - dt.timedelta(days=21)
    )
    assert "Reflectie invullen" in client.get(detail).content.decode()
    response = client.post(
        reverse("internships:reflection", args=[application.pk]),
        {"rating": 4, "learned": "Veilig lassen", "would_choose_technology": "on"},
    )
    assert response.status_code == 302
    client.force_login(chain.company_user)
    assert "Beoordeling invullen" in client.get(detail).content.decode()
    response = client.post(
        reverse("internships:assessment", args=[application.pk]),
        {"rating": 5, "hours": "18", "comments": "Top"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    assert application.reflection.would_choose_technology
    assert application.assessment.hours == 18


def test_company_list_query_count(
    chain: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for _n in range(6):
        pupil = PupilFactory.create(
            school=chain.world.school_a, leerjaar=3, profile=chain.world.pupil.profile
        )
        GuardianFactory.create(pupil=pupil)
        chain.to_company(chain.apply(pupil=pupil, week_index=1))
    client.force_login(chain.company_user)
    for url in (reverse("internships:applications"), reverse("internships:company_ads")):
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.content.decode().count("/stages/aanmeldingen/") >= 6
