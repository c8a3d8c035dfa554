"""Demo step: deepening-internship ads of the co-financing companies and applications in every state.

Runs after the organisations and catalogue steps. Companies are looked up by name; a company's
existing verdiepende-stage offer (from the catalogue demo) is reused, otherwise one is created.
Idempotent: ads are keyed by offer, weeks by (ad, week), applications by (ad, pupil).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from maakstad.attendance.models import SessionCategory
from maakstad.attendance.services import session_schedule
from maakstad.catalogue import activity_types
from maakstad.catalogue.models import AUDIENCE_KINDS, ActivityType, Offer, OfferStatus
from maakstad.core.demo import DemoContext
from maakstad.internships.models import (
    AdWeek,
    Application,
    ApplicationEvent,
    Approval,
    Assessment,
    Channel,
    DayState,
    InternshipAd,
    Party,
    PlacementDay,
    Reflection,
    Status,
)
from maakstad.internships.services import GUARDIAN_LABEL, agreement_generate
from maakstad.organisations.models import (
    VO_KINDS,
    Guardian,
    Membership,
    Organisation,
    OrganisationKind,
    Pupil,
    Region,
    Role,
)

DEMO_PUPIL_EMAIL = "leerling@dehef.demo"


@dataclass(frozen=True)
class AdSpec:
    company: str
    title: str
    skills: str
    tasks: str
    days: int
    requirements: str
    supervisor: str
    kinds: tuple[str, ...] = ("vmbo", "pro", "vso")


ADS = (
    AdSpec(
        "Valk Welding",
        "Verdiepende stage lassen en robotlassen",
        "MIG/MAG-lassen oefenen, een lasrobot leren instellen, veilig werken in de werkplaats.",
        "Meelopen met een lasser, zelf proefstukken lassen, een robotprogramma testen.",
        3,
        "Werkschoenen met stalen neus; lashandschoenen en helm krijg je van ons.",
        "Ruud Vermeulen",
    ),
    AdSpec(
        "SPG infra",
        "Verdiepende stage in de infra: kabels en leidingen",
        "Graafwerk uitzetten, kabels en leidingen herkennen, werken volgens VCA.",
        "Meewerken in een ploeg op een project in de wijk, meten en uitzetten.",
        4,
        "Werkschoenen, eigen werkkleding; hesje en helm krijg je.",
        "Sandra Bos",
    ),
    AdSpec(
        "Beroepentuin",
        "Verdiepende stage techniek in de Beroepentuin",
        "Samenwerken, gereedschap kiezen, een klein product van begin tot eind maken.",
        "Onder begeleiding een opdracht uitvoeren in de werkplaats van de Beroepentuin.",
        2,
        "Dichte schoenen.",
        "Mehmet Yilmaz",
    ),
    AdSpec(
        "Spindler installatietechniek",
        "Verdiepende stage installatietechniek",
        "Leidingen buigen en persen, een cv-ketel leren kennen, storingen zoeken.",
        "Mee op service-rondes, helpen in de werkplaats, een leidingstuk maken.",
        3,
        "Werkschoenen.",
        "Kees Spindler",
        ("vmbo", "pro"),
    ),
    AdSpec(
        "Lomans",
        "Verdiepende stage elektrotechniek en installaties",
        "Schakelingen aansluiten, meten met een multimeter, veilig werken met spanning.",
        "Meewerken met een monteur op een bouwproject, kabels trekken en aansluiten.",
        5,
        "Werkschoenen; beschermingsmiddelen krijg je van ons.",
        "Anouk de Graaf",
    ),
    AdSpec(
        "Hollandia Infra",
        "Verdiepende stage staalbouw en bruggen",
        "Tekening lezen, meten en aftekenen, samenwerken in een team.",
        "Meekijken bij de bouw van een brugdeel, zelf meten en aftekenen.",
        3,
        "Werkschoenen met stalen neus.",
        "Peter van Dijk",
    ),
    AdSpec(
        "Bouwplein 010",
        "Verdiepende stage bouw: timmeren en metselen",
        "Timmeren, metselen, maatvoering en veilig werken op de bouw.",
        "Meewerken op de leerbouwplaats, een kozijn stellen, een muurtje metselen.",
        4,
        "Werkschoenen en werkkleding.",
        "Jeroen Smit",
    ),
)

# The states the demo shows (each at least once), in the order applications are made.
STATES: tuple[str, ...] = (
    Status.SUBMITTED,
    Status.SUBMITTED,
    Status.MENTOR_REJECTED,
    Status.AWAITING_GUARDIAN,
    Status.AWAITING_GUARDIAN,
    Status.GUARDIAN_REJECTED,
    Status.AWAITING_COMPANY,
    Status.DAYS_PROPOSED,
    Status.COMPANY_DECLINED,
    Status.CANCELLED,
    *(Status.CONFIRMED,) * 6,
    *(Status.COMPLETED,) * 12,
)


def _weeks(today: dt.date) -> list[dt.date]:
    """Mondays spread through the school year of `today` (every fourth week, Sep-Jun)."""
    start_year = today.year if today.month >= 8 else today.year - 1
    first = dt.date(start_year, 9, 1)
    first += dt.timedelta(days=(7 - first.weekday()) % 7)
    last = dt.date(start_year + 1, 6, 30)
    weeks, day = [], first
    while day <= last:
        weeks.append(day)
        day += dt.timedelta(weeks=4)
    return weeks


def _activity_type(region: Region) -> ActivityType:
    found = ActivityType.objects.filter(
        region=region, code=activity_types.VERDIEPENDE_STAGE
    ).first()
    if found is not None:
        return found
    return ActivityType.objects.create(
        region=region,
        code=activity_types.VERDIEPENDE_STAGE,
        name=dict(activity_types.STANDARD)[activity_types.VERDIEPENDE_STAGE],
        insurance_default=True,
    )


def _ad(spec: AdSpec, company: Organisation, activity_type: ActivityType) -> InternshipAd:
    offer = (
        Offer.objects.filter(provider=company, activity_type=activity_type).order_by("pk").first()
    )
    if offer is None:
        now = timezone.now()
        mask = 0
        for kind in spec.kinds:
            mask |= 1 << AUDIENCE_KINDS.index(kind)
        offer = Offer.objects.create(
            provider=company,
            location=company.locations.order_by("-is_main", "pk").first(),
            activity_type=activity_type,
            title=spec.title,
            summary=spec.skills[:300],
            pupil_activities=spec.tasks,
            school_kinds_mask=mask,
            leerjaren_mask=sum(1 << y for y in (2, 3, 4)),
            duration_minutes=spec.days * 7 * 60,
            min_pupils=1,
            max_pupils=2,
            insurance_required=True,
            supervision_required=False,
            status=OfferStatus.PUBLISHED,
            published_at=now,
            confirmed_at=now,
        )
    ad, _created = InternshipAd.objects.get_or_create(
        offer=offer,
        defaults={
            "skills": spec.skills,
            "knowledge": "",
            "tasks": spec.tasks,
            "days": spec.days,
            "day_starts": dt.time(8, 30),
            "day_ends": dt.time(15, 30),
            "requirements": spec.requirements,
            "supervisor_name": spec.supervisor,
            "how_to_get_there": "Met het OV: zie de routeplanner; fietsenstalling bij de ingang.",
        },
    )
    return ad


def _pupils(region: Region) -> list[Pupil]:
    """Pupils for the demo applications: pro and vso first (milestone 2.4.6), then vmbo."""
    qs = (
        Pupil.objects.filter(
            school__region=region, school__kind__in=VO_KINDS, anonymised_at__isnull=True
        )
        .exclude(user__email=DEMO_PUPIL_EMAIL)
        .select_related("school")
        .annotate(n_guardians=Count("guardians", filter=~Q(guardians__email="")))
        .filter(n_guardians__gt=0)
        .order_by("pk")
    )
    by_kind: dict[str, list[Pupil]] = {k: [] for k in VO_KINDS}
    for pupil in qs[:2000]:
        if len(by_kind[pupil.school.kind]) < 12:
            by_kind[pupil.school.kind].append(pupil)
    mixed: list[Pupil] = []
    for index in range(12):
        for kind in (OrganisationKind.PRO, OrganisationKind.VSO, OrganisationKind.VMBO):
            if index < len(by_kind[kind]):
                mixed.append(by_kind[kind][index])
    return mixed


def _user(school: Organisation, *roles: str) -> Any:
    membership = (
        Membership.objects.filter(organisation=school, role__in=roles)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _event(
    application: Application, event: str, before: str, after: str, who: Any, label: str = ""
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        event=event,
        from_status=before,
        to_status=after,
        actor=who,
        actor_label=label or (str(who) if who else "systeem"),
    )


def _approval(
    application: Application,
    party: str,
    approved: bool,
    *,
    user: Any = None,
    guardian: Guardian | None = None,
    reason: str = "",
) -> None:
    Approval.objects.create(
        application=application,
        party=party,
        approved=approved,
        user=user,
        guardian=guardian,
        name=guardian.name if guardian else str(user or "demo"),
        channel=Channel.EMAIL_LINK if guardian else Channel.WEB,
        reason=reason,
    )


def _make(
    ad: InternshipAd, pupil: Pupil, state: str, week: AdWeek, company_user: Any, index: int
) -> Application | None:
    """Build one application in `state` with its history and approvals (no e-mails)."""
    mentor = _user(pupil.school, Role.MENTOR, Role.DECAAN, Role.LOB_COORDINATOR, Role.TEACHER)
    guardian = pupil.guardians.exclude(email="").order_by("pk").first()
    if guardian is None:
        return None
    motivations = (
        "Ik werk graag met mijn handen en wil weten hoe het er echt aan toe gaat.",
        "Mijn oom werkt in de techniek en ik wil zelf ook ontdekken of het bij me past.",
        "Ik vond de gastles heel leuk en wil meer leren over dit vak.",
    )
    application = Application.objects.create(
        ad=ad,
        pupil=pupil,
        motivation=motivations[index % len(motivations)],
        applied_by=pupil.user or mentor,
        on_behalf=pupil.user_id is None,
    )
    application.preferred_weeks.set([week])
    _event(application, "", "", Status.SUBMITTED, pupil.user or mentor)
    status = Status.SUBMITTED
    if state == Status.SUBMITTED:
        return application
    if state == Status.MENTOR_REJECTED:
        _approval(application, Party.MENTOR, False, user=mentor, reason="Eerst de PTA-toetsen.")
        _event(application, "mentor_reject", status, state, mentor)
        return _set(application, state)
    _approval(application, Party.MENTOR, True, user=mentor)
    _event(application, "mentor_approve", status, Status.AWAITING_GUARDIAN, mentor)
    status = Status.AWAITING_GUARDIAN
    if state == Status.AWAITING_GUARDIAN:
        return _set(application, state)
    if state == Status.GUARDIAN_REJECTED:
        _approval(application, Party.GUARDIAN, False, guardian=guardian, reason="Te ver reizen.")
        _event(application, "guardian_reject", status, state, None, GUARDIAN_LABEL)
        return _set(application, state)
    _approval(application, Party.GUARDIAN, True, guardian=guardian)
    _event(application, "guardian_approve", status, Status.AWAITING_COMPANY, None, GUARDIAN_LABEL)
    application.reached_company = True
    status = Status.AWAITING_COMPANY
    if state == Status.AWAITING_COMPANY:
        return _set(application, state)
    if state == Status.COMPANY_DECLINED:
        _approval(application, Party.COMPANY, False, user=company_user, reason="Die week vol.")
        _event(application, "company_decline", status, state, company_user)
        return _set(application, state)
    days = [week.week_start + dt.timedelta(days=i) for i in range(ad.days)]
    if state == Status.DAYS_PROPOSED:
        for day in days:
            PlacementDay.objects.create(
                application=application,
                pupil=pupil,
                date=day,
                starts_at=ad.day_starts,
                ends_at=ad.day_ends,
                state=DayState.PROPOSED,
            )
        application.proposed_week = week
        application.company_message = "Deze week past ons beter."
        _event(application, "company_propose", status, state, company_user)
        return _set(application, state)
    if state == Status.CANCELLED:
        _event(application, "cancel", status, state, pupil.user or mentor)
        return _set(application, state)
    if week.places_taken >= week.places:
        return _set(application, Status.AWAITING_COMPANY)
    # Confirmed (and possibly completed): take the place, plan the days, make the agreement.
    AdWeek.objects.filter(pk=week.pk).update(places_taken=week.places_taken + 1)
    week.places_taken += 1
    _approval(application, Party.COMPANY, True, user=company_user)
    for day in days:
        PlacementDay.objects.create(
            application=application,
            pupil=pupil,
            date=day,
            starts_at=ad.day_starts,
            ends_at=ad.day_ends,
            state=DayState.PLANNED,
        )
    application.week = week
    _event(application, "company_accept", status, Status.CONFIRMED, company_user)
    _set(application, Status.CONFIRMED)
    tz = timezone.get_current_timezone()
    for day in days:
        session_schedule(
            source=application,
            category=SessionCategory.INTERNSHIP,
            provider=ad.offer.provider,
            location=ad.offer.location,
            title=f"Verdiepende stage: {ad.offer.title}",
            starts_at=dt.datetime.combine(day, ad.day_starts, tzinfo=tz),
            ends_at=dt.datetime.combine(day, ad.day_ends, tzinfo=tz),
            pupils=[pupil],
            actor=None,
        )
    agreement_generate(application=application)
    if state == Status.COMPLETED:
        _event(application, "complete", Status.CONFIRMED, state, None)
        _set(application, state)
        if index % 3 != 2:
            Reflection.objects.create(
                application=application,
                rating=3 + index % 3,
                learned="Hoe je veilig werkt en dat techniek heel precies werk is.",
                would_choose_technology=index % 2 == 0,
            )
        if index % 4 != 3:
            Assessment.objects.create(
                application=application,
                rating=4,
                comments="Leergierig en op tijd.",
                hours=ad.days * 7,
                created_by=company_user,
            )
    return application


def _set(application: Application, status: str) -> Application:
    application.status = status
    application.save()
    return application


def load(ctx: DemoContext) -> None:
    region = Region.objects.filter(slug="techtown").first() or Region.objects.first()
    if region is None:
        ctx.log("internships: geen regio, overgeslagen")
        return
    activity_type = _activity_type(region)
    today = timezone.localdate()
    mondays = _weeks(today)
    ads: list[InternshipAd] = []
    for spec in ADS:
        company = Organisation.objects.filter(region=region, name=spec.company).first()
        if company is None:
            ctx.log(f"internships: bedrijf '{spec.company}' niet gevonden, overgeslagen")
            continue
        ad = _ad(spec, company, activity_type)
        for start in mondays:
            AdWeek.objects.get_or_create(ad=ad, week_start=start, defaults={"places": 2})
        ads.append(ad)
    if not ads:
        return
    past = [w for w in mondays if w + dt.timedelta(days=4) < today]
    future = [w for w in mondays if w > today]
    pupils = _pupils(region)
    made = 0
    for index, (state, pupil) in enumerate(zip(STATES, pupils, strict=False)):
        ad = ads[index % len(ads)]
        if Application.objects.filter(ad=ad, pupil=pupil).exists():
            continue
        done = state == Status.COMPLETED
        pool = past if done else future
        if not pool:
            continue
        week = AdWeek.objects.get(ad=ad, week_start=pool[index % len(pool)])
        company_user = _user(ad.offer.provider, Role.COMPANY_CONTACT, Role.ORG_ADMIN) or _user(
            pupil.school, Role.MENTOR
        )
        if _make(ad, pupil, state, week, company_user, index):
            made += 1
    demo_pupil = Pupil.objects.filter(user__email=DEMO_PUPIL_EMAIL).select_related("school").first()
    if demo_pupil is not None and future:
        ad = next(
            (a for a in ads if a.offer.provider.name == "Lomans"),
            ads[0],
        )
        if not demo_pupil.guardians.exclude(email="").exists():
            Guardian.objects.create(
                pupil=demo_pupil,
                name=f"Ouder van {demo_pupil.first_name}",
                email="ouder@dehef.demo",
            )
        if not Application.objects.filter(pupil=demo_pupil).exists():
            week = AdWeek.objects.get(ad=ad, week_start=future[0])
            company_user = _user(ad.offer.provider, Role.COMPANY_CONTACT, Role.ORG_ADMIN)
            if _make(ad, demo_pupil, Status.AWAITING_COMPANY, week, company_user, 0):
                made += 1
    ctx.log(f"internships: {len(ads)} advertenties, {made} nieuwe aanmeldingen")
