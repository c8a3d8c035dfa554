"""Writes for sessions and attendance. `session_schedule` is what other apps call."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.attendance.models import (
    Attendance,
    AttendanceStatus,
    ReportedHours,
    Session,
    SessionStatus,
)
from maakstad.core import audit
from maakstad.organisations.models import Location, Organisation, Pupil

STATIC_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _static_code() -> str:
    return "".join(secrets.choice(STATIC_CODE_ALPHABET) for _ in range(8))


@transaction.atomic
def session_schedule(
    *,
    source: models.Model,
    category: str,
    provider: Organisation,
    location: Location | None,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    pupils: Iterable[Pupil],
    actor: Any,
) -> Session:
    """Create or update the session for `source` at `starts_at`, expecting exactly `pupils`.

    Idempotent: calling it again with the same source and start updates the session and the
    expected pupils (new ones added, ones no longer expected removed unless already marked).
    """
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Het einde moet na het begin liggen.")})
    source_type = ContentType.objects.get_for_model(source)
    session, created = Session.objects.select_for_update().get_or_create(
        source_type=source_type,
        source_id=source.pk,
        starts_at=starts_at,
        defaults={
            "region_id": provider.region_id,
            "category": category,
            "provider": provider,
            "location": location,
            "title": title[:200],
            "ends_at": ends_at,
            "static_code": _static_code(),
        },
    )
    before = None if created else audit.snapshot(session)
    wanted = {p.pk for p in pupils}
    existing = set(session.attendances.values_list("pupil_id", flat=True))
    if not created:
        changes = {
            "category": category,
            "provider_id": provider.pk,
            "location_id": location.pk if location else None,
            "title": title[:200],
            "ends_at": ends_at,
            "status": SessionStatus.SCHEDULED,
        }
        changed = [name for name, value in changes.items() if getattr(session, name) != value]
        if not changed and wanted == existing:
            return session  # nothing to do: no save, no audit entry
        for name in changed:
            setattr(session, name, changes[name])
        if changed:
            session.save(update_fields=changed)
    Attendance.objects.bulk_create(
        [Attendance(session=session, pupil_id=pk) for pk in wanted - existing]
    )
    session.attendances.filter(
        pupil_id__in=existing - wanted, status=AttendanceStatus.EXPECTED
    ).delete()
    audit.record(
        action="session.scheduled" if created else "session.updated",
        obj=session,
        actor=actor,
        before=before,
        after={
            **audit.snapshot(session, ["title", "starts_at", "ends_at", "status"]),
            "pupils": len(wanted),
        },
    )
    return session


@transaction.atomic
def sessions_cancel_for_source(*, source: models.Model, actor: Any, reason: str = "") -> int:
    """Cancel every future session that comes from `source` (e.g. a cancelled booking)."""
    source_type = ContentType.objects.get_for_model(source)
    count = 0
    for session in Session.objects.select_for_update().filter(
        source_type=source_type, source_id=source.pk, status=SessionStatus.SCHEDULED
    ):
        session.status = SessionStatus.CANCELLED
        session.save(update_fields=["status", "updated_at"])
        audit.record(action="session.cancelled", obj=session, actor=actor, after={"reason": reason})
        count += 1
    return count


@transaction.atomic
def attendance_mark(*, attendance: Attendance, status: str, reason: str, actor: Any) -> Attendance:
    """The supervisor marks a pupil by hand (present, absent or excused), always with a reason."""
    if status not in AttendanceStatus.values or status == AttendanceStatus.EXPECTED:
        raise ValidationError({"status": _("Kies aanwezig, afwezig of afgemeld.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    before = audit.snapshot(attendance, ["status", "minutes", "reason"])
    attendance.status = status
    attendance.reason = reason.strip()[:250]
    attendance.marked_by = actor
    if status == AttendanceStatus.PRESENT and attendance.minutes is None:
        attendance.minutes = attendance.session.planned_minutes
    if status != AttendanceStatus.PRESENT:
        attendance.minutes = None
    attendance.save()
    audit.record(
        action="attendance.marked",
        obj=attendance,
        actor=actor,
        before=before,
        after=audit.snapshot(attendance, ["status", "minutes", "reason"]),
        region_id=attendance.session.region_id,
    )
    return attendance


@transaction.atomic
def session_confirm_duration(*, session: Session, actor: Any, rating: int | None = None) -> int:
    """Everyone present gets the planned duration (unless check-out recorded their own)."""
    count = session.attendances.filter(
        status=AttendanceStatus.PRESENT, checked_out_at__isnull=True
    ).update(minutes=session.planned_minutes)
    session.duration_confirmed_at = timezone.now()
    if rating is not None:
        if not 1 <= rating <= 5:
            raise ValidationError({"rating": _("Geef een waardering van 1 tot 5.")})
        session.supervisor_rating = rating
    session.save(update_fields=["duration_confirmed_at", "supervisor_rating", "updated_at"])
    audit.record(
        action="session.duration_confirmed",
        obj=session,
        actor=actor,
        after={"pupils": count, "minutes": session.planned_minutes, "rating": rating},
    )
    return count


@transaction.atomic
def session_rate(*, session: Session, rating: int, actor: Any) -> Session:
    """The supervisor's answer to "Hoe was het?" (1-5), on its own: no duration is confirmed."""
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Geef een waardering van 1 tot 5.")})
    before = session.supervisor_rating
    session.supervisor_rating = rating
    session.save(update_fields=["supervisor_rating", "updated_at"])
    audit.record(
        action="session.rated",
        obj=session,
        actor=actor,
        before={"rating": before},
        after={"rating": rating},
    )
    return session


def notify_absences(*, day: Any = None) -> int:
    """Mark expected pupils of sessions that ended today as absent and tell their school's mentors
    the same day (one message per school and session; no pupil data in URLs)."""
    from maakstad.core.notifications import notify
    from maakstad.organisations.models import Membership, Role

    now = timezone.now()
    day = day or timezone.localdate()
    sessions = Session.objects.filter(
        ends_at__date=day, ends_at__lte=now, status=SessionStatus.SCHEDULED
    )
    notified = 0
    for session in sessions:
        with transaction.atomic():
            missing = list(
                session.attendances.select_for_update()
                .filter(status=AttendanceStatus.EXPECTED, absence_notified_at__isnull=True)
                .select_related("pupil")
            )
            if not missing:
                continue
            by_school: dict[int, list[Attendance]] = {}
            for attendance in missing:
                by_school.setdefault(attendance.pupil.school_id, []).append(attendance)
            for school_id, rows in by_school.items():
                mentors = [
                    m.user
                    for m in Membership.objects.filter(
                        organisation_id=school_id, role__in=(Role.MENTOR, Role.DECAAN)
                    ).select_related("user")
                ]
                names = ", ".join(sorted(a.pupil.short_name for a in rows))
                notify(
                    mentors,
                    subject=_("Afwezig bij %(title)s") % {"title": session.title},
                    body=_("Niet ingecheckt bij %(title)s op %(day)s: %(names)s.")
                    % {
                        "title": session.title,
                        "day": timezone.localtime(session.starts_at).strftime("%d-%m-%Y"),
                        "names": names,
                    },
                )
                notified += len(rows)
            Attendance.objects.filter(pk__in=[a.pk for a in missing]).update(
                status=AttendanceStatus.ABSENT, absence_notified_at=now
            )
            audit.record(
                action="session.absences_notified",
                obj=session,
                actor=None,
                after={"pupils": len(missing)},
            )
    return notified


REPORT_COLUMNS = ("school", "bedrijf", "schooljaar", "halfjaar", "uren")


def reported_hours_save(
    *,
    school: Organisation,
    company: Organisation,
    school_year: str,
    half: int,
    hours: Any,
    actor: Any,
) -> ReportedHours:
    errors: dict[str, str] = {}
    if company.kind != "company":
        errors["company"] = _("Kies een bedrijf.")
    if (
        not re.fullmatch(r"(\d{4})-(\d{4})", school_year or "")
        or int(school_year[5:]) != int(school_year[:4]) + 1
    ):
        errors["school_year"] = _("Schrijf het schooljaar als 2025-2026.")
    if half not in (1, 2):
        errors["half"] = _("Kies het 1e of 2e halfjaar.")
    try:
        value = Decimal(str(hours).replace(",", "."))
        if value < 0 or value > 100000:
            raise InvalidOperation
    except InvalidOperation:
        errors["hours"] = _("Vul een aantal uren van 0 tot 100.000 in.")
        value = Decimal(0)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, created = ReportedHours.objects.update_or_create(
            school=school,
            company=company,
            school_year=school_year,
            half=half,
            defaults={
                "region_id": school.region_id,
                "hours": value,
                "reported_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        audit.record(
            action="reported_hours.saved",
            obj=row,
            actor=actor,
            after={"hours": str(value), "created": created},
            region_id=school.region_id,
        )
    return row


def reported_hours_import(*, school: Organisation, table: Any, actor: Any) -> tuple[int, list[str]]:
    """CSV/XLSX with columns bedrijf, schooljaar, halfjaar, uren. All or nothing."""
    missing = [c for c in ("bedrijf", "schooljaar", "halfjaar", "uren") if c not in table.header]
    if missing:
        return 0, [_("Kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)}]
    companies = {
        o.name.lower(): o
        for o in Organisation.objects.filter(region_id=school.region_id, kind="company")
    }
    errors: list[str] = []
    rows = []
    for number, row in table.rows:
        company = companies.get(row.get("bedrijf", "").strip().lower())
        half = row.get("halfjaar", "").strip()
        if company is None:
            errors.append(
                _("Regel %(line)s: bedrijf '%(name)s' staat niet in Maakstad.")
                % {"line": number, "name": row.get("bedrijf", "")}
            )
            continue
        if half not in ("1", "2"):
            errors.append(_("Regel %(line)s: halfjaar moet 1 of 2 zijn.") % {"line": number})
            continue
        rows.append(
            (
                number,
                company,
                row.get("schooljaar", "").strip(),
                int(half),
                row.get("uren", "").strip(),
            )
        )
    if errors:
        return 0, errors
    try:
        with transaction.atomic():
            for number, company, year, half, hours in rows:
                try:
                    reported_hours_save(
                        school=school,
                        company=company,
                        school_year=year,
                        half=half,
                        hours=hours,
                        actor=actor,
                    )
                except ValidationError as error:
                    errors.append(
                        _("Regel %(line)s: %(problems)s")
                        % {"line": number, "problems": "; ".join(error.messages)}
                    )
            if errors:
                raise ValidationError(errors)
    except ValidationError:
        return 0, errors
    return len(rows), []
