"""Factories for kennisbank tests."""

from __future__ import annotations

from typing import Any

from maakstad.core.testing.world import World
from maakstad.knowledge import services
from maakstad.knowledge.models import Resource, ResourceKind, ResourceStatus


def make_resource(
    world: World,
    *,
    title: str = "Zonnepaneel bouwen",
    summary: str = "Leerlingen bouwen een klein zonnepaneel en meten de opbrengst.",
    body: str = "We meten **spanning** en stroom met een multimeter.",
    author_role: str = "teacher_a",
    status: str = ResourceStatus.PUBLISHED,
    **values: Any,
) -> Resource:
    author = world.user(author_role)
    organisation = world.school_a if author_role == "teacher_a" else world.company
    resource = services.resource_create(
        region=world.region,
        organisation=organisation,
        values={
            "kind": ResourceKind.LESSON_PLAN,
            "title": title,
            "summary": summary,
            "body": body,
            **values,
        },
        actor=author,
    )
    if status != ResourceStatus.DRAFT:
        services.resource_set_status(resource=resource, status=status, actor=author)
    return resource


def make_many_resources(
    world: World, count: int, *, title: str = "Lesbrief {i}", region: Any = None
) -> list[Resource]:
    """`count` published resources in one go (bulk insert plus the search index), for tests that
    need a large kennisbank; `title` may use `{i}`."""
    from django.utils import timezone

    from maakstad.knowledge import search

    now = timezone.now()
    resources = Resource.objects.bulk_create(
        Resource(
            region=region or world.region,
            organisation=world.school_a,
            author=world.user("teacher_a"),
            kind=ResourceKind.LESSON_PLAN,
            title=title.format(i=i),
            summary=f"Samenvatting van lesbrief {i}.",
            status=ResourceStatus.PUBLISHED,
            published_at=now,
        )
        for i in range(count)
    )
    search.index_resources(resources)
    return resources
