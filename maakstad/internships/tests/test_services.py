from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from maakstad.attendance.models import Session, SessionStatus
from maakstad.core.models import Notification
from maakstad.core.testing.factories import (
    GuardianFactory,
    MembershipFactory,
    OrganisationFactory,
    PupilFactory,
)
from maakstad.internships import selectors, services
from maakstad.internships.models import (
    AdWeek,
    Agreement,
    Application,
    Approval,
    Channel,
    DayState,
    GuardianLink,
    Party,
    PlacementDay,
    SchoolInternshipSettings,
    Status,
)
from maakstad.internships.testing import make_ad, monday
from maakstad.organisations.models import OrganisationKind, Term

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


# --- Audience and applying ---------------------------------------------------------------------


def test_pupil_outside_school_kind_cannot_apply(chain: Any) -> None:
    ad = make_ad(chain.world.company, school_kinds_mask=0b100)  # pro only
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            ad=ad,
            pupil=chain.world.pupil,
            motivation="Graag",
            weeks=list(ad.weeks.all()[:1]),
            actor=chain.pupil_user,
        )
    assert "soort school" in info.value.messages[0]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        ({"leerjaren_mask": 1 << 1}, "leerjaar"),
        ({"leerwegen": "BB"}, "leerweg"),
        ({"profiles": "BWI"}, "profiel"),
    ],
)
def test_audience_checks(chain: Any, offer: dict[str, Any], message: str) -> None:
    if "leerwegen" in offer:
        offer["leerwegen"] = [Term.objects.leerwegen().get(code=offer["leerwegen"])]
    if "profiles" in offer:
        offer["profiles"] = [Term.objects.profiles().get(code=offer["profiles"])]
    ad = make_ad(chain.world.company, **offer)
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            ad=ad,
            pupil=chain.world.pupil,
            motivation="x",
            weeks=list(ad.weeks.all()[:1]),
            actor=chain.pupil_user,
        )
    assert message in info.value.messages[0]


def test_pro_pupil_fits_pro_ad(chain: Any) -> None:
    pro = OrganisationFactory.create(region=chain.world.region, kind=OrganisationKind.PRO)
    pupil = PupilFactory.create(school=pro, leerweg=None, leerjaar=3)
    ad = make_ad(chain.world.company, school_kinds_mask=0b1100)  # pro + vso
    assert services.audience_problem(ad, pupil) is None
    assert services.audience_problem(ad, chain.world.pupil) is not None


def test_mentor_applies_on_behalf(chain: Any) -> None:
    application = services.application_submit(
        ad=chain.ad,
        pupil=chain.world.pupil,
        motivation="Past goed bij hem",
        weeks=[chain.week(0)],
        actor=chain.mentor,
    )
    assert application.on_behalf


def test_other_school_cannot_apply_on_behalf(chain: Any) -> None:
    with pytest.raises(ValidationError):
        services.application_submit(
            ad=chain.ad,
            pupil=chain.world.pupil,
            motivation="x",
            weeks=[chain.week(0)],
            actor=chain.world.user("teacher_b"),
        )


def test_motivation_and_weeks_required(chain: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            ad=chain.ad,
            pupil=chain.world.pupil,
            motivation=" ",
            weeks=[chain.week(0)],
            actor=chain.pupil_user,
        )
    assert "motivation" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            ad=chain.ad, pupil=chain.world.pupil, motivation="x", weeks=[], actor=chain.pupil_user
        )
    assert "weeks" in info.value.message_dict


def test_submit_notifies_mentor(chain: Any) -> None:
    chain.apply()
    assert Notification.objects.filter(recipient=chain.mentor).count() == 1


# --- The chain ---------------------------------------------------------------------------------


def test_mentor_reject_needs_reason(chain: Any) -> None:
    application = chain.apply()
    with pytest.raises(ValidationError) as info:
        services.application_mentor_decide(
            application=application, approve=False, actor=chain.mentor
        )
    assert "reason" in info.value.message_dict


def test_only_mentor_of_school_decides(chain: Any) -> None:
    application = chain.apply()
    for role in ("teacher_b", "company", "pupil"):
        with pytest.raises(ValidationError):
            services.application_mentor_decide(
                application=application, approve=True, actor=chain.world.user(role)
            )


def test_mentor_approval_emails_each_guardian(
    chain: Any, django_capture_on_commit_callbacks: Any
) -> None:
    GuardianFactory.create(pupil=chain.world.pupil, email="tweede@example.test")
    application = chain.apply()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_mentor_decide(
            application=application, approve=True, actor=chain.mentor
        )
    guardian_mails = [m for m in mail.outbox if "Toestemming" in m.subject]
    assert sorted(m.to[0] for m in guardian_mails) == ["ouder@a.test", "tweede@example.test"]
    assert GuardianLink.objects.filter(application=application).count() == 2
    for message in guardian_mails:
        assert "/stages/ouder/" in message.body
        # No personal data in the link itself.
        url = next(line for line in message.body.splitlines() if "/stages/ouder/" in line)
        assert (
            "Sanne" not in url
            and str(application.pk) not in url.split("/stages/ouder/")[1].split(":")[1:]
        )


def test_one_guardian_suffices_by_default(chain: Any) -> None:
    second = GuardianFactory.create(pupil=chain.world.pupil)
    application = chain.to_company()
    assert application.status == Status.AWAITING_COMPANY
    assert second.pk  # the other guardian did not need to decide


def test_school_can_require_all_guardians(chain: Any) -> None:
    second = GuardianFactory.create(pupil=chain.world.pupil)
    services.school_settings_update(
        school=chain.world.school_a, require_all_guardians=True, actor=chain.mentor
    )
    application = chain.apply()
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    services.guardian_decide(token=chain.token(application), approve=True)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_GUARDIAN
    services.guardian_decide(token=chain.token(application, second), approve=True)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_COMPANY
    approvals = Approval.objects.filter(application=application, party=Party.GUARDIAN)
    assert approvals.count() == 2
    assert all(a.channel == Channel.EMAIL_LINK and a.created_at for a in approvals)
    assert SchoolInternshipSettings.objects.get().require_all_guardians


def test_confirmation_takes_place_schedules_sessions_and_makes_agreement(chain: Any) -> None:
    application = chain.accept(chain.to_company())
    assert application.status == Status.CONFIRMED
    week = chain.week(0)
    assert week.places_taken == 1
    days = list(application.days.filter(state=DayState.PLANNED))
    assert len(days) == 3
    sessions = Session.objects.filter(source_id=application.pk, category="internship")
    assert sessions.count() == 3
    assert all(s.provider_id == chain.world.company.pk for s in sessions)
    assert sessions.first().attendances.get().pupil_id == chain.world.pupil.pk  # type: ignore[union-attr]
    text = pdf_text(bytes(Agreement.objects.get(application=application).pdf))
    assert "Sanne" in text
    for day in days:
        assert day.date.strftime("%d-%m-%Y") in text
    assert "Piet Begeleider" in text and "verzekerd" in text
    assert "Mentor" in text and "Link in e-mail" in text


def test_accept_requires_a_preferred_week(chain: Any) -> None:
    application = chain.to_company()
    with pytest.raises(ValidationError) as info:
        chain.accept(application, week_index=1)
    assert "week" in info.value.message_dict


def test_proposal_then_accept(chain: Any) -> None:
    application = chain.to_company()
    week = chain.week(1)
    services.application_company_decide(
        application=application,
        action="propose",
        actor=chain.company_user,
        week=week,
        dates=chain.dates(week, 2),
        starts=dt.time(8),
        ends=dt.time(12),
        message="Liever week 2",
    )
    application.refresh_from_db()
    assert application.status == Status.DAYS_PROPOSED
    week.refresh_from_db()
    assert week.places_taken == 0
    services.application_proposal_accept(application=application, actor=chain.pupil_user)
    application.refresh_from_db()
    week.refresh_from_db()
    assert application.status == Status.CONFIRMED and application.week == week
    assert week.places_taken == 1


def test_last_place_cannot_be_taken_twice(chain: Any) -> None:
    other = PupilFactory.create(
        school=chain.world.school_a, leerjaar=3, profile=chain.world.pupil.profile
    )
    GuardianFactory.create(pupil=other)
    first = chain.to_company()
    second = chain.to_company(
        services.application_submit(
            ad=chain.ad, pupil=other, motivation="x", weeks=[chain.week(1)], actor=chain.mentor
        )
    )
    # Week index 1 has one place.
    services.application_company_decide(
        application=second,
        action="accept",
        actor=chain.company_user,
        week=chain.week(1),
        dates=chain.dates(chain.week(1)),
        starts=dt.time(9),
        ends=dt.time(15),
    )
    first.preferred_weeks.add(chain.week(1))
    with pytest.raises(ValidationError) as info:
        services.application_company_decide(
            application=first,
            action="accept",
            actor=chain.company_user,
            week=chain.week(1),
            dates=chain.dates(chain.week(1)),
            starts=dt.time(9),
            ends=dt.time(15),
        )
    assert "vol" in info.value.message_dict["week"][0]
    assert chain.week(1).places_taken == 1


def test_database_refuses_more_taken_than_places(chain: Any) -> None:
    with pytest.raises(IntegrityError):
        AdWeek.objects.filter(pk=chain.week(1).pk).update(places_taken=5)


def test_no_two_overlapping_placements(chain: Any) -> None:
    chain.accept(chain.to_company())
    other_ad = make_ad(
        chain.world.company, title="Installeren", weeks=[(chain.week(0).week_start, 3)]
    )
    # Applying for a week with a placement is refused ...
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            ad=other_ad,
            pupil=chain.world.pupil,
            motivation="x",
            weeks=[other_ad.weeks.get()],
            actor=chain.pupil_user,
        )
    assert "al een stage" in info.value.message_dict["weeks"][0]
    # ... and the database backs it.
    with pytest.raises(IntegrityError):
        PlacementDay.objects.create(
            application=Application.objects.get(),
            pupil=chain.world.pupil,
            date=chain.week(0).week_start,
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            state=DayState.PLANNED,
        )


def test_confirm_refuses_overlap_with_other_placement(chain: Any) -> None:
    other_ad = make_ad(
        chain.world.company, title="Installeren", weeks=[(chain.week(0).week_start, 3)]
    )
    second = chain.to_company(
        services.application_submit(
            ad=other_ad,
            pupil=chain.world.pupil,
            motivation="x",
            weeks=[other_ad.weeks.get()],
            actor=chain.pupil_user,
        )
    )
    chain.accept(chain.to_company())
    week = other_ad.weeks.get()
    with pytest.raises(ValidationError) as info:
        services.application_company_decide(
            application=second,
            action="accept",
            actor=chain.company_user,
            week=week,
            dates=chain.dates(week),
            starts=dt.time(9),
            ends=dt.time(15),
        )
    assert "days" in info.value.message_dict
    week.refresh_from_db()
    assert week.places_taken == 0  # nothing half-saved


def test_cancel_releases_place_and_sessions(chain: Any) -> None:
    application = chain.accept(chain.to_company())
    services.application_cancel(application=application, reason="Ziek", actor=chain.company_user)
    application.refresh_from_db()
    assert application.status == Status.CANCELLED
    assert chain.week(0).places_taken == 0
    assert not application.days.filter(state=DayState.PLANNED).exists()
    assert set(Session.objects.values_list("status", flat=True)) == {SessionStatus.CANCELLED}


def test_cancel_needs_reason_and_a_party(chain: Any) -> None:
    application = chain.apply()
    with pytest.raises(ValidationError):
        services.application_cancel(application=application, reason="", actor=chain.pupil_user)
    with pytest.raises(ValidationError):
        services.application_cancel(
            application=application, reason="x", actor=chain.world.user("teacher_b")
        )
    # The company is not a party before the guardians approved.
    with pytest.raises(ValidationError):
        services.application_cancel(application=application, reason="x", actor=chain.company_user)


# --- Guardian links ----------------------------------------------------------------------------


def test_guardian_link_works_once(chain: Any) -> None:
    application = chain.apply()
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    token = chain.token(application)
    assert (
        services.guardian_link_resolve(token, purpose="approval").application_id == application.pk
    )
    services.guardian_decide(token=token, approve=True)
    with pytest.raises(services.LinkError) as info:
        services.guardian_decide(token=token, approve=False, reason="toch niet")
    assert info.value.code == "used"


def test_guardian_link_expired(chain: Any) -> None:
    application = chain.apply()
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    token = chain.token(application)
    GuardianLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.LinkError) as info:
        services.guardian_decide(token=token, approve=True)
    assert info.value.code == "expired"


def test_guardian_link_signature_expires(chain: Any, settings: Any) -> None:
    application = chain.apply()
    token = chain.token(application)
    later = timezone.now() + dt.timedelta(days=services.APPROVAL_LINK_DAYS + 1)
    import time as time_module

    real = time_module.time
    try:
        time_module.time = lambda: later.timestamp()  # type: ignore[assignment]
        with pytest.raises(services.LinkError) as info:
            services.guardian_link_resolve(token, purpose="approval")
    finally:
        time_module.time = real  # type: ignore[assignment]
    assert info.value.code == "expired"


@pytest.mark.parametrize("tamper", ["swap-last", "other-raw", "garbage"])
def test_guardian_link_tampered(chain: Any, tamper: str) -> None:
    application = chain.apply()
    token = chain.token(application)
    raw, _ts, sig = token.split(":")
    if tamper == "swap-last":
        bad = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif tamper == "other-raw":
        bad = f"{'x' * len(raw)}:{_ts}:{sig}"
    else:
        bad = "nonsense"
    with pytest.raises(services.LinkError) as info:
        services.guardian_link_resolve(bad, purpose="approval")
    assert info.value.code == "invalid"


def test_approval_link_cannot_fetch_agreement(chain: Any) -> None:
    token = chain.token(chain.apply())
    with pytest.raises(services.LinkError):
        services.guardian_link_resolve(token, purpose="agreement")


def test_only_hash_of_token_is_stored(chain: Any) -> None:
    token = chain.token(chain.apply())
    raw = token.split(":")[0]
    assert not GuardianLink.objects.filter(token_hash=raw).exists()
    assert GuardianLink.objects.get().token_hash != raw


# --- Reminders and evaluation ------------------------------------------------------------------


def test_reminders_for_waiting_steps(chain: Any, django_capture_on_commit_callbacks: Any) -> None:
    application = chain.apply()
    Application.objects.filter(pk=application.pk).update(
        step_started_at=timezone.now() - dt.timedelta(days=4)
    )
    before = Notification.objects.filter(recipient=chain.mentor).count()
    assert services.reminders_send()["reminded"] == 1
    assert Notification.objects.filter(recipient=chain.mentor).count() == before + 1
    # Not again straight away.
    assert services.reminders_send()["reminded"] == 0
    # A guardian waiting gets a fresh link by e-mail.
    services.application_mentor_decide(application=application, approve=True, actor=chain.mentor)
    Application.objects.filter(pk=application.pk).update(
        step_started_at=timezone.now() - dt.timedelta(days=4)
    )
    links = GuardianLink.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    assert GuardianLink.objects.count() == links + 1
    assert mail.outbox[-1].to == ["ouder@a.test"]


def test_after_last_day_completes_and_asks_for_evaluation(chain: Any) -> None:
    application = chain.accept(chain.to_company())
    PlacementDay.objects.filter(application=application).update(
        date=F("date") - dt.timedelta(days=21)
    )
    call_command("send_internship_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    assert Notification.objects.filter(
        recipient=chain.pupil_user, subject="Hoe was je stage?"
    ).exists()
    assert Notification.objects.filter(
        recipient=chain.company_user, subject="Korte beoordeling van de stage"
    ).exists()
    services.reflection_submit(
        application=application,
        rating=4,
        learned="Lassen",
        would_choose_technology=True,
        actor=chain.pupil_user,
    )
    services.assessment_submit(
        application=application, rating=5, comments="Top", hours=18, actor=chain.company_user
    )
    assert application.reflection.rating == 4
    assert application.assessment.hours == 18


def test_evaluation_not_before_last_day(chain: Any) -> None:
    application = chain.accept(chain.to_company())
    with pytest.raises(ValidationError):
        services.reflection_submit(
            application=application,
            rating=4,
            learned="x",
            would_choose_technology=False,
            actor=chain.pupil_user,
        )


# --- Ads ---------------------------------------------------------------------------------------


def _ad_data(**extra: Any) -> services.AdData:
    values: dict[str, Any] = {
        "title": "Lassen",
        "summary": "Kort",
        "pupil_activities": "Lassen",
        "skills": "Lassen",
        "knowledge": "",
        "tasks": "Meehelpen",
        "days": 3,
        "day_starts": dt.time(8, 30),
        "day_ends": dt.time(15),
        "requirements": "",
        "supervisor_name": "Piet",
        "supervisor_phone": "",
        "how_to_get_there": "",
        "school_kinds_mask": 0,
        "leerjaren_mask": 0,
        "leerwegen": [],
        "profiles": [],
        "location": None,
        "publish": True,
    }
    values.update(extra)
    return services.AdData(**values)


def test_company_publishes_and_edits_ad(world: Any) -> None:
    actor = world.user("company")
    ad = services.ad_save(
        provider=world.company, data=_ad_data(), weeks=[(monday(2), 2)], actor=actor
    )
    assert ad.offer.activity_type.code == "verdiepende-stage"
    assert ad.offer.status == "published"
    ad = services.ad_save(
        provider=world.company,
        data=_ad_data(title="Nieuw"),
        weeks=[(monday(2), 3), (monday(4), 1)],
        actor=actor,
        ad=ad,
    )
    assert ad.offer.title == "Nieuw"
    assert [w.places for w in ad.weeks.order_by("week_start")] == [3, 1]


def test_ad_validation(world: Any) -> None:
    actor = world.user("company")
    with pytest.raises(ValidationError) as info:
        services.ad_save(provider=world.company, data=_ad_data(days=6), weeks=[], actor=actor)
    assert "days" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.ad_save(
            provider=world.company,
            data=_ad_data(),
            weeks=[(monday(2) + dt.timedelta(days=1), 1)],
            actor=actor,
        )
    assert "weeks" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.ad_save(
            provider=world.company,
            data=_ad_data(),
            weeks=[(monday(2), 1)],
            actor=world.user("teacher_a"),
        )


def test_week_with_placement_cannot_shrink(chain: Any) -> None:
    chain.accept(chain.to_company())
    with pytest.raises(ValidationError):
        services.ad_save(
            provider=chain.world.company,
            data=_ad_data(),
            weeks=[(chain.week(1).week_start, 1)],
            actor=chain.company_user,
            ad=chain.ad,
        )


def test_monitoring_figures(chain: Any) -> None:
    application = chain.accept(chain.to_company())
    pro = OrganisationFactory.create(region=chain.world.region, kind=OrganisationKind.PRO)
    pro_pupil = PupilFactory.create(school=pro, leerweg=None, leerjaar=3)
    GuardianFactory.create(pupil=pro_pupil)
    MembershipFactory.create(organisation=pro, role="mentor", user=chain.mentor)
    chain.mentor.__dict__.pop("_maakstad_memberships", None)  # memberships are cached per request
    second = services.application_submit(
        ad=chain.ad, pupil=pro_pupil, motivation="x", weeks=[chain.week(0)], actor=chain.mentor
    )
    chain.accept(chain.to_company(second))
    chain.apply(pupil=PupilFactory.create(school=chain.world.school_a, leerjaar=3), week_index=1)
    week = chain.week(0).week_start
    figures = selectors.monitoring_figures(
        chain.world.region.pk, starts_on=week, ends_on=week + dt.timedelta(days=6)
    )
    assert figures["companies_hosting"] == 1
    assert figures["pupils_placed"] == 2
    assert figures["pro_vso_pupils_placed"] == 1
    assert figures["planned_hours"] == 2 * 3 * 6.0
    assert application.status == Status.CONFIRMED
    outside = selectors.monitoring_figures(
        chain.world.region.pk,
        starts_on=week - dt.timedelta(days=30),
        ends_on=week - dt.timedelta(days=1),
    )
    assert outside["pupils_placed"] == 0 and outside["planned_hours"] == 0


def test_cancel_tells_guardians(chain: Any, django_capture_on_commit_callbacks: Any) -> None:
    application = chain.to_company()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_cancel(application=application, reason="Ziek", actor=chain.pupil_user)
    assert any(m.to == ["ouder@a.test"] and "geannuleerd" in m.body for m in mail.outbox)
