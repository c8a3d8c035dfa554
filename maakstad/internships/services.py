"""Every write in the internship chain (DESIGN.md §4.1, §4.5, §4.6)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.attendance.models import SessionCategory
from maakstad.attendance.services import session_schedule, sessions_cancel_for_source
from maakstad.catalogue import activity_types
from maakstad.catalogue.models import ActivityType, Offer, OfferStatus
from maakstad.core import audit
from maakstad.core.crypto import digest
from maakstad.core.notifications import absolute_url, notify, send_email_on_commit
from maakstad.internships import permissions
from maakstad.internships.models import (
    FINAL,
    MAX_DAYS,
    MIN_DAYS,
    TRANSITIONS,
    AdWeek,
    Agreement,
    Application,
    ApplicationEvent,
    Approval,
    Assessment,
    Channel,
    DayState,
    Event,
    GuardianLink,
    InternshipAd,
    LinkPurpose,
    Party,
    PlacementDay,
    Reflection,
    SchoolInternshipSettings,
    Status,
)
from maakstad.organisations.models import Guardian, Organisation, Pupil, Role

APPROVAL_LINK_DAYS = 14
AGREEMENT_LINK_DAYS = 90
REMIND_AFTER = dt.timedelta(days=3)
LINK_SALT = "maakstad.internships.guardian-link"
GUARDIAN_LABEL = "ouder/verzorger via e-maillink"


# --- Ads -------------------------------------------------------------------------------------


@dataclass
class AdData:
    title: str
    summary: str
    pupil_activities: str
    skills: str
    knowledge: str
    tasks: str
    days: int
    day_starts: dt.time
    day_ends: dt.time
    requirements: str
    supervisor_name: str
    supervisor_phone: str
    how_to_get_there: str
    school_kinds_mask: int
    leerjaren_mask: int
    leerwegen: Sequence[Any]
    profiles: Sequence[Any]
    location: Any
    publish: bool


def _check_weeks(weeks: Sequence[tuple[dt.date, int]]) -> None:
    seen: set[dt.date] = set()
    for week_start, places in weeks:
        if week_start.weekday() != 0:
            raise ValidationError({"weeks": _("Een stageweek begint op maandag.")})
        if week_start in seen:
            raise ValidationError({"weeks": _("Elke week mag maar één keer voorkomen.")})
        if places < 1:
            raise ValidationError({"weeks": _("Geef per week minstens één plaats op.")})
        seen.add(week_start)


@transaction.atomic
def ad_save(
    *,
    provider: Organisation,
    data: AdData,
    weeks: Sequence[tuple[dt.date, int]],
    actor: Any,
    ad: InternshipAd | None = None,
) -> InternshipAd:
    """Create or edit an internship ad: the catalogue offer, its internship fields and weeks."""
    if provider.pk not in permissions.company_ids(actor):
        raise ValidationError(_("Je kunt alleen advertenties van je eigen organisatie beheren."))
    if not MIN_DAYS <= data.days <= MAX_DAYS:
        raise ValidationError({"days": _("Een verdiepende stage duurt 2 tot 5 dagen.")})
    if data.day_ends <= data.day_starts:
        raise ValidationError({"day_ends": _("De eindtijd moet na de begintijd liggen.")})
    if data.location is not None and data.location.organisation_id != provider.pk:
        raise ValidationError({"location": _("Kies een vestiging van je eigen organisatie.")})
    _check_weeks(weeks)
    activity_type = ActivityType.objects.filter(
        region_id=provider.region_id, code=activity_types.VERDIEPENDE_STAGE
    ).first()
    if activity_type is None:
        activity_type = ActivityType.objects.create(
            region_id=provider.region_id,
            code=activity_types.VERDIEPENDE_STAGE,
            name=dict(activity_types.STANDARD)[activity_types.VERDIEPENDE_STAGE],
        )
    now = timezone.now()
    created = ad is None
    offer = ad.offer if ad is not None else Offer(provider=provider, activity_type=activity_type)
    before = None if created else {**audit.snapshot(offer), **audit.snapshot(ad)}  # type: ignore[arg-type]
    offer.title = data.title
    offer.summary = data.summary
    offer.pupil_activities = data.pupil_activities
    offer.school_kinds_mask = data.school_kinds_mask
    offer.leerjaren_mask = data.leerjaren_mask
    offer.location = data.location
    offer.duration_minutes = data.days * int(
        (
            dt.datetime.combine(dt.date.min, data.day_ends)
            - dt.datetime.combine(dt.date.min, data.day_starts)
        ).total_seconds()
        // 60
    )
    offer.max_pupils = max((places for _w, places in weeks), default=None)
    offer.min_pupils = 1 if offer.max_pupils else None
    offer.insurance_required = True
    offer.supervision_required = False
    offer.travel_notes = data.how_to_get_there
    offer.contact = offer.contact or actor
    if weeks:
        offer.available_from = min(w for w, _p in weeks)
        offer.available_until = max(w for w, _p in weeks) + dt.timedelta(days=4)
    if data.publish:
        offer.status = OfferStatus.PUBLISHED
        offer.published_at = offer.published_at or now
        offer.confirmed_at = now
    elif offer.status == OfferStatus.PUBLISHED:
        offer.status = OfferStatus.DRAFT
    offer.save()
    offer.leerwegen.set(data.leerwegen)
    offer.profiles.set(data.profiles)
    if ad is None:
        ad = InternshipAd(offer=offer)
    for name in (
        "skills",
        "knowledge",
        "tasks",
        "days",
        "day_starts",
        "day_ends",
        "requirements",
        "supervisor_name",
        "supervisor_phone",
        "how_to_get_there",
    ):
        setattr(ad, name, getattr(data, name))
    ad.save()
    _weeks_sync(ad, weeks)
    audit.record(
        action="internship_ad.created" if created else "internship_ad.updated",
        obj=ad,
        actor=actor,
        region_id=provider.region_id,
        before=before,
        after={
            **audit.snapshot(offer, ["title", "status"]),
            **audit.snapshot(ad),
            "weeks": [(w, p) for w, p in weeks],
        },
    )
    return ad


def _weeks_sync(ad: InternshipAd, weeks: Sequence[tuple[dt.date, int]]) -> None:
    wanted = dict(weeks)
    for week in AdWeek.objects.select_for_update().filter(ad=ad):
        if week.week_start not in wanted:
            if week.places_taken or week.placements.exists() or week.preferred_by.exists():
                raise ValidationError(
                    {
                        "weeks": _("De week van %(date)s heeft al aanmeldingen en kan niet weg.")
                        % {"date": week.week_start.strftime("%d-%m-%Y")}
                    }
                )
            week.delete()
            continue
        places = wanted.pop(week.week_start)
        if places < week.places_taken:
            raise ValidationError(
                {
                    "weeks": _("In de week van %(date)s zijn al %(n)s plaatsen bezet.")
                    % {"date": week.week_start.strftime("%d-%m-%Y"), "n": week.places_taken}
                }
            )
        if places != week.places:
            week.places = places
            week.save(update_fields=["places"])
    AdWeek.objects.bulk_create(
        [AdWeek(ad=ad, week_start=start, places=places) for start, places in wanted.items()]
    )


@transaction.atomic
def school_settings_update(
    *, school: Organisation, require_all_guardians: bool, actor: Any
) -> SchoolInternshipSettings:
    if school.pk not in permissions.mentor_school_ids(actor):
        raise ValidationError(_("Je kunt alleen de instellingen van je eigen school wijzigen."))
    obj, _created = SchoolInternshipSettings.objects.get_or_create(school=school)
    before = audit.snapshot(obj)
    obj.require_all_guardians = require_all_guardians
    obj.save()
    audit.record(
        action="internship_settings.updated",
        obj=obj,
        actor=actor,
        region_id=school.region_id,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


# --- Audience and overlap ---------------------------------------------------------------------


def audience_problem(ad: InternshipAd, pupil: Pupil) -> str | None:
    """Why the pupil falls outside the ad's audience (Dutch), or None when the pupil fits."""
    offer = ad.offer
    if not offer.accepts_school_kind(pupil.school.kind):
        return _("Deze stage is niet bedoeld voor leerlingen van jouw soort school.")
    if pupil.leerjaar is not None and not offer.accepts_year(leerjaar=pupil.leerjaar):
        return _("Deze stage is niet bedoeld voor jouw leerjaar.")
    if offer.leerjaren_mask and pupil.leerjaar is None:
        return _("Deze stage is niet bedoeld voor jouw leerjaar.")
    leerwegen = {t.pk for t in offer.leerwegen.all()}
    if leerwegen and pupil.leerweg_id not in leerwegen:
        return _("Deze stage is niet bedoeld voor jouw leerweg.")
    profiles = {t.pk for t in offer.profiles.all()}
    if profiles and pupil.profile_id not in profiles:
        return _("Deze stage is niet bedoeld voor jouw profiel.")
    return None


def _planned_overlap(pupil: Pupil, dates: Iterable[dt.date], *, exclude: int | None) -> bool:
    qs = PlacementDay.objects.filter(pupil=pupil, state=DayState.PLANNED, date__in=list(dates))
    if exclude is not None:
        qs = qs.exclude(application_id=exclude)
    return qs.exists()


# --- The state machine ------------------------------------------------------------------------


def _transition(
    application: Application,
    event: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    reason: str = "",
    to_status: str | None = None,
) -> None:
    """Check `(status, event)` against TRANSITIONS, move, write history and audit."""
    key = (application.status, event)
    if key not in TRANSITIONS:
        raise ValidationError(
            {
                "status": _("Dit kan niet meer: de aanmelding heeft de status '%(status)s'.")
                % {"status": application.get_status_display()}
            }
        )
    before = application.status
    target = to_status or TRANSITIONS[key]
    if target != before:
        application.status = target
        application.step_started_at = timezone.now()
        application.reminded_at = None
        application.save(update_fields=["status", "step_started_at", "reminded_at", "updated_at"])
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (str(user) if user else "systeem")
    ApplicationEvent.objects.create(
        application=application,
        event=event,
        from_status=before,
        to_status=target,
        actor=user,
        actor_label=label,
        reason=reason,
    )
    audit.record(
        action=f"internship.{event}",
        obj=application,
        actor=user,
        actor_label=label,
        region_id=application.pupil.school.region_id,
        before={"status": before},
        after={"status": target, "reason": reason},
    )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("ad__offer__provider", "pupil__school", "week", "proposed_week")
        .get(pk=application.pk)
    )


def _mentors(pupil: Pupil) -> list[Any]:
    user_model = get_user_model()
    users = list(
        user_model.objects.filter(
            memberships__organisation_id=pupil.school_id,
            memberships__role=Role.MENTOR,
            is_active=True,
        ).distinct()
    )
    if not users:
        users = list(
            user_model.objects.filter(
                memberships__organisation_id=pupil.school_id,
                memberships__role__in=(Role.DECAAN, Role.LOB_COORDINATOR, Role.STO_COORDINATOR),
                is_active=True,
            ).distinct()
        )
    return users


def _company_users(application: Application) -> list[Any]:
    offer = application.ad.offer
    users: list[Any] = list(
        get_user_model()
        .objects.filter(
            memberships__organisation_id=offer.provider_id,
            memberships__role__in=tuple(permissions.COMPANY_ROLES),
            is_active=True,
        )
        .distinct()
    )
    if offer.contact_id and all(u.pk != offer.contact_id for u in users):
        users.append(offer.contact)
    return users


def _pupil_users(application: Application) -> list[Any]:
    return [application.pupil.user] if application.pupil.user_id else []


def _url(application: Application) -> str:
    return reverse("internships:application_detail", args=[application.pk])


def _notify(users: Iterable[Any], application: Application, subject: str, body: str) -> None:
    notify(list(users), subject=subject, body=body, url=_url(application))


@transaction.atomic
def application_submit(
    *,
    ad: InternshipAd,
    pupil: Pupil,
    motivation: str,
    weeks: Sequence[AdWeek],
    actor: Any,
) -> Application:
    """A pupil applies (or a mentor applies on the pupil's behalf)."""
    own = permissions.is_pupil_of(actor, Application(pupil=pupil))
    on_behalf = not own
    if on_behalf and pupil.school_id not in permissions.mentor_school_ids(actor):
        raise ValidationError(
            _("Je kunt alleen aanmelden voor jezelf of voor je eigen leerlingen.")
        )
    offer = ad.offer
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(_("Deze stage staat niet (meer) open."))
    if offer.provider.region_id != pupil.school.region_id:
        raise ValidationError(_("Deze stage hoort bij een andere regio."))
    problem = audience_problem(ad, pupil)
    if problem:
        raise ValidationError({"__all__": problem})
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": _("Schrijf kort waarom je deze stage wilt doen.")})
    if len(motivation) > 1000:
        raise ValidationError({"motivation": _("Houd je motivatie korter dan 1000 tekens.")})
    weeks = list(weeks)
    if not weeks:
        raise ValidationError({"weeks": _("Kies minstens één week.")})
    today = timezone.localdate()
    for week in weeks:
        if week.ad_id != ad.pk:
            raise ValidationError({"weeks": _("Kies weken van deze stage.")})
        if week.week_start + dt.timedelta(days=4) < today:
            raise ValidationError({"weeks": _("Deze week is al voorbij.")})
        if week.places_left <= 0:
            raise ValidationError(
                {
                    "weeks": _("De week van %(date)s is al vol.")
                    % {"date": f"{week.week_start:%d-%m}"}
                }
            )
        week_days = [week.week_start + dt.timedelta(days=i) for i in range(5)]
        if _planned_overlap(pupil, week_days, exclude=None):
            raise ValidationError(
                {
                    "weeks": _("In de week van %(date)s heb je al een stage.")
                    % {"date": f"{week.week_start:%d-%m}"}
                }
            )
    if Application.objects.filter(ad=ad, pupil=pupil).exclude(status__in=FINAL).exists():
        raise ValidationError(_("Er loopt al een aanmelding voor deze stage."))
    application = Application.objects.create(
        ad=ad, pupil=pupil, motivation=motivation, applied_by=actor, on_behalf=on_behalf
    )
    application.preferred_weeks.set(weeks)
    ApplicationEvent.objects.create(
        application=application,
        to_status=Status.SUBMITTED,
        actor=actor,
        actor_label=str(actor),
        reason=_("Aangemeld door de mentor") if on_behalf else "",
    )
    audit.record(
        action="internship.applied",
        obj=application,
        actor=actor,
        region_id=pupil.school.region_id,
        after={
            "status": Status.SUBMITTED,
            "weeks": [w.week_start for w in weeks],
            "on_behalf": on_behalf,
        },
    )
    _notify(
        _mentors(pupil),
        application,
        _("Nieuwe stage-aanmelding van %(name)s") % {"name": pupil.short_name},
        _("%(name)s wil een verdiepende stage doen bij %(company)s. Keur de aanmelding goed of af.")
        % {"name": pupil.short_name, "company": offer.provider.label},
    )
    return application


@transaction.atomic
def application_mentor_decide(
    *, application: Application, approve: bool, reason: str = "", actor: Any
) -> Application:
    application = _locked(application)
    if not permissions.is_mentor_for(actor, application):
        raise ValidationError(
            _("Alleen een mentor van de school van de leerling kan dit beslissen.")
        )
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Geef een reden voor de afwijzing.")})
    event = Event.MENTOR_APPROVE if approve else Event.MENTOR_REJECT
    if not application.allowed(event):
        _transition(application, event, actor=actor)  # raises the clear error
    guardians = [g for g in application.pupil.guardians.all() if g.email]
    if approve and not guardians:
        raise ValidationError(
            _("Er is geen ouder/verzorger met een e-mailadres bekend. Vul dit eerst aan.")
        )
    Approval.objects.create(
        application=application,
        party=Party.MENTOR,
        approved=approve,
        user=actor,
        name=str(actor),
        channel=Channel.WEB,
        reason=reason,
    )
    _transition(application, event, actor=actor, reason=reason)
    if approve:
        guardian_links_send(application=application, guardians=guardians)
        _notify(
            _pupil_users(application),
            application,
            _("Je mentor heeft je stage-aanmelding goedgekeurd"),
            _("Je ouder/verzorger krijgt nu een e-mail om toestemming te geven."),
        )
    else:
        _notify(
            _pupil_users(application),
            application,
            _("Je stage-aanmelding is afgewezen"),
            _("Je mentor heeft je aanmelding afgewezen. Reden: %(reason)s") % {"reason": reason},
        )
    return application


# --- Guardian links ---------------------------------------------------------------------------


def _new_link(application: Application, guardian: Guardian, purpose: str, days: int) -> str:
    raw = secrets.token_urlsafe(24)
    GuardianLink.objects.create(
        application=application,
        guardian=guardian,
        purpose=purpose,
        token_hash=digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return signing.TimestampSigner(salt=LINK_SALT).sign(raw)


def guardian_links_send(*, application: Application, guardians: Sequence[Guardian]) -> int:
    """E-mail each guardian a single-use link to approve or reject (no personal data in it)."""
    offer = application.ad.offer
    for guardian in guardians:
        token = _new_link(application, guardian, LinkPurpose.APPROVAL, APPROVAL_LINK_DAYS)
        url = absolute_url(reverse("internships:guardian", args=[token]))
        send_email_on_commit(
            to=[guardian.email],
            subject=_("Toestemming gevraagd voor een verdiepende stage"),
            body=_(
                "Beste %(guardian)s,\n\n%(pupil)s wil een verdiepende stage van %(days)s dagen "
                "doen bij %(company)s. De mentor heeft de aanmelding goedgekeurd. Geeft u "
                "toestemming? U hebt geen account nodig:\n\n%(url)s\n\nDeze link werkt één keer "
                "en verloopt na %(valid)s dagen.\n\nMet vriendelijke groet,\n%(school)s"
            )
            % {
                "guardian": guardian.name,
                "pupil": application.pupil.first_name,
                "days": application.ad.days,
                "company": offer.provider.label,
                "url": url,
                "valid": APPROVAL_LINK_DAYS,
                "school": application.pupil.school.label,
            },
        )
    return len(guardians)


class LinkError(Exception):
    """A guardian link that cannot be used: `code` is invalid, expired or used."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def guardian_link_resolve(token: str, *, purpose: str, allow_used: bool = False) -> GuardianLink:
    """The link for a token from a URL, or LinkError. Tampered tokens never reach the database."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    max_age = dt.timedelta(
        days=APPROVAL_LINK_DAYS if purpose == LinkPurpose.APPROVAL else AGREEMENT_LINK_DAYS
    )
    try:
        raw = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except signing.BadSignature as error:
        raise LinkError("invalid") from error
    link = (
        GuardianLink.objects.select_related(
            "guardian", "application__ad__offer__provider", "application__pupil__school"
        )
        .filter(token_hash=digest(raw), purpose=purpose)
        .first()
    )
    if link is None:
        raise LinkError("invalid")
    if link.expires_at <= timezone.now():
        raise LinkError("expired")
    if purpose == LinkPurpose.APPROVAL and link.used_at is not None and not allow_used:
        raise LinkError("used")
    return link


def guardian_cancel_link(token: str) -> GuardianLink:
    """A link a guardian may cancel with: the agreement link (after confirmation), or the approval
    link they used to give permission (between their approval and the confirmation)."""
    try:
        return guardian_link_resolve(token, purpose=LinkPurpose.AGREEMENT)
    except LinkError as error:
        if error.code != "invalid":
            raise
    link = guardian_link_resolve(token, purpose=LinkPurpose.APPROVAL, allow_used=True)
    if not Approval.objects.filter(
        application_id=link.application_id, guardian_id=link.guardian_id, approved=True
    ).exists():
        raise LinkError("used" if link.used_at else "invalid")
    return link


@transaction.atomic
def guardian_decide(*, token: str, approve: bool, reason: str = "") -> Application:
    """A guardian approves or rejects through the e-mailed link (single use)."""
    link = guardian_link_resolve(token, purpose=LinkPurpose.APPROVAL)
    # Lock the link row so a double submit cannot use it twice.
    claimed = GuardianLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise LinkError("used")
    application = _locked(link.application)
    event = Event.GUARDIAN_APPROVE if approve else Event.GUARDIAN_REJECT
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Geef een reden op.")})
    if not application.allowed(event):
        _transition(application, event)
    if Approval.objects.filter(application=application, guardian=link.guardian).exists():
        raise LinkError("used")
    Approval.objects.create(
        application=application,
        party=Party.GUARDIAN,
        approved=approve,
        guardian=link.guardian,
        name=link.guardian.name,
        channel=Channel.EMAIL_LINK,
        reason=reason,
    )
    label = GUARDIAN_LABEL
    if not approve:
        _transition(application, event, actor_label=label, reason=reason)
        _notify(
            [*_pupil_users(application), *_mentors(application.pupil)],
            application,
            _("Geen toestemming voor de stage"),
            _("De ouder/verzorger heeft geen toestemming gegeven. Reden: %(reason)s")
            % {"reason": reason},
        )
        return application
    settings_row = SchoolInternshipSettings.objects.filter(school_id=application.pupil.school_id)
    require_all = settings_row.filter(require_all_guardians=True).exists()
    approved = Approval.objects.filter(
        application=application, party=Party.GUARDIAN, approved=True
    ).count()
    needed = application.pupil.guardians.exclude(email="").count() if require_all else 1
    if approved < needed:
        # Recorded, but the chain waits for the other guardian(s).
        _transition(application, event, actor_label=label, to_status=Status.AWAITING_GUARDIAN)
        return application
    _transition(application, event, actor_label=label)
    application.reached_company = True
    application.save(update_fields=["reached_company"])
    _notify(
        _company_users(application),
        application,
        _("Nieuwe stage-aanmelding voor %(ad)s") % {"ad": application.ad.offer.title},
        _(
            "%(name)s (%(school)s) wil bij u stage lopen. Accepteer, stel andere dagen voor of "
            "wijs af."
        )
        % {"name": application.pupil.short_name, "school": application.pupil.school.label},
    )
    _notify(
        _pupil_users(application),
        application,
        _("Je ouder/verzorger heeft toestemming gegeven"),
        _("Het bedrijf beslist nu over je aanmelding."),
    )
    return application


# --- Company, placement -----------------------------------------------------------------------


def _check_days(
    application: Application, week: AdWeek, dates: Sequence[dt.date], starts: dt.time, ends: dt.time
) -> list[dt.date]:
    if week.ad_id != application.ad_id:
        raise ValidationError({"week": _("Kies een week van deze stage.")})
    dates = sorted(set(dates))
    if not MIN_DAYS <= len(dates) <= MAX_DAYS:
        raise ValidationError({"days": _("Kies 2 tot 5 dagen.")})
    for day in dates:
        if not 0 <= (day - week.week_start).days <= 4:
            raise ValidationError(
                {"days": _("Kies dagen van maandag tot en met vrijdag in die week.")}
            )
    if ends <= starts:
        raise ValidationError({"ends_at": _("De eindtijd moet na de begintijd liggen.")})
    return dates


def _take_place(week: AdWeek) -> None:
    """Take one place in `week`: a conditional UPDATE, so two can never take the last one."""
    taken = AdWeek.objects.filter(pk=week.pk, places_taken__lt=F("places")).update(
        places_taken=F("places_taken") + 1
    )
    if not taken:
        raise ValidationError(
            {"week": _("De week van %(date)s is vol.") % {"date": f"{week.week_start:%d-%m-%Y}"}}
        )


def _release_place(week_id: int) -> None:
    AdWeek.objects.filter(pk=week_id, places_taken__gt=0).update(places_taken=F("places_taken") - 1)


def _confirm(
    application: Application,
    event: str,
    *,
    week: AdWeek,
    dates: Sequence[dt.date],
    starts: dt.time,
    ends: dt.time,
    actor: Any,
    message: str = "",
) -> None:
    if _planned_overlap(application.pupil, dates, exclude=application.pk):
        raise ValidationError(
            {"days": _("De leerling heeft op een van deze dagen al een andere stage.")}
        )
    _take_place(week)
    application.days.filter(state=DayState.PROPOSED).delete()
    try:
        with transaction.atomic():
            PlacementDay.objects.bulk_create(
                [
                    PlacementDay(
                        application=application,
                        pupil=application.pupil,
                        date=day,
                        starts_at=starts,
                        ends_at=ends,
                        state=DayState.PLANNED,
                    )
                    for day in dates
                ]
            )
    except IntegrityError as error:
        raise ValidationError(
            {"days": _("De leerling heeft op een van deze dagen al een andere stage.")}
        ) from error
    application.week = week
    application.proposed_week = None
    if message:
        application.company_message = message
    application.save(update_fields=["week", "proposed_week", "company_message", "updated_at"])
    _transition(application, event, actor=actor)
    offer = application.ad.offer
    tz = timezone.get_current_timezone()
    for day in dates:
        session_schedule(
            source=application,
            category=SessionCategory.INTERNSHIP,
            provider=offer.provider,
            location=offer.location,
            title=f"Verdiepende stage: {offer.title}",
            starts_at=dt.datetime.combine(day, starts, tzinfo=tz),
            ends_at=dt.datetime.combine(day, ends, tzinfo=tz),
            pupils=[application.pupil],
            actor=actor,
        )
    agreement_generate(application=application)
    dates_text = ", ".join(f"{d:%d-%m-%Y}" for d in dates)
    body = _("De stage bij %(company)s is bevestigd: %(dates)s, %(start)s-%(end)s.") % {
        "company": offer.provider.label,
        "dates": dates_text,
        "start": f"{starts:%H:%M}",
        "end": f"{ends:%H:%M}",
    }
    _notify(
        [*_pupil_users(application), *_mentors(application.pupil), *_company_users(application)],
        application,
        _("Stage bevestigd"),
        body,
    )
    for guardian in application.pupil.guardians.exclude(email=""):
        token = _new_link(application, guardian, LinkPurpose.AGREEMENT, AGREEMENT_LINK_DAYS)
        url = absolute_url(reverse("internships:guardian_placement", args=[token]))
        send_email_on_commit(
            to=[guardian.email],
            subject=_("Stage bevestigd"),
            body=body
            + "\n\n"
            + _("De dagen, de stageovereenkomst en annuleren: %(url)s") % {"url": url},
        )


@transaction.atomic
def application_company_decide(
    *,
    application: Application,
    action: str,
    actor: Any,
    week: AdWeek | None = None,
    dates: Sequence[dt.date] = (),
    starts: dt.time | None = None,
    ends: dt.time | None = None,
    message: str = "",
) -> Application:
    """The company accepts (confirming the days), proposes other days, or declines."""
    application = _locked(application)
    if not permissions.is_company_for(actor, application):
        raise ValidationError(_("Alleen het bedrijf van deze stage kan dit beslissen."))
    event = {
        "accept": Event.COMPANY_ACCEPT,
        "propose": Event.COMPANY_PROPOSE,
        "decline": Event.COMPANY_DECLINE,
    }.get(action)
    if event is None:
        raise ValidationError(_("Onbekende keuze."))
    if not application.allowed(event):
        _transition(application, event, actor=actor)
    message = message.strip()
    if event == Event.COMPANY_DECLINE:
        if not message:
            raise ValidationError({"message": _("Geef een reden voor de afwijzing.")})
        Approval.objects.create(
            application=application,
            party=Party.COMPANY,
            approved=False,
            user=actor,
            name=str(actor),
            channel=Channel.WEB,
            reason=message,
        )
        application.days.filter(state=DayState.PROPOSED).delete()
        _transition(application, event, actor=actor, reason=message)
        _notify(
            [*_pupil_users(application), *_mentors(application.pupil)],
            application,
            _("Het bedrijf heeft de stage-aanmelding afgewezen"),
            _("Reden: %(reason)s") % {"reason": message},
        )
        return application
    if week is None or starts is None or ends is None:
        raise ValidationError({"week": _("Kies een week, dagen en tijden.")})
    days = _check_days(application, week, dates, starts, ends)
    if event == Event.COMPANY_ACCEPT:
        if not application.preferred_weeks.filter(pk=week.pk).exists():
            raise ValidationError(
                {"week": _("Kies een voorkeursweek van de leerling, of stel andere dagen voor.")}
            )
        Approval.objects.create(
            application=application,
            party=Party.COMPANY,
            approved=True,
            user=actor,
            name=str(actor),
            channel=Channel.WEB,
            reason=message,
        )
        _confirm(
            application,
            event,
            week=week,
            dates=days,
            starts=starts,
            ends=ends,
            actor=actor,
            message=message,
        )
        return application
    # Propose other days: stored as proposed days; the place is taken when the school accepts.
    if week.places_left <= 0:
        raise ValidationError({"week": _("Die week is al vol.")})
    application.days.filter(state=DayState.PROPOSED).delete()
    PlacementDay.objects.bulk_create(
        [
            PlacementDay(
                application=application,
                pupil=application.pupil,
                date=d,
                starts_at=starts,
                ends_at=ends,
            )
            for d in days
        ]
    )
    application.proposed_week = week
    application.company_message = message
    application.save(update_fields=["proposed_week", "company_message", "updated_at"])
    _transition(application, event, actor=actor, reason=message)
    _notify(
        [*_pupil_users(application), *_mentors(application.pupil)],
        application,
        _("Het bedrijf stelt andere stagedagen voor"),
        _("Bekijk het voorstel en accepteer het, of annuleer de aanmelding."),
    )
    return application


@transaction.atomic
def application_proposal_accept(*, application: Application, actor: Any) -> Application:
    """The pupil or their mentor accepts the days the company proposed."""
    application = _locked(application)
    if not (
        permissions.is_pupil_of(actor, application) or permissions.is_mentor_for(actor, application)
    ):
        raise ValidationError(_("Alleen de leerling of de mentor kan het voorstel accepteren."))
    if not application.allowed(Event.PROPOSAL_ACCEPT):
        _transition(application, Event.PROPOSAL_ACCEPT, actor=actor)
    proposed = list(application.days.filter(state=DayState.PROPOSED))
    week = application.proposed_week
    if week is None or not proposed:
        raise ValidationError(_("Er is geen voorstel om te accepteren."))
    Approval.objects.create(
        application=application,
        party=Party.PUPIL if permissions.is_pupil_of(actor, application) else Party.MENTOR,
        approved=True,
        user=actor,
        name=str(actor),
        channel=Channel.WEB,
        reason=_("Voorstel van het bedrijf geaccepteerd"),
    )
    _confirm(
        application,
        Event.PROPOSAL_ACCEPT,
        week=week,
        dates=[d.date for d in proposed],
        starts=proposed[0].starts_at,
        ends=proposed[0].ends_at,
        actor=actor,
    )
    return application


def cancel_party(actor: Any, application: Application) -> str | None:
    if permissions.is_pupil_of(actor, application):
        return Party.PUPIL
    if permissions.is_mentor_for(actor, application):
        return Party.MENTOR
    if application.reached_company and permissions.is_company_for(actor, application):
        return Party.COMPANY
    return None


@transaction.atomic
def application_cancel(
    *,
    application: Application,
    reason: str,
    actor: Any = None,
    guardian_token: str | None = None,
) -> Application:
    """Any party cancels with a reason; a held place and planned sessions are released."""
    label = ""
    if guardian_token is not None:
        link = guardian_cancel_link(guardian_token)
        if link.application_id != application.pk:
            raise LinkError("invalid")
        label = GUARDIAN_LABEL
    elif cancel_party(actor, application) is None:
        raise ValidationError(_("Je kunt deze aanmelding niet annuleren."))
    application = _locked(application)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden voor de annulering.")})
    if not application.allowed(Event.CANCEL):
        _transition(application, Event.CANCEL, actor=actor)
    if application.week_id:
        _release_place(application.week_id)
    application.days.exclude(state=DayState.CANCELLED).update(state=DayState.CANCELLED)
    sessions_cancel_for_source(source=application, actor=actor, reason=reason)
    _transition(application, Event.CANCEL, actor=actor, actor_label=label, reason=reason)
    recipients = [*_pupil_users(application), *_mentors(application.pupil)]
    if application.reached_company:
        recipients += _company_users(application)
    if application.links.exists():
        # Guardians who were asked for permission hear about it too (no link: nothing to do).
        send_email_on_commit(
            to=[g.email for g in application.pupil.guardians.exclude(email="")],
            subject=_("Stage-aanmelding geannuleerd"),
            body=_("De aanmelding van %(pupil)s voor %(ad)s is geannuleerd. Reden: %(reason)s")
            % {
                "pupil": application.pupil.first_name,
                "ad": application.ad.offer.title,
                "reason": reason,
            },
        )
    _notify(
        [u for u in recipients if u != actor],
        application,
        _("Stage-aanmelding geannuleerd"),
        _("De aanmelding voor %(ad)s is geannuleerd. Reden: %(reason)s")
        % {"ad": application.ad.offer.title, "reason": reason},
    )
    return application


@transaction.atomic
def application_complete(*, application: Application, actor: Any = None) -> Application:
    application = _locked(application)
    _transition(application, Event.COMPLETE, actor=actor)
    return application


# --- Agreement and evaluation -----------------------------------------------------------------


def agreement_generate(*, application: Application) -> Agreement:
    from maakstad.internships.pdf import agreement_pdf

    pdf = agreement_pdf(application)
    agreement, _created = Agreement.objects.update_or_create(
        application=application, defaults={"pdf": pdf}
    )
    audit.record(
        action="internship.agreement_generated",
        obj=application,
        actor_label="systeem",
        region_id=application.pupil.school.region_id,
        after={"bytes": len(pdf)},
    )
    return agreement


def _last_day(application: Application) -> dt.date | None:
    days = [d.date for d in application.days.all() if d.state == DayState.PLANNED]
    return max(days) if days else None


def _ready_for_evaluation(application: Application, actor: Any) -> Application:
    application = _locked(application)
    last = _last_day(application)
    if application.status == Status.CONFIRMED and last and last <= timezone.localdate():
        _transition(application, Event.COMPLETE, actor_label="systeem")
    if application.status != Status.COMPLETED:
        raise ValidationError(_("Dit kan pas na de laatste stagedag."))
    return application


@transaction.atomic
def reflection_submit(
    *,
    application: Application,
    rating: int,
    learned: str,
    would_choose_technology: bool,
    actor: Any,
) -> Reflection:
    if not permissions.is_pupil_of(actor, application):
        raise ValidationError(_("Alleen de leerling zelf schrijft de reflectie."))
    application = _ready_for_evaluation(application, actor)
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Kies een cijfer van 1 tot en met 5.")})
    if hasattr(application, "reflection"):
        raise ValidationError(_("Je hebt je reflectie al ingevuld."))
    reflection = Reflection.objects.create(
        application=application,
        rating=rating,
        learned=learned.strip(),
        would_choose_technology=would_choose_technology,
    )
    audit.record(
        action="internship.reflection",
        obj=application,
        actor=actor,
        region_id=application.pupil.school.region_id,
        after={"rating": rating},
    )
    return reflection


@transaction.atomic
def assessment_submit(
    *, application: Application, rating: int, comments: str, hours: Any, actor: Any
) -> Assessment:
    if not permissions.is_company_for(actor, application):
        raise ValidationError(_("Alleen het bedrijf vult de beoordeling in."))
    application = _ready_for_evaluation(application, actor)
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Kies een cijfer van 1 tot en met 5.")})
    if hours is None or hours <= 0 or hours > 60:
        raise ValidationError({"hours": _("Vul het aantal begeleide uren in (1 tot 60).")})
    if hasattr(application, "assessment"):
        raise ValidationError(_("De beoordeling is al ingevuld."))
    assessment = Assessment.objects.create(
        application=application,
        rating=rating,
        comments=comments.strip(),
        hours=hours,
        created_by=actor,
    )
    audit.record(
        action="internship.assessment",
        obj=application,
        actor=actor,
        region_id=application.pupil.school.region_id,
        after={"rating": rating, "hours": hours},
    )
    return assessment


# --- Reminders --------------------------------------------------------------------------------


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind whoever a step waits for; close finished placements; ask for the evaluations."""
    now = now or timezone.now()
    counts = {"reminded": 0, "completed": 0, "evaluation": 0}
    waiting = Application.objects.filter(
        status__in=(
            Status.SUBMITTED,
            Status.AWAITING_GUARDIAN,
            Status.AWAITING_COMPANY,
            Status.DAYS_PROPOSED,
        ),
        step_started_at__lte=now - REMIND_AFTER,
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_AFTER))
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            application = _locked(Application(pk=pk))
            _remind(application)
            application.reminded_at = now
            application.save(update_fields=["reminded_at"])
            counts["reminded"] += 1
    today = timezone.localdate(now)
    finished = Application.objects.filter(status=Status.CONFIRMED).exclude(
        days__state=DayState.PLANNED, days__date__gte=today
    )
    for application in list(finished):
        application_complete(application=application)
        counts["completed"] += 1
    to_evaluate = Application.objects.filter(
        status=Status.COMPLETED, evaluation_reminded_at__isnull=True
    ).select_related("ad__offer", "pupil__school")
    for application in to_evaluate:
        with transaction.atomic():
            if not Reflection.objects.filter(application=application).exists():
                _notify(
                    _pupil_users(application),
                    application,
                    _("Hoe was je stage?"),
                    _("Vertel in een paar zinnen wat je hebt geleerd bij %(company)s.")
                    % {"company": application.ad.offer.provider.label},
                )
            if not Assessment.objects.filter(application=application).exists():
                _notify(
                    _company_users(application),
                    application,
                    _("Korte beoordeling van de stage"),
                    _("Hoe ging de stage van %(name)s? Een korte beoordeling helpt de school.")
                    % {"name": application.pupil.short_name},
                )
            Application.objects.filter(pk=application.pk).update(evaluation_reminded_at=now)
            counts["evaluation"] += 1
    return counts


def _remind(application: Application) -> None:
    subject = _("Herinnering: een stage-aanmelding wacht op u")
    if application.status == Status.SUBMITTED:
        _notify(
            _mentors(application.pupil), application, subject, _("Keur de aanmelding goed of af.")
        )
    elif application.status == Status.AWAITING_GUARDIAN:
        decided = set(
            Approval.objects.filter(application=application, guardian__isnull=False).values_list(
                "guardian_id", flat=True
            )
        )
        guardians = [
            g for g in application.pupil.guardians.exclude(email="") if g.pk not in decided
        ]
        guardian_links_send(application=application, guardians=guardians)
    elif application.status == Status.AWAITING_COMPANY:
        _notify(
            _company_users(application),
            application,
            subject,
            _("Accepteer de aanmelding, stel andere dagen voor of wijs af."),
        )
    elif application.status == Status.DAYS_PROPOSED:
        _notify(
            [*_pupil_users(application), *_mentors(application.pupil)],
            application,
            subject,
            _("Het bedrijf wacht op je antwoord op het voorstel voor andere dagen."),
        )
