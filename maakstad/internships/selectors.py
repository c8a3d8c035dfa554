"""Reads for the internship pages: pre-joined, a fixed number of queries (DESIGN.md §4.2)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from maakstad.catalogue.models import AUDIENCE_KINDS, OfferStatus
from maakstad.core.bitmask import filter_any
from maakstad.internships import permissions
from maakstad.internships.models import (
    AdWeek,
    Agreement,
    Application,
    ApplicationEvent,
    Approval,
    InternshipAd,
    PlacementDay,
)
from maakstad.organisations.models import Location, Pupil


@dataclass
class AdFilters:
    school_kind: str = ""
    leerweg_id: int | None = None
    profile_id: int | None = None
    leerjaar: int | None = None
    week: dt.date | None = None
    max_km: int | None = None
    # A pupil's own attributes: then leerweg/profile restrictions must match exactly.
    strict: bool = False


def filters_for_pupil(pupil: Pupil, **extra: Any) -> AdFilters:
    return AdFilters(
        school_kind=pupil.school.kind,
        leerweg_id=pupil.leerweg_id,
        profile_id=pupil.profile_id,
        leerjaar=pupil.leerjaar,
        strict=True,
        **extra,
    )


def _km(a: Location | None, b: Location | None) -> float | None:
    if a is None or b is None or not a.has_coordinates or not b.has_coordinates:
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        (float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude)),  # type: ignore[arg-type]
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(h))


def ad_list(user: Any, filters: AdFilters, *, origin: Location | None = None) -> list[InternshipAd]:
    """Published ads that fit the filters, with their open weeks; 4 queries whatever the size."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    qs = (
        permissions.ads_for_user(user)
        .filter(offer__status=OfferStatus.PUBLISHED)
        .select_related("offer__provider", "offer__location")
        .prefetch_related(
            Prefetch(
                "weeks",
                queryset=AdWeek.objects.filter(week_start__gte=monday).order_by("week_start"),
                to_attr="open_weeks",
            ),
            Prefetch("offer__leerwegen"),
            Prefetch("offer__profiles"),
        )
        .order_by("offer__title")
    )
    if filters.school_kind in AUDIENCE_KINDS:
        qs = filter_any(qs, "offer__school_kinds_mask", [AUDIENCE_KINDS.index(filters.school_kind)])
    if filters.leerjaar:
        qs = filter_any(qs, "offer__leerjaren_mask", [filters.leerjaar])
    elif filters.strict:
        qs = qs.filter(offer__leerjaren_mask=0)
    week_start = filters.week - dt.timedelta(days=filters.week.weekday()) if filters.week else None
    ads: list[InternshipAd] = []
    # Audience by leerweg/profiel and the weeks are checked on the prefetched rows: cheaper than
    # correlated subqueries, and still a fixed number of queries.
    for ad in qs:
        leerwegen = {t.pk for t in ad.offer.leerwegen.all()}
        profiles = {t.pk for t in ad.offer.profiles.all()}
        wants_leerweg = leerwegen and (filters.leerweg_id or filters.strict)
        if wants_leerweg and filters.leerweg_id not in leerwegen:
            continue
        wants_profile = profiles and (filters.profile_id or filters.strict)
        if wants_profile and filters.profile_id not in profiles:
            continue
        open_weeks = ad.open_weeks  # type: ignore[attr-defined]
        if not open_weeks:
            continue
        if week_start and not any(
            w.week_start == week_start and w.places_taken < w.places for w in open_weeks
        ):
            continue
        ad.distance_km = _km(origin, ad.offer.location)  # type: ignore[attr-defined]
        ads.append(ad)
    if filters.max_km and origin is not None:
        ads = [a for a in ads if a.distance_km is not None and a.distance_km <= filters.max_km]  # type: ignore[attr-defined]
        ads.sort(key=lambda a: a.distance_km)  # type: ignore[attr-defined]
    return ads


def school_origin(school_id: int) -> Location | None:
    return Location.objects.filter(organisation_id=school_id).order_by("-is_main", "pk").first()


def ad_detail(ad: InternshipAd) -> InternshipAd:
    return (
        InternshipAd.objects.select_related("offer__provider", "offer__location")
        .prefetch_related("weeks", "offer__leerwegen", "offer__profiles")
        .get(pk=ad.pk)
    )


def company_ads(user: Any) -> QuerySet[InternshipAd]:
    return (
        InternshipAd.objects.filter(offer__provider_id__in=permissions.company_ids(user))
        .select_related("offer__provider")
        .prefetch_related("weeks")
        .order_by("offer__title")
    )


def application_list(user: Any, *, status: str = "") -> QuerySet[Application]:
    qs = (
        permissions.applications_for_user(user)
        .select_related("ad__offer__provider", "pupil__school", "week")
        .prefetch_related(
            Prefetch("days", queryset=PlacementDay.objects.order_by("date")), "preferred_weeks"
        )
        .annotate(agreement_exists=Exists(Agreement.objects.filter(application=OuterRef("pk"))))
        .order_by("-created_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def application_detail(application: Application) -> Application:
    return (
        Application.objects.select_related(
            "ad__offer__provider", "ad__offer__location", "pupil__school", "week", "proposed_week"
        )
        .prefetch_related(
            Prefetch("days", queryset=PlacementDay.objects.order_by("date")),
            "preferred_weeks",
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            Prefetch("approvals", queryset=Approval.objects.order_by("created_at", "id")),
        )
        .get(pk=application.pk)
    )


@dataclass(frozen=True)
class CompanyApplicationView:
    """Everything a company may know about an applicant (DESIGN.md §5), and nothing else."""

    pk: int
    first_name: str
    initial: str
    school: str
    leerjaar: int | None
    motivation: str
    status: str
    status_label: str
    preferred_weeks: tuple[AdWeek, ...]
    days: tuple[PlacementDay, ...]
    ad_title: str
    has_agreement: bool


def company_view(application: Application) -> CompanyApplicationView:
    return CompanyApplicationView(
        pk=application.pk,
        first_name=application.pupil.first_name,
        initial=application.pupil.initial,
        school=application.pupil.school.label,
        leerjaar=application.pupil.leerjaar,
        motivation=application.motivation,
        status=application.status,
        status_label=application.get_status_display(),
        preferred_weeks=tuple(application.preferred_weeks.all()),
        days=tuple(application.days.all()),
        ad_title=application.ad.offer.title,
        has_agreement=bool(application.agreement_exists)  # type: ignore[attr-defined]
        if hasattr(application, "agreement_exists")
        else has_agreement(application),
    )


def has_agreement(application: Application) -> bool:
    return Application.objects.filter(pk=application.pk, agreement__isnull=False).exists()


def monitoring_figures(
    region_id: int, *, starts_on: dt.date, ends_on: dt.date
) -> dict[str, float | int | None]:
    """Figures for the programme's monitoring (milestones 2.2.1 and 2.4.6), from planned days.

    A placement counts when it is confirmed or completed and has a planned day in the period.
    """
    from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Sum

    from maakstad.internships.models import Assessment, DayState, Reflection, Status

    placed = Application.objects.filter(
        pupil__school__region_id=region_id,
        status__in=(Status.CONFIRMED, Status.COMPLETED),
        days__state=DayState.PLANNED,
        days__date__range=(starts_on, ends_on),
    ).distinct()
    totals = placed.aggregate(
        companies=Count("ad__offer__provider", distinct=True),
        pupils=Count("pupil", distinct=True),
    )
    pro_vso = (
        placed.filter(pupil__school__kind__in=("pro", "vso")).values("pupil").distinct().count()
    )
    seconds = PlacementDay.objects.filter(
        application__in=placed.values("pk"),
        state=DayState.PLANNED,
        date__range=(starts_on, ends_on),
    ).aggregate(
        total=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField()))
    )["total"]
    reflections = Reflection.objects.filter(application__in=placed.values("pk")).aggregate(
        n=Count("pk"), rating=Avg("rating")
    )
    assessments = Assessment.objects.filter(application__in=placed.values("pk")).aggregate(
        n=Count("pk"), rating=Avg("rating"), hours=Sum("hours")
    )
    return {
        "companies_hosting": totals["companies"],
        "pupils_placed": totals["pupils"],
        "pro_vso_pupils_placed": pro_vso,
        "planned_hours": round(seconds.total_seconds() / 3600, 1) if seconds else 0,
        "reflections": reflections["n"],
        "reflection_rating": reflections["rating"],
        "assessments": assessments["n"],
        "assessment_rating": assessments["rating"],
        "supervised_hours": float(assessments["hours"] or 0),
    }
