"""Reads for the menukaart: search with every condition, distance, the map and offer pages.

A search costs a fixed number of queries whatever the number of results: the term and activity
type lookups, one count (or one id query when a distance applies), one page query and one query
per prefetched list (tags, upcoming specific dates).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from maakstad.catalogue.dates import parse_date
from maakstad.catalogue.models import AUDIENCE_KINDS, ActivityType, Offer, OfferDate, OfferStatus
from maakstad.catalogue.permissions import offers_for_user
from maakstad.core.bitmask import filter_any
from maakstad.organisations.models import (
    PROVIDER_KINDS,
    Location,
    OrganisationKind,
    Taxonomy,
    Term,
)
from maakstad.organisations.permissions import school_ids_as_staff

PAGE_SIZE = 20
EARTH_RADIUS_KM = 6371.0088
MAX_KM = 200
# Query-string name -> (Offer m2m field, taxonomy, empty list means "open to all").
TERM_FILTERS: tuple[tuple[str, str, str, bool], ...] = (
    ("leerweg", "leerwegen", Taxonomy.LEERWEG, True),
    ("profiel", "profiles", Taxonomy.PROFILE, True),
    ("wereld", "worlds", Taxonomy.WORLD, False),
    ("thema", "themes", Taxonomy.THEME, False),
    ("type", "mentalities", Taxonomy.MENTALITY, False),
)


def stale_after_days() -> int:
    return settings.MAAKSTAD_STALE_AFTER_DAYS


def stale_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=stale_after_days())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square that contains the circle (padded by
    0.5 % for the small difference between a parallel and a great circle)."""
    km *= 1.005
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    dlon = math.degrees(km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@dataclass
class Filters:
    q: str = ""
    activity_types: list[str] = field(default_factory=list)
    school_kinds: list[str] = field(default_factory=list)
    leerjaar: int | None = None
    groep: int | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)  # query name -> term codes
    weekdays: list[int] = field(default_factory=list)
    cost: str = ""  # "gratis" | "betaald"
    techtown: bool = False
    provider_kinds: list[str] = field(default_factory=list)
    insurance: str = ""  # "ja" | "nee"
    pupils: int | None = None  # fits a class of N pupils: min_pupils <= N <= max_pupils
    max_minutes: int | None = None  # lasts at most this long (offers with a known duration)
    no_supervision: bool = False  # no supervision required from the school
    # Available on or after this date ("beschikbaar-vanaf"): a specific date on or after it, or
    # a range that has not ended by then; offers without range or dates are always available.
    available_on: dt.date | None = None
    origin: int | None = None  # a Location pk of one of the user's schools
    km: float | None = None
    sort: str = "nieuwste"  # or "afstand"

    @classmethod
    def from_query(cls, data: Any, *, preset_provider_kinds: Iterable[str] = ()) -> Filters:
        def one_int(name: str, low: int, high: int) -> int | None:
            value = str(data.get(name, "")).strip()
            return int(value) if value.isdigit() and low <= int(value) <= high else None

        def many(name: str, allowed: Iterable[str]) -> list[str]:
            options = set(allowed)
            return [v for v in dict.fromkeys(data.getlist(name)) if v in options]

        km_raw = str(data.get("km", "")).replace(",", ".").strip()
        try:
            km: float | None = float(km_raw) if km_raw else None
        except ValueError:
            km = None
        if km is not None and not 0 < km <= MAX_KM:
            km = None
        provider_kinds = many("aanbieder", PROVIDER_KINDS)
        if not provider_kinds and "aanbieder" not in data:
            provider_kinds = list(preset_provider_kinds)
        return cls(
            q=str(data.get("q", "")).strip()[:200],
            activity_types=[v for v in data.getlist("soort") if v][:20],
            school_kinds=many("schoolsoort", AUDIENCE_KINDS),
            leerjaar=one_int("leerjaar", 1, 6),
            groep=one_int("groep", 1, 8),
            terms={
                name: [v for v in dict.fromkeys(data.getlist(name)) if v][:20]
                for name, *_ in TERM_FILTERS
                if data.getlist(name)
            },
            weekdays=[int(v) for v in many("weekdag", [str(i) for i in range(7)])],
            cost=data.get("kosten", "") if data.get("kosten", "") in ("gratis", "betaald") else "",
            techtown=data.get("techtown") == "1",
            provider_kinds=provider_kinds,
            insurance=data.get("verzekering", "")
            if data.get("verzekering", "") in ("ja", "nee")
            else "",
            pupils=one_int("leerlingen", 1, 500),
            max_minutes=one_int("duur", 1, 60 * 24 * 5),
            no_supervision=data.get("zonder-begeleiding") == "1",
            available_on=parse_date(str(data.get("beschikbaar-vanaf", ""))[:20]),
            origin=one_int("vanaf", 1, 2**31 - 1),
            km=km,
            sort="afstand" if data.get("sorteer") == "afstand" else "nieuwste",
        )


def origin_locations(user: Any) -> list[Location]:
    """Locations of the user's own schools with coordinates: the possible 'from' points."""
    return list(
        Location.objects.filter(
            organisation_id__in=school_ids_as_staff(user),
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .select_related("organisation")
        .order_by("organisation__name", "-is_main", "name")
    )


def _term_ids(filters: Filters) -> dict[str, list[int]]:
    """Term codes from the query to ids, in one query."""
    if not filters.terms:
        return {}
    taxonomies = {name: taxonomy for name, _f, taxonomy, _o in TERM_FILTERS}
    wanted = Q()
    for name, values in filters.terms.items():
        wanted |= Q(taxonomy=taxonomies[name], code__in=values)
    by_key = {(t.taxonomy, t.code): t.pk for t in Term.objects.filter(wanted)}
    return {
        name: [by_key[(taxonomies[name], v)] for v in values if (taxonomies[name], v) in by_key]
        or [0]
        for name, values in filters.terms.items()
    }


def available_on_or_after(day: dt.date) -> Q:
    """Offers that take place on `day` or later, as one condition with two EXISTS subqueries
    (the (offer, date) unique index answers both):

    - a specific date on or after `day`; or
    - a range (`available_from`/`available_until`) that has not ended before `day`; or
    - neither a range nor specific dates (on request, all year).

    An offer with only specific dates, all before `day`, is left out."""
    dates = OfferDate.objects.filter(offer_id=OuterRef("pk"))
    has_range = Q(available_from__isnull=False) | Q(available_until__isnull=False)
    range_open = Q(available_until__isnull=True) | Q(available_until__gte=day)
    return (
        Q(Exists(dates.filter(date__gte=day)))
        | (has_range & range_open)
        | (~has_range & Q(~Exists(dates)))
    )


def upcoming_dates() -> Prefetch:  # type: ignore[type-arg]
    """Prefetch the offer's specific dates from today on as `offer.upcoming_dates`."""
    return Prefetch(
        "dates",
        queryset=OfferDate.objects.filter(date__gte=timezone.localdate()).order_by("date"),
        to_attr="upcoming_dates",
    )


def filter_offers(qs: QuerySet[Offer], filters: Filters) -> QuerySet[Offer]:
    """Every condition except distance, in SQL."""
    if filters.q:
        for word in filters.q.split()[:6]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(pupil_activities__icontains=word)
                | Q(provider__name__icontains=word)
                | Q(location__city__icontains=word)
            )
    if filters.activity_types:
        qs = qs.filter(activity_type__code__in=filters.activity_types)
    if filters.school_kinds:
        qs = filter_any(
            qs, "school_kinds_mask", [AUDIENCE_KINDS.index(k) for k in filters.school_kinds]
        )
    if filters.leerjaar is not None:
        qs = filter_any(qs, "leerjaren_mask", [filters.leerjaar])
    if filters.groep is not None:
        qs = filter_any(qs, "groepen_mask", [filters.groep])
    if filters.weekdays:
        qs = filter_any(qs, "weekdays_mask", filters.weekdays)
    ids = _term_ids(filters)
    for name, m2m, _taxonomy, open_when_empty in TERM_FILTERS:
        if name not in ids:
            continue
        through = Offer._meta.get_field(m2m).remote_field.through  # type: ignore[union-attr]
        match = Exists(through.objects.filter(offer_id=OuterRef("pk"), term_id__in=ids[name]))
        if open_when_empty:
            qs = qs.filter(match | ~Exists(through.objects.filter(offer_id=OuterRef("pk"))))
        else:
            qs = qs.filter(match)
    if filters.cost == "gratis":
        qs = qs.filter(Q(cost_unit="free") | Q(own_contribution_amount=0))
    elif filters.cost == "betaald":
        qs = qs.exclude(cost_unit="free")
    if filters.techtown:
        qs = qs.filter(is_programme_offer=True)
    if filters.provider_kinds:
        qs = qs.filter(provider__kind__in=filters.provider_kinds)
    if filters.insurance:
        qs = qs.filter(insurance_required=filters.insurance == "ja")
    if filters.pupils is not None:
        qs = qs.filter(
            Q(min_pupils__isnull=True) | Q(min_pupils__lte=filters.pupils),
            Q(max_pupils__isnull=True) | Q(max_pupils__gte=filters.pupils),
        )
    if filters.max_minutes is not None:
        qs = qs.filter(duration_minutes__isnull=False, duration_minutes__lte=filters.max_minutes)
    if filters.no_supervision:
        qs = qs.filter(supervision_required=False)
    if filters.available_on is not None:
        qs = qs.filter(available_on_or_after(filters.available_on))
    return qs


def _with_staleness(qs: QuerySet[Offer]) -> Any:
    """The queryset annotated with `is_stale` (typed Any: django-stubs cannot see annotations)."""
    return qs.annotate(
        is_stale=Case(
            When(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=stale_cutoff()), then=True),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


@dataclass
class SearchResult:
    page: Page  # type: ignore[type-arg]
    total: int
    origin: Location | None
    distances: dict[int, float]


def _origin(user: Any, filters: Filters, origins: list[Location] | None) -> Location | None:
    if filters.origin is None:
        return None
    for location in origins if origins is not None else origin_locations(user):
        if location.pk == filters.origin:
            return location
    return None


def _within(
    qs: QuerySet[Offer], origin: Location, km: float | None
) -> list[tuple[int, float, bool, Any]]:
    """(pk, distance, stale, published_at) of offers within `km` of `origin`: a bounding box in
    SQL, the exact great-circle distance here."""
    lat, lon = float(origin.latitude or 0), float(origin.longitude or 0)
    qs = qs.filter(location__latitude__isnull=False, location__longitude__isnull=False)
    if km is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, km)
        qs = qs.filter(
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lon, max_lon),
        )
    rows = []
    for pk, o_lat, o_lon, stale, published in _with_staleness(qs).values_list(
        "pk", "location__latitude", "location__longitude", "is_stale", "published_at"
    ):
        distance = haversine_km(lat, lon, float(o_lat), float(o_lon))
        if km is None or distance <= km:
            rows.append((pk, distance, bool(stale), published))
    return rows


def _page_queryset(qs: QuerySet[Offer]) -> Any:
    return _with_staleness(
        qs.select_related("provider", "activity_type", "location").prefetch_related(
            Prefetch("worlds", queryset=Term.objects.order_by("position", "name")),
            Prefetch("profiles", queryset=Term.objects.order_by("position", "name")),
            upcoming_dates(),
        )
    )


def search_offers(
    user: Any,
    filters: Filters,
    page_number: Any = 1,
    *,
    origins: list[Location] | None = None,
    published_only: bool = True,
) -> SearchResult:
    qs = offers_for_user(user)
    if published_only:
        qs = qs.filter(status=OfferStatus.PUBLISHED)
    qs = filter_offers(qs, filters)
    origin = _origin(user, filters, origins)
    if origin is not None and (filters.km is not None or filters.sort == "afstand"):
        rows = _within(qs, origin, filters.km)
        if filters.sort == "afstand":
            rows.sort(key=lambda r: (r[2], r[1]))
        else:
            epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
            rows.sort(key=lambda r: (r[2], -(r[3] or epoch).timestamp()))
        id_page = Paginator([r[0] for r in rows], PAGE_SIZE).get_page(page_number)
        objects = _page_queryset(Offer.objects.filter(pk__in=list(id_page.object_list))).in_bulk()
        id_page.object_list = [objects[pk] for pk in id_page.object_list if pk in objects]
        return SearchResult(
            page=id_page,
            total=len(rows),
            origin=origin,
            distances={r[0]: r[1] for r in rows if r[0] in objects},
        )
    ordered = _page_queryset(qs).order_by("is_stale", F("published_at").desc(nulls_last=True), "pk")
    paginator: Paginator[Offer] = Paginator(ordered, PAGE_SIZE)
    page = paginator.get_page(page_number)
    distances: dict[int, float] = {}
    if origin is not None:
        lat, lon = float(origin.latitude or 0), float(origin.longitude or 0)
        for offer in page.object_list:
            where = offer.location
            if where is not None and where.latitude is not None and where.longitude is not None:
                distances[offer.pk] = haversine_km(
                    lat, lon, float(where.latitude), float(where.longitude)
                )
    return SearchResult(page=page, total=paginator.count, origin=origin, distances=distances)


def geojson(user: Any, filters: Filters) -> dict[str, Any]:
    """Every matching published offer with coordinates as a compact GeoJSON FeatureCollection,
    in one query (a bounding box in SQL when a distance applies, the exact distance here):
    id, title, provider, type and a stale flag; the pop-up links to the offer page."""
    qs = filter_offers(offers_for_user(user).filter(status=OfferStatus.PUBLISHED), filters)
    qs = qs.filter(location__latitude__isnull=False, location__longitude__isnull=False)
    origin = _origin(user, filters, None) if filters.km is not None else None
    if origin is not None and filters.km is not None:
        lat0, lon0 = float(origin.latitude or 0), float(origin.longitude or 0)
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat0, lon0, filters.km)
        qs = qs.filter(
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lon, max_lon),
        )
    rows = _with_staleness(qs).values_list(
        "pk",
        "title",
        "provider__name",
        "activity_type__name",
        "location__latitude",
        "location__longitude",
        "is_stale",
    )
    features = []
    for pk, title, provider, kind, lat, lon, stale in rows:
        lat_f, lon_f = float(lat), float(lon)
        if (
            origin is not None
            and filters.km is not None
            and haversine_km(lat0, lon0, lat_f, lon_f) > filters.km
        ):
            continue
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [round(lon_f, 6), round(lat_f, 6)]},
                "properties": {"t": title, "p": provider, "a": kind, "s": 1 if stale else 0},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def offer_detail(offer: Offer) -> Offer:
    """The offer with everything its page shows, pre-joined."""
    return (
        _with_staleness(Offer.objects.filter(pk=offer.pk))
        .select_related("provider", "activity_type", "location", "contact")
        .prefetch_related(
            "leerwegen",
            "profiles",
            "worlds",
            "themes",
            "mentalities",
            upcoming_dates(),
            Prefetch(
                "material_links",
                # Only published material: a linked resource that went back to draft or was
                # archived is not shown to schools.
                queryset=offer.material_links.model.objects.filter(resource__status="published")
                .select_related("resource")
                .order_by("role", "resource__title"),
            ),
        )
        .get()
    )


def filter_options(region_ids: Iterable[int]) -> dict[str, Any]:
    """The choices of the filter form: activity types and terms, in two queries."""
    terms: dict[str, list[Term]] = {name: [] for name, *_ in TERM_FILTERS}
    by_taxonomy = {taxonomy: name for name, _f, taxonomy, _o in TERM_FILTERS}
    for term in Term.objects.filter(taxonomy__in=by_taxonomy, is_active=True).order_by(
        "taxonomy", "position", "name"
    ):
        terms[by_taxonomy[term.taxonomy]].append(term)
    types = list(
        ActivityType.objects.filter(region_id__in=list(region_ids), is_active=True).order_by(
            "position", "name"
        )
    )
    seen: dict[str, ActivityType] = {}
    for item in types:
        seen.setdefault(item.code, item)
    return {
        "activity_types": list(seen.values()),
        "terms": terms,
        "provider_kinds": [(k, OrganisationKind(k).label) for k in PROVIDER_KINDS],
        "school_kinds": [(k, OrganisationKind(k).label) for k in AUDIENCE_KINDS],
    }


def my_offers(user: Any, provider_ids: Iterable[int]) -> Any:
    return _with_staleness(
        Offer.objects.filter(provider_id__in=list(provider_ids)).select_related(
            "provider", "activity_type", "location"
        )
    ).order_by("provider__name", "status", "title")


def stale_offers(region_ids: Iterable[int]) -> QuerySet[Offer]:
    """Published offers not confirmed within the staleness age, oldest first."""
    return (
        Offer.objects.filter(provider__region_id__in=list(region_ids), status=OfferStatus.PUBLISHED)
        .filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=stale_cutoff()))
        .select_related("provider", "activity_type", "contact")
        .order_by(F("confirmed_at").asc(nulls_first=True), "title")
    )
