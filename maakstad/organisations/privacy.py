"""Privacy operations on pupils (AVG): export everything about one pupil, anonymise one pupil
(on the school's request, or by the retention task for school years long gone).

Every app that stores pupil-level data has a `maakstad/<app>/privacy.py` with
`export_pupil(pupil) -> dict` and `anonymise_pupil(pupil) -> None`; this module finds them, so a
new app cannot forget to be part of an export or an erasure without a test noticing
(`test_privacy.py` checks every model with a foreign key to `Pupil` is covered).

Anonymising keeps the rows that the monitoring counts (attendance, placements, choices, bookings
of classes) and removes what identifies the pupil: names, pupil number, guardians, the pupil's
account, free text written by or about the pupil, agreements, and the pupil's audit snapshots.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from maakstad.core import audit
from maakstad.core.models import AuditEntry, Notification
from maakstad.organisations.models import Guardian, Pupil

# The other apps with pupil-level data; each has `privacy.export_pupil` and `.anonymise_pupil`.
APPS = ("internships", "electives", "attendance", "monitoring", "sso")
ANONYMOUS_NAME = "Leerling"


def _hooks() -> list[Any]:
    modules = []
    for app in APPS:
        name = f"maakstad.{app}.privacy"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def export_pupil(pupil: Pupil) -> dict[str, Any]:
    """Everything Maakstad stores about one pupil, as JSON-able data (the AVG inzageverzoek)."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat(), **export_pupil_own(pupil)}
    for module in _hooks():
        data.update(module.export_pupil(pupil))
    return data


@transaction.atomic
def pupil_anonymise(*, pupil: Pupil, actor: Any, reason: str) -> Pupil:
    """Remove what identifies the pupil; keep what the monitoring counts. Cannot be undone."""
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if pupil.anonymised_at is not None:
        return pupil
    for module in _hooks():
        module.anonymise_pupil(pupil)
    anonymise_pupil_own(pupil)
    pupil.refresh_from_db()
    audit.record(
        action="pupil.anonymised",
        obj=pupil,
        actor=actor,
        after={"reason": reason},
        region_id=pupil.school.region_id,
    )
    return pupil


# The organisations app's own part -----------------------------------------------------------


def export_pupil_own(pupil: Pupil) -> dict[str, Any]:
    return {
        "pupil": {
            "school": pupil.school.name,
            "pupil_number": pupil.external_id,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "last_name_initial": pupil.last_name_initial,
            "class": pupil.class_name,
            "leerjaar": pupil.leerjaar,
            "groep": pupil.groep,
            "leerweg": pupil.leerweg.code if pupil.leerweg else None,
            "profiel": pupil.profile.code if pupil.profile else None,
            "account": pupil.user.email if pupil.user else None,
        },
        "guardians": [
            {"name": g.name, "email": g.email, "phone": g.phone} for g in pupil.guardians.all()
        ],
    }


def anonymise_pupil_own(pupil: Pupil) -> None:
    guardian_ids = list(pupil.guardians.values_list("pk", flat=True))
    _scrub_audit(Pupil, [pupil.pk])
    _scrub_audit(Guardian, guardian_ids)
    Guardian.objects.filter(pk__in=guardian_ids).delete()
    user = pupil.user
    if user is not None:
        Notification.objects.filter(recipient=user).delete()
        user.email = f"geanonimiseerd-{user.pk}@invalid.maakstad"
        user.full_name = ""
        user.phone = ""
        user.is_active = False
        user.password = make_password(None)
        user.save()
    Pupil.objects.filter(pk=pupil.pk).update(
        first_name=ANONYMOUS_NAME,
        last_name="",
        last_name_initial="",
        external_id=f"anon-{pupil.pk}",
        user=None,
        anonymised_at=timezone.now(),
    )


def _scrub_audit(model: Any, ids: list[int]) -> None:
    if not ids:
        return
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).update(before=None, after=None, object_repr="(geanonimiseerd)")


# Retention ------------------------------------------------------------------------------------


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    """Pupils whose last school year ended before this day are anonymised."""
    today = today or timezone.localdate()
    years = settings.MAAKSTAD_RETENTION_YEARS
    return today.replace(year=today.year - years)


def pupils_due(today: dt.date | None = None) -> QuerySet[Pupil]:
    cutoff = retention_cutoff(today)
    return Pupil.objects.filter(anonymised_at__isnull=True).filter(
        Q(school_year__ends_on__lt=cutoff)
        | Q(school_year__isnull=True, updated_at__date__lt=cutoff)
    )


def retention_run(today: dt.date | None = None) -> int:
    """Anonymise every pupil past the retention period; returns how many."""
    done = 0
    for pupil in pupils_due(today).iterator():
        pupil_anonymise(pupil=pupil, actor=None, reason="bewaartermijn verstreken")
        done += 1
    return done
