from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.attendance import checkin, codes, ledger, permissions, selectors, services
from maakstad.attendance.models import Attendance, AttendanceStatus, Session
from maakstad.core.management.commands.export import to_xlsx
from maakstad.core.qr import inline_svg
from maakstad.core.tabular import TableError, read_table
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations import permissions as org_permissions
from maakstad.organisations.models import Organisation


@login_required
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    pupil = org_permissions.pupil_of(request.user)
    since = timezone.now() - dt.timedelta(days=1)
    if pupil is not None:
        sessions = Session.objects.filter(
            attendances__pupil=pupil, ends_at__gte=since
        ).select_related("provider", "location")
    else:
        sessions = selectors.with_ratings(
            permissions.sessions_for_user(request.user)
            .filter(ends_at__gte=since)
            .select_related("provider", "location")
        )
    return render(
        request,
        "attendance/sessions.html",
        {"sessions": sessions.order_by("starts_at")[:100], "pupil": pupil},
    )


@login_required
def screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, pk, write=True)
    attendances = session.attendances.select_related("pupil", "pupil__school").order_by(
        "pupil__first_name"
    )
    return render(
        request,
        "attendance/screen.html",
        {
            "session": session,
            "attendances": attendances,
            "present": sum(1 for a in attendances if a.status == AttendanceStatus.PRESENT),
            "ratings": selectors.session_ratings(session),
            "statuses": [
                (AttendanceStatus.PRESENT, _("aanwezig")),
                (AttendanceStatus.ABSENT, _("afwezig")),
                (AttendanceStatus.EXCUSED, _("afgemeld")),
            ],
        },
    )


@login_required
def qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The rotating code (htmx polls this every few seconds)."""
    session = permissions.get_session_for_user(request.user, pk, write=True)
    step = codes.current_step()
    return render(
        request,
        "attendance/_qr.html",
        {
            "session": session,
            "svg": mark_safe(inline_svg(codes.qr_payload(session, step))),
            "short_code": codes.short_code(session, step),
        },
    )


@login_required
def static_code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, pk, write=True)
    return render(
        request,
        "attendance/static.html",
        {"session": session, "svg": mark_safe(inline_svg(session.static_code))},
    )


@login_required
@require_POST
def mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(Attendance, pk=pk)
    permissions.get_session_for_user(request.user, attendance.session_id, write=True)
    try:
        services.attendance_mark(
            attendance=attendance,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("Aanwezigheid bijgewerkt."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("attendance:screen", pk=attendance.session_id)


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, pk, write=True)
    count = services.session_confirm_duration(session=session, actor=request.user)
    messages.success(request, _("Geplande duur bevestigd voor %(n)s aanwezigen.") % {"n": count})
    return redirect("attendance:screen", pk=session.pk)


@login_required
@require_POST
def rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The supervisor's "Hoe was het?", separate from confirming the planned duration."""
    session = permissions.get_session_for_user(request.user, pk, write=True)
    rating = request.POST.get("rating", "")
    try:
        services.session_rate(
            session=session, rating=int(rating) if rating.isdigit() else 0, actor=request.user
        )
        messages.success(request, _("Bedankt voor je waardering."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("attendance:screen", pk=session.pk)


@login_required
def quality(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The check-out survey per host: the programme office's quality signal."""
    regions = org_permissions.programme_region_ids(request.user)
    if not regions:
        raise PermissionDenied
    sessions = Session.objects.filter(region_id__in=regions)
    return render(
        request,
        "attendance/quality.html",
        {"providers": selectors.quality_per_provider(sessions)},
    )


@login_required
def check_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    pupil = org_permissions.pupil_of(request.user)
    if pupil is None:
        raise PermissionDenied
    outcome = None
    if request.method == "POST":
        rating = request.POST.get("rating", "")
        outcome = checkin.check_in(
            pupil=pupil,
            text=request.POST.get("code", ""),
            direction="out" if request.POST.get("direction") == "out" else "in",
            rating=int(rating) if rating.isdigit() else None,
        )
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"outcome": outcome.code, "message": outcome.message})
    return render(request, "attendance/checkin.html", {"outcome": outcome})


@login_required
def ledger_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = org_permissions.programme_region_ids(request.user)
    if not regions:
        raise PermissionDenied
    from maakstad.organisations.models import Region

    region = Region.objects.get(pk=min(regions))
    school_year = request.GET.get("schooljaar", "")
    report = ledger.ledger(region, school_year or None)
    if request.GET.get("formaat") == "xlsx":
        response = HttpResponse(
            to_xlsx(*report.rows()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="cofinanciering.xlsx"'
        return response
    return render(
        request,
        "attendance/ledger.html",
        {"ledger": report, "categories": ledger.CATEGORY_LABELS, "school_year": school_year},
    )


@login_required
def reported_hours(request: AuthenticatedHttpRequest) -> HttpResponse:
    school_ids = permissions.can_report_hours(request.user)
    if not school_ids:
        raise PermissionDenied
    school = Organisation.objects.get(pk=min(school_ids))
    errors: list[str] = []
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None and not isinstance(upload, list):
        try:
            count, errors = services.reported_hours_import(
                school=school, table=read_table(upload, upload.name or ""), actor=request.user
            )
        except TableError as error:
            errors = [str(error)]
        if not errors:
            messages.success(request, _("%(n)s regels ingelezen.") % {"n": count})
            return redirect("attendance:reported_hours")
    elif request.method == "POST":
        company = Organisation.objects.filter(
            pk=request.POST.get("company") or 0, kind="company"
        ).first()
        try:
            if company is None:
                raise ValidationError({"company": _("Kies een bedrijf.")})
            services.reported_hours_save(
                school=school,
                company=company,
                school_year=request.POST.get("school_year", ""),
                half=int(request.POST.get("half") or 0),
                hours=request.POST.get("hours", ""),
                actor=request.user,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Uren opgeslagen."))
            return redirect("attendance:reported_hours")
    rows = school.reported_hours.select_related("company").order_by(
        "-school_year", "half", "company__name"
    )
    companies = Organisation.objects.filter(region_id=school.region_id, kind="company").order_by(
        "name"
    )
    return render(
        request,
        "attendance/reported_hours.html",
        {
            "school": school,
            "rows": rows,
            "companies": companies,
            "errors": errors,
            "posted": request.POST,
        },
    )
