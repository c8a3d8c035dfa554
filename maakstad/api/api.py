"""Maakstad API v1 (django-ninja): the public menukaart and, with an organisation's token,
that organisation's bookings, internship applications, sessions, co-financing and monitoring."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError

from maakstad.api import schemas, selectors
from maakstad.api.auth import RateLimited, TokenAuth, rate_limit, require_scope
from maakstad.api.models import Scope
from maakstad.api.permissions import is_programme_office
from maakstad.bookings.models import Status as BookingStatus
from maakstad.catalogue.models import AUDIENCE_KINDS
from maakstad.internships.models import Status as ApplicationStatus

api = NinjaAPI(
    title="Maakstad API",
    version="1",
    description=(
        "Alleen-lezen API van Maakstad. Het aanbod (menukaart) is openbaar; de overige "
        "onderdelen vragen een API-sleutel van uw organisatie (`Authorization: Bearer ...`). "
        "Zie docs/api.md."
    ),
    urls_namespace="api:v1",  # nested inside the app namespace of maakstad.api.urls
)

AUTH = TokenAuth()
ERRORS: dict[int, Any] = {
    401: schemas.Error,
    403: schemas.Error,
    422: dict[str, Any],
    429: schemas.Error,
}
PUBLIC_ERRORS: dict[int, Any] = {422: dict[str, Any]}

SchoolKind = Literal[*AUDIENCE_KINDS]  # type: ignore[valid-type]
BookingStatusCode = Literal[*BookingStatus.values]  # type: ignore[valid-type]
ApplicationStatusCode = Literal[*ApplicationStatus.values]  # type: ignore[valid-type]


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": f"Te veel verzoeken: hoogstens {rate_limit()} per minuut per sleutel."},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Geen geldige API-sleutel (onbekend of ingetrokken)."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="maakstad"'
    return response


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


def paginate(qs: QuerySet[Any], paging: PageQuery) -> dict[str, Any]:
    count = qs.count()
    start = (paging.page - 1) * paging.page_size
    items = list(qs[start : start + paging.page_size]) if start < count else []
    more = start + paging.page_size < count
    return {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "next_page": paging.page + 1 if more else None,
        "items": items,
    }


class OfferFilters(Schema):
    activity_type: str | None = Field(
        None, max_length=40, description="Code van de soort activiteit, bv. gastles"
    )
    school_kind: SchoolKind | None = Field(None, description="Alleen aanbod voor deze schoolsoort")
    region: str | None = Field(None, max_length=50, description="Slug van de regio")


@api.get(
    "/offers",
    response={200: schemas.OfferPage, **PUBLIC_ERRORS},
    tags=["menukaart"],
    summary="Gepubliceerd aanbod (openbaar)",
)
def offer_list(
    request: HttpRequest, filters: Query[OfferFilters], paging: Query[PageQuery]
) -> dict[str, Any]:
    qs = selectors.public_offers(
        activity_type=filters.activity_type,
        school_kind=filters.school_kind,
        region=filters.region,
    )
    return paginate(qs, paging)


class StatusFilter(Schema):
    status: BookingStatusCode | None = None


@api.get(
    "/bookings",
    auth=AUTH,
    response={200: schemas.BookingPage, **ERRORS},
    tags=["organisatie"],
    summary="Boekingen van uw organisatie (als school of aanbieder); recht: bookings",
)
def booking_list(
    request: HttpRequest, filters: Query[StatusFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    token = require_scope(request, Scope.BOOKINGS)
    return paginate(selectors.bookings_of(token.organisation, status=filters.status), paging)


class ApplicationFilter(Schema):
    status: ApplicationStatusCode | None = None


@api.get(
    "/internship-applications",
    auth=AUTH,
    response={200: schemas.ApplicationPage, **ERRORS},
    tags=["organisatie"],
    summary="Stage-aanmeldingen van uw leerlingen of bij uw bedrijf; recht: internships",
)
def application_list(
    request: HttpRequest, filters: Query[ApplicationFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    token = require_scope(request, Scope.INTERNSHIPS)
    return paginate(selectors.applications_of(token.organisation, status=filters.status), paging)


@api.get(
    "/sessions",
    auth=AUTH,
    response={200: schemas.SessionPage, **ERRORS},
    tags=["organisatie"],
    summary="Sessies die u ontvangt of waar uw leerlingen verwacht worden; recht: attendance",
)
def session_list(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    token = require_scope(request, Scope.ATTENDANCE)
    return paginate(selectors.sessions_of(token.organisation), paging)


class SchoolYearFilter(Schema):
    school_year: int | None = Field(
        None,
        ge=2000,
        le=2099,
        description="Beginjaar van het schooljaar: 2025 is 2025-2026; leeg: de hele programmaperiode",
    )


@api.get(
    "/cofinancing",
    auth=AUTH,
    response={200: schemas.CofinancingOut, **ERRORS},
    tags=["organisatie"],
    summary="Cofinanciering (uren × tarief); recht: cofinancing",
)
def cofinancing(request: HttpRequest, filters: Query[SchoolYearFilter]) -> dict[str, Any]:
    token = require_scope(request, Scope.COFINANCING)
    year = filters.school_year
    school_year = f"{year}-{year + 1}" if year is not None else None
    return selectors.cofinancing_of(token.organisation, school_year=school_year).as_dict()


@api.get(
    "/monitoring",
    auth=AUTH,
    response={200: schemas.MonitoringOut, 404: schemas.Error, **ERRORS},
    tags=["programmabureau"],
    summary="Mijlpalen en indicatoren van het programma; recht: monitoring (programmabureau)",
)
def monitoring(request: HttpRequest) -> dict[str, Any]:
    token = require_scope(request, Scope.MONITORING)
    if not is_programme_office(token.organisation):
        raise HttpError(403, "Monitoring is alleen voor het programmabureau.")
    data = selectors.monitoring_of(token.organisation, today=timezone.localdate())
    if data is None:
        raise HttpError(404, "Deze regio heeft (nog) geen programma.")
    programme = data["programme"]
    return {
        "programme": programme.name,
        "subsidy_number": programme.subsidy_number,
        "milestones": [
            {
                "key": row.milestone.key,
                "code": row.milestone.code,
                "action_line": row.milestone.action_line.number,
                "description": row.milestone.description,
                "target_year": row.milestone.target_year,
                "target_quarter": row.milestone.target_quarter,
                "numeric_target": row.milestone.numeric_target,
                "unit": row.milestone.unit,
                "indicator_code": row.milestone.indicator_code,
                "value": row.value,
                "status": row.status,
                "progress": row.progress,
                "achieved_on": row.milestone.achieved_on,
            }
            for row in data["rows"]
        ],
        "indicators": data["indicators"],
    }
