"""Who sees and edits what in the kennisbank.

Published material is for all staff of the region (not pupils). Drafts are visible to their author,
the author's organisation and the programme office. Authors, their organisation's admins and the
programme office edit; authors and the programme office publish; everyone else can suggest edits.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from maakstad.knowledge.models import Collection, Resource, ResourceStatus
from maakstad.organisations import permissions
from maakstad.organisations.models import Role


def is_staff_reader(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and permissions.pupil_of(user) is None
        and bool(permissions.region_ids(user))
    )


def resources_for_user(user: Any) -> QuerySet[Resource]:
    if not is_staff_reader(user):
        return Resource.objects.none()
    regions = permissions.region_ids(user)
    visible = Q(status=ResourceStatus.PUBLISHED) | Q(author=user)
    visible |= Q(organisation_id__in=permissions.organisation_ids(user))
    visible |= Q(region_id__in=permissions.programme_region_ids(user))
    return Resource.objects.filter(visible, region_id__in=regions)


def can_edit(user: Any, resource: Resource) -> bool:
    return (
        resource.author_id == user.pk
        or permissions.has_role(user, Role.ORG_ADMIN, organisation_id=resource.organisation_id)
        or permissions.is_programme_office(user, write=True, region_id=resource.region_id)
    )


def can_publish(user: Any, resource: Resource) -> bool:
    return resource.author_id == user.pk or permissions.is_programme_office(
        user, write=True, region_id=resource.region_id
    )


def get_resource_for_user(user: Any, pk: int, *, write: bool = False) -> Resource:
    resource = resources_for_user(user).filter(pk=pk).first()
    if resource is None:
        raise Http404
    if write and not can_edit(user, resource):
        raise PermissionDenied
    return resource


def collections_for_user(user: Any) -> QuerySet[Collection]:
    if not is_staff_reader(user):
        return Collection.objects.none()
    return Collection.objects.filter(region_id__in=permissions.region_ids(user))


def get_collection_for_user(user: Any, pk: int) -> Collection:
    collection = collections_for_user(user).filter(pk=pk).first()
    if collection is None:
        raise Http404
    return collection
