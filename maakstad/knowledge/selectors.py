"""Faceted search over the kennisbank, in a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, Prefetch, QuerySet

from maakstad.core.bitmask import filter_any
from maakstad.knowledge import search
from maakstad.knowledge.models import (
    AUDIENCE_KINDS,
    Licence,
    Resource,
    ResourceKind,
    ResourceStatus,
    Review,
    Usage,
)
from maakstad.knowledge.permissions import resources_for_user
from maakstad.organisations.models import Taxonomy, Term

TERM_FACETS = (
    ("worlds", Taxonomy.WORLD),
    ("themes", Taxonomy.THEME),
    ("profiles", Taxonomy.PROFILE),
    ("leerwegen", Taxonomy.LEERWEG),
    ("mentalities", Taxonomy.MENTALITY),
)
PAGE_SIZE = 20
LEERJAREN = range(1, 5)
GROEPEN = range(1, 9)


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    school_kind: str = ""
    leerjaar: int | None = None
    groep: int | None = None
    terms: dict[str, list[int]] = field(default_factory=dict)  # facet name -> term ids
    tools: list[int] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    status: str = ""
    sort: str = "relevance"  # or "newest"

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        def ints(name: str) -> list[int]:
            return [int(v) for v in data.getlist(name) if str(v).isdigit()]

        def one_int(name: str) -> int | None:
            value = data.get(name, "")
            return int(value) if str(value).isdigit() else None

        return cls(
            q=data.get("q", "").strip()[:200],
            kind=data.get("soort", "") if data.get("soort", "") in ResourceKind.values else "",
            school_kind=data.get("schoolsoort", "")
            if data.get("schoolsoort", "") in AUDIENCE_KINDS
            else "",
            leerjaar=one_int("leerjaar"),
            groep=one_int("groep"),
            terms={name: ints(name) for name, _taxonomy in TERM_FACETS},
            tools=ints("tools"),
            licences=[v for v in data.getlist("licence") if v in Licence.values],
            organisations=ints("organisation"),
            status=data.get("status", ""),
            sort="newest" if data.get("sorteer") == "nieuwste" else "relevance",
        )


@dataclass
class SearchResult:
    page: Page[Any]
    snippets: dict[int, str]
    facets: dict[str, list[dict[str, Any]]]
    total: int


def _filtered(user: Any, filters: Filters) -> QuerySet[Resource]:
    qs = resources_for_user(user)
    if filters.status in ResourceStatus.values:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status=ResourceStatus.PUBLISHED)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.school_kind:
        qs = filter_any(qs, "school_kinds_mask", [AUDIENCE_KINDS.index(filters.school_kind)])
    if filters.leerjaar:
        qs = filter_any(qs, "leerjaren_mask", [filters.leerjaar])
    if filters.groep:
        qs = filter_any(qs, "groepen_mask", [filters.groep])
    for name, ids in filters.terms.items():
        if ids:
            qs = qs.filter(**{f"{name}__in": ids})
    if filters.tools:
        qs = qs.filter(tools__in=filters.tools)
    if filters.licences:
        qs = qs.filter(licence__in=filters.licences)
    if filters.organisations:
        qs = qs.filter(organisation_id__in=filters.organisations)
    if any(filters.terms.values()) or filters.tools:
        qs = qs.distinct()
    return search.search(qs, filters.q)


def search_resources(user: Any, filters: Filters, page_number: Any = 1) -> SearchResult:
    filtered = _filtered(user, filters)
    if filters.q and filters.sort == "relevance":
        # Relevance: the search engine orders the matches once; the filters decide which stay.
        allowed = set(filtered.values_list("pk", flat=True))
        ordered: Any = [pk for pk in search.ranked_ids(filters.q) if pk in allowed]
    else:
        ordered = filtered.order_by(F("published_at").desc(nulls_last=True), "pk").values_list(
            "pk", flat=True
        )
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    ids: list[int] = list(page.object_list)
    rows = {
        resource.pk: resource
        for resource in Resource.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related(Prefetch("worlds", queryset=Term.objects.only("id", "name", "taxonomy")))
    }
    # Ratings and usage only for the page's rows, not for every match.
    ratings = dict(
        Review.objects.filter(resource_id__in=ids)
        .values_list("resource_id")
        .annotate(Avg("rating"))
    )
    usages = dict(
        Usage.objects.filter(resource_id__in=ids).values_list("resource_id").annotate(Count("id"))
    )
    resources = []
    for pk in ids:
        resource = rows[pk]
        resource.rating = ratings.get(pk)
        resource.usage_count = usages.get(pk, 0)
        resources.append(resource)
    page.object_list = resources
    return SearchResult(
        page=page,
        snippets=search.snippets(ids, filters.q),
        facets=_facets(filtered),
        total=page.paginator.count,
    )


def _facets(filtered: QuerySet[Resource]) -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value over the filtered set: one query per many-to-many facet, one for
    all the resource's own columns."""
    base = filtered.values("pk")
    facets: dict[str, list[dict[str, Any]]] = {}
    facets.update(_column_facets(base))
    for name, _taxonomy in TERM_FACETS:
        through = getattr(Resource, name).through
        rows = (
            through.objects.filter(resource_id__in=base)
            .values("term_id", "term__name")
            .annotate(n=Count("resource_id", distinct=True))
            .order_by("term__name")
        )
        facets[name] = [
            {"value": row["term_id"], "label": row["term__name"], "count": row["n"]} for row in rows
        ]
    tool_rows = (
        Resource.tools.through.objects.filter(resource_id__in=base)
        .values("tool_id", "tool__name")
        .annotate(n=Count("resource_id", distinct=True))
        .order_by("tool__name")
    )
    facets["tools"] = [
        {"value": r["tool_id"], "label": r["tool__name"], "count": r["n"]} for r in tool_rows
    ]
    return facets


def _column_facets(base: QuerySet[Any]) -> dict[str, list[dict[str, Any]]]:
    """Soort, licence, organisation, school kinds, leerjaren and groepen in one GROUP BY.

    These are columns of the resource with few distinct combinations, so the database groups by
    them once (one pass over the matches instead of one per facet) and the counts are summed
    here. The audience fields are bitmasks: a resource with an empty mask is meant for everyone,
    so it counts for every value, as the filter (`filter_any`) also finds it there.
    """
    masks = {
        "school_kind": ("school_kinds_mask", list(enumerate(AUDIENCE_KINDS))),
        "leerjaar": ("leerjaren_mask", [(i, str(i)) for i in LEERJAREN]),
        "groep": ("groepen_mask", [(i, str(i)) for i in GROEPEN]),
    }
    columns = [column for column, _values in masks.values()]
    rows = list(
        Resource.objects.filter(pk__in=base)
        .values("kind", "licence", "organisation_id", "organisation__name", *columns)
        .annotate(n=Count("pk"))
        .order_by()
    )

    def totals(key: str) -> dict[Any, int]:
        counts: dict[Any, int] = {}
        for row in rows:
            if row[key] is not None:
                counts[row[key]] = counts.get(row[key], 0) + row["n"]
        return counts

    kinds, licences = dict(ResourceKind.choices), dict(Licence.choices)
    per_kind, per_licence = totals("kind"), totals("licence")
    names = {row["organisation_id"]: row["organisation__name"] for row in rows}
    facets: dict[str, list[dict[str, Any]]] = {
        "kind": [
            {"value": value, "label": str(kinds[value]), "count": per_kind[value]}
            for value in sorted(per_kind)
        ],
        "licence": [
            {"value": value, "label": str(licences[value]), "count": per_licence[value]}
            for value in Licence.values
            if value in per_licence
        ],
        "organisation": sorted(
            (
                {"value": pk, "label": names[pk], "count": n}
                for pk, n in totals("organisation_id").items()
            ),
            key=lambda row: row["label"],
        ),
    }
    for name, (column, values) in masks.items():
        facets[name] = [
            {
                "value": label if name == "school_kind" else bit,
                "label": label,
                "count": sum(
                    row["n"] for row in rows if not row[column] or row[column] & (1 << bit)
                ),
            }
            for bit, label in values
        ]
    return facets


def resource_detail(resource: Resource) -> Resource:
    detail = (
        Resource.objects.select_related("organisation", "author", "region")
        .prefetch_related(
            "worlds",
            "themes",
            "profiles",
            "leerwegen",
            "mentalities",
            "tools",
            "files",
            "versions",
            "offer_links__offer__provider",
        )
        .get(pk=resource.pk)
    )
    summary = detail.reviews.aggregate(average=Avg("rating"), count=Count("id"))
    detail.rating = summary["average"]
    detail.review_count = summary["count"]
    return detail


# --- Lesmateriaal bij een aanbod: the picker on the offer's material page ---

PICKER_LIMIT = 20
ID = re.compile(r"[0-9]{1,18}")  # a database id: digits only, and small enough for a bigint


def parse_ids(values: Any) -> set[int]:
    """The ids among `values` (e.g. a query string's list); anything else is left out."""
    return {int(value) for value in values if ID.fullmatch(str(value))}


@dataclass
class PickerHits:
    resources: list[Resource]
    total: int  # every match, of which `resources` shows at most PICKER_LIMIT


def offer_material_choices(user: Any, offer: Any) -> QuerySet[Resource]:
    """What `user` may link to `offer`: published material of the offer's region that they see."""
    return resources_for_user(user).filter(
        region_id=offer.provider.region_id, status=ResourceStatus.PUBLISHED
    )


def offer_material_chosen(user: Any, offer: Any, ids: Any) -> list[Resource]:
    """The chosen resources among `ids` that `user` may link (unknown or hidden ids drop out)."""
    pks = parse_ids(ids)
    if not pks:
        return []
    return list(
        offer_material_choices(user, offer)
        .filter(pk__in=pks)
        .select_related("organisation")
        .order_by("title", "pk")
    )


def offer_material_hits(
    user: Any, offer: Any, text: str, *, exclude: Any = (), limit: int = PICKER_LIMIT
) -> PickerHits:
    """At most `limit` resources matching `text`, most relevant first, in three queries however
    large the kennisbank is; the resources in `exclude` (already chosen) are left out."""
    text = text.strip()[:200]
    if not text:
        return PickerHits(resources=[], total=0)
    skip = parse_ids(exclude)
    matches = search.search(offer_material_choices(user, offer), text)
    allowed = set(matches.values_list("pk", flat=True)) - skip
    ordered = [pk for pk in search.ranked_ids(text) if pk in allowed]
    rows = Resource.objects.select_related("organisation").in_bulk(ordered[:limit])
    return PickerHits(resources=[rows[pk] for pk in ordered[:limit]], total=len(ordered))
