"""Writes for the kennisbank. Every write keeps the search index and the audit log current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.catalogue.models import Offer
from maakstad.core import audit
from maakstad.core.notifications import notify
from maakstad.knowledge import search
from maakstad.knowledge.files import check_upload
from maakstad.knowledge.models import (
    Collection,
    CollectionItem,
    EditSuggestion,
    OfferMaterial,
    Resource,
    ResourceFile,
    ResourceKind,
    ResourceStatus,
    ResourceVersion,
    Review,
    SuggestionStatus,
    Usage,
)
from maakstad.knowledge.permissions import can_publish
from maakstad.organisations import permissions as org_permissions
from maakstad.organisations.models import Organisation, Region

TEXT_FIELDS = ("title", "summary", "body")
M2M_FIELDS = ("leerwegen", "profiles", "worlds", "themes", "mentalities", "tools")


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Geef het lesmateriaal een titel.")
    if not (values.get("summary") or "").strip():
        errors["summary"] = _("Schrijf een korte samenvatting (een of twee zinnen).")
    if values.get("kind") == ResourceKind.LINK and not values.get("url"):
        errors["url"] = _("Een video of weblink heeft een link nodig.")
    duration = values.get("duration_lessons")
    if duration is not None and not 1 <= duration <= 200:
        errors["duration_lessons"] = _("Vul een duur tussen 1 en 200 lessen in.")
    if errors:
        raise ValidationError(errors)


def _apply(resource: Resource, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in M2M_FIELDS:
            continue
        setattr(resource, name, value)


def _set_m2m(resource: Resource, values: dict[str, Any]) -> None:
    for name in M2M_FIELDS:
        if name in values:
            getattr(resource, name).set(values[name])


@transaction.atomic
def resource_create(
    *, region: Region, organisation: Organisation | None, values: dict[str, Any], actor: Any
) -> Resource:
    _validate(values)
    resource = Resource(region=region, organisation=organisation, author=actor)
    _apply(resource, values)
    resource.save()
    _set_m2m(resource, values)
    ResourceVersion.objects.create(
        resource=resource,
        number=1,
        title=resource.title,
        summary=resource.summary,
        body=resource.body,
        note=_("Eerste versie"),
        changed_by=actor,
    )
    search.index_resources([resource])
    audit.record(
        action="resource.created", obj=resource, actor=actor, after=audit.snapshot(resource)
    )
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, values: dict[str, Any], note: str = "", actor: Any
) -> Resource:
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    current = {name: getattr(resource, name) for name in ("kind", "title", "summary", "url")}
    _validate({**current, **values})
    before = audit.snapshot(resource)
    text_changed = any(
        name in values and values[name] != getattr(resource, name) for name in TEXT_FIELDS
    )
    _apply(resource, values)
    if text_changed:
        resource.version += 1
        ResourceVersion.objects.create(
            resource=resource,
            number=resource.version,
            title=resource.title,
            summary=resource.summary,
            body=resource.body,
            note=note,
            changed_by=actor,
        )
    resource.save()
    _set_m2m(resource, values)
    search.index_resources([resource])
    audit.record(
        action="resource.updated",
        obj=resource,
        actor=actor,
        before=before,
        after=audit.snapshot(resource),
    )
    return resource


@transaction.atomic
def resource_set_status(*, resource: Resource, status: str, actor: Any) -> Resource:
    if not can_publish(actor, resource):
        raise PermissionDenied
    if status not in ResourceStatus.values:
        raise ValidationError(_("Onbekende status."))
    before = resource.status
    resource.status = status
    if status == ResourceStatus.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
    resource.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        action=f"resource.{status}",
        obj=resource,
        actor=actor,
        before={"status": before},
        after={"status": status},
    )
    return resource


@transaction.atomic
def resource_file_add(*, resource: Resource, upload: UploadedFile, actor: Any) -> ResourceFile:
    if upload.file is None:
        raise ValidationError({"file": _("Kies een bestand.")})
    checked = check_upload(upload.file, upload.name or "", upload.size or 0)
    item = ResourceFile(
        resource=resource,
        storage_name=checked.storage_name,
        original_name=(upload.name or "bestand")[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    item.file.save(checked.storage_name, upload, save=False)
    item.save()
    audit.record(
        action="resource.file_added",
        obj=resource,
        actor=actor,
        after={"file": item.original_name, "size": item.size, "sha256": item.sha256},
    )
    return item


@transaction.atomic
def resource_file_delete(*, item: ResourceFile, actor: Any) -> None:
    resource = item.resource
    name = item.original_name
    item.file.delete(save=False)
    item.delete()
    audit.record(action="resource.file_deleted", obj=resource, actor=actor, before={"file": name})


@transaction.atomic
def usage_record(
    *,
    resource: Resource,
    school: Organisation,
    leerjaar: int | None,
    groep: int | None,
    used_on: dt.date,
    actor: Any,
) -> Usage:
    """'Ik heb dit gebruikt' — counted by the monitoring per school and leerjaar."""
    if school.pk not in org_permissions.school_ids_as_staff(actor):
        raise ValidationError(
            {"school": _("Je kunt alleen gebruik voor je eigen school vastleggen.")}
        )
    if used_on > dt.date.today():
        raise ValidationError({"used_on": _("Die datum ligt in de toekomst.")})
    if leerjaar is None and groep is None:
        raise ValidationError({"leerjaar": _("Vul het leerjaar of de groep in.")})
    usage = Usage.objects.create(
        resource=resource,
        user=actor,
        school=school,
        leerjaar=leerjaar,
        groep=groep,
        used_on=used_on,
    )
    audit.record(
        action="resource.used",
        obj=resource,
        actor=actor,
        after={"school": school.pk, "leerjaar": leerjaar, "groep": groep, "used_on": used_on},
    )
    return usage


@transaction.atomic
def review_save(*, resource: Resource, rating: int, text: str, actor: Any) -> Review:
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Geef een waardering van 1 tot 5.")})
    review, _created = Review.objects.update_or_create(
        resource=resource, user=actor, defaults={"rating": rating, "text": text}
    )
    audit.record(action="resource.reviewed", obj=resource, actor=actor, after={"rating": rating})
    return review


@transaction.atomic
def suggestion_create(*, resource: Resource, text: str, actor: Any) -> EditSuggestion:
    if len(text.strip()) < 10:
        raise ValidationError({"text": _("Beschrijf je voorstel in minstens een paar woorden.")})
    suggestion = EditSuggestion.objects.create(resource=resource, user=actor, text=text.strip())
    audit.record(
        action="resource.suggestion", obj=resource, actor=actor, after={"text": text[:200]}
    )
    if resource.author:
        notify(
            [resource.author],
            subject=_("Verbetervoorstel voor '%(title)s'") % {"title": resource.title},
            body=text.strip(),
            url=f"/kennisbank/{resource.pk}/",
        )
    return suggestion


@transaction.atomic
def suggestion_resolve(*, suggestion: EditSuggestion, accept: bool, actor: Any) -> EditSuggestion:
    suggestion.status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.DECLINED
    suggestion.save(update_fields=["status", "updated_at"])
    audit.record(
        action="resource.suggestion_resolved",
        obj=suggestion.resource,
        actor=actor,
        after={"suggestion": suggestion.pk, "status": suggestion.status},
    )
    return suggestion


@transaction.atomic
def offer_materials_set(
    *, offer: Offer, preparation: Iterable[Resource], follow_up: Iterable[Resource], actor: Any
) -> None:
    """Replace the offer's preparation and follow-up links; only published material of the region."""
    preparation, follow_up = list(preparation), list(follow_up)
    region_id = offer.provider.region_id
    for resource in preparation + follow_up:
        if resource.status != ResourceStatus.PUBLISHED or resource.region_id != region_id:
            raise ValidationError(
                _("Alleen gepubliceerd lesmateriaal uit de eigen regio kan worden gekoppeld.")
            )
    before = sorted(OfferMaterial.objects.filter(offer=offer).values_list("resource_id", "role"))
    OfferMaterial.objects.filter(offer=offer).delete()
    OfferMaterial.objects.bulk_create(
        [OfferMaterial(offer=offer, resource=r, role="preparation") for r in preparation]
        + [OfferMaterial(offer=offer, resource=r, role="follow_up") for r in follow_up]
    )
    audit.record(
        action="offer.materials_set",
        obj=offer,
        actor=actor,
        before={"links": [list(row) for row in before]},
        after={
            "preparation": [r.pk for r in preparation],
            "follow_up": [r.pk for r in follow_up],
        },
    )


@transaction.atomic
def collection_set_items(*, collection: Collection, resources: list[Resource], actor: Any) -> None:
    collection.items.all().delete()
    CollectionItem.objects.bulk_create(
        [
            CollectionItem(collection=collection, resource=r, position=i)
            for i, r in enumerate(resources, 1)
        ]
    )
    audit.record(
        action="collection.items_set", obj=collection, actor=actor, after={"count": len(resources)}
    )
