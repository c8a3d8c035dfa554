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
