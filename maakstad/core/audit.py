"""Write audit entries. Every service that changes data calls `record` (DESIGN.md §4.1)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from maakstad.core.middleware import current_request_id
from maakstad.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys as ids), for before/after."""
    names = fields or [f.attname for f in obj._meta.concrete_fields if f.name not in {"password"}]
    return {name: _plain(getattr(obj, name)) for name in names}


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor: Any = None,
    actor_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    region_id: int | None = None,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    if region_id is None and obj is not None:
        region_id = getattr(obj, "region_id", None)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label or (str(user) if user else "systeem"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        region_id=region_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        request_id=current_request_id(),
    )


def history_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
