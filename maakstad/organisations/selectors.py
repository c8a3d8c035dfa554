"""Reads for organisation pages and lists, pre-joined (DESIGN.md §4.2)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from maakstad.organisations.models import Location, Membership, Organisation
from maakstad.organisations.permissions import memberships, organisations_for_user


def memberships_of(user: Any) -> list[Membership]:
    return memberships(user)


def organisation_list(user: Any, *, kind: str = "", q: str = "") -> QuerySet[Organisation]:
    qs = (
        organisations_for_user(user)
        .select_related("board")
        .annotate(location_count=Count("locations", distinct=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("name")


def organisation_detail(organisation: Organisation) -> Organisation:
    return (
        Organisation.objects.select_related("board", "region")
        .prefetch_related(
            "worlds",
            Prefetch("locations", queryset=Location.objects.order_by("-is_main", "name")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__full_name", "role"
                ),
            ),
            "offerings__profile",
            "offerings__leerweg",
        )
        .get(pk=organisation.pk)
    )
