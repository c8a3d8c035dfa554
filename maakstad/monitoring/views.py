from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.core.tabular import TableError, read_table
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.monitoring import permissions, reports, selectors, services
from maakstad.monitoring.forms import (
    AchievedForm,
    CutsForm,
    ReviewForm,
    SchoolReportForm,
    SpendingForm,
    UploadForm,
)
from maakstad.monitoring.indicators import REGISTRY, Cuts
from maakstad.monitoring.models import Programme, SchoolReportStatus
from maakstad.organisations import permissions as org_permissions
from maakstad.organisations.models import Organisation, SchoolYear


def _apply_form_errors(form: SchoolReportForm | SpendingForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _cuts_form(
    request: AuthenticatedHttpRequest, programme: Programme, only: tuple[str, ...] = ()
) -> CutsForm:
    return CutsForm(
        request.GET or None,
        school_years=selectors.programme_school_years(programme, today=dt.date.today()),
        schools=selectors.region_schools(programme) if not only or "school" in only else [],
        only=only,
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user)
    form = _cuts_form(request, programme)
    cuts = form.cuts()
    indicators = selectors.indicator_rows(programme, cuts)
    context: dict[str, Any] = {
        "programme": programme,
        "form": form,
        "cuts_query": request.GET.urlencode(),
        "indicators": indicators,
    }
    if request.htmx:
        return render(request, "monitoring/dashboard.html#indicators", context)
    today = dt.date.today()
    # Without filters the indicator table holds the milestones' values already.
    uncut = {row.indicator.code: row.value for row in indicators} if cuts == Cuts() else None
    rows = selectors.milestone_rows(programme, today=today, values=uncut)
    budget = selectors.budget_overview(programme)
    context.update(
        {
            "rows": rows,
            "counts": selectors.status_counts(rows),
            "action_lines": programme.action_lines.all(),
            "budget": budget,
            "cofinancing": selectors.cofinancing_overview(programme, today=today),
            "chart": {
                "statuses": selectors.status_counts(rows),
                "budget_labels": list(budget["per_action_line"].keys()),
                "budget": [float(v["budget"]) for v in budget["per_action_line"].values()],
                "spent": [float(v["spent"]) for v in budget["per_action_line"].values()],
            },
        }
    )
    return render(request, "monitoring/dashboard.html", context)


@login_required
def indicator_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One indicator: its value per school year and per subregion and school kind, under the cuts."""
    programme = permissions.get_programme_for_user(request.user)
    indicator = REGISTRY.get(code)
    if indicator is None:
        raise Http404
    form = _cuts_form(request, programme)
    cuts = form.cuts()
    today = dt.date.today()
    series = selectors.indicator_series(programme, indicator, cuts, today=today)
    by_subregion = selectors.indicator_breakdown(programme, indicator, cuts, "subregion")
    by_kind = selectors.indicator_breakdown(programme, indicator, cuts, "school_kind")
    context = {
        "programme": programme,
        "indicator": indicator,
        "form": form,
        "value": indicator.compute(programme, cuts),
        "series": series,
        "by_subregion": by_subregion,
        "by_kind": by_kind,
        "milestones": programme.milestones.filter(indicator_code=code).order_by("position"),
        "chart": {
            "series_labels": [year for year, _v in series],
            "series": [float(v) for _y, v in series],
            "subregion_labels": [label for label, _v in by_subregion],
            "subregion": [float(v) for _l, v in by_subregion],
            "kind_labels": [label for label, _v in by_kind],
            "kind": [float(v) for _l, v in by_kind],
            "unit": indicator.unit,
        },
    }
    if request.htmx:
        return render(request, "monitoring/indicator.html#figures", context)
    return render(request, "monitoring/indicator.html", context)


@login_required
def report_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user)
    today = dt.date.today()
    response = HttpResponse(
        reports.quarterly_pdf(programme, today=today), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="voortgang-{reports.quarter_of(today)}.pdf"'
    )
    return response


@login_required
def report_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user)
    today = dt.date.today()
    response = HttpResponse(
        reports.workbook_xlsx(programme, today=today),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-{reports.quarter_of(today)}.xlsx"'
    )
    return response


@login_required
def milestones(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user)
    line = request.GET.get("actielijn", "")
    rows = selectors.milestone_rows(
        programme, today=dt.date.today(), action_line=int(line) if line.isdigit() else None
    )
    return render(
        request,
        "monitoring/milestones.html",
        {
            "programme": programme,
            "rows": rows,
            "action_lines": programme.action_lines.all(),
            "current_line": line,
            "can_write": org_permissions.is_programme_office(request.user, write=True),
            "achieved_form": AchievedForm(),
            "office_users": selectors.programme_office_users(programme),
        },
    )


@login_required
@require_POST
def milestone_achieved(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user, write=True)
    milestone = get_object_or_404(programme.milestones, pk=pk)
    form = AchievedForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_record_achieved(
                milestone=milestone,
                achieved_on=form.cleaned_data["achieved_on"],
                reported_value=form.cleaned_data["reported_value"],
                actor=request.user,
            )
            messages.success(request, _("Mijlpaal bijgewerkt."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Vul een geldige datum en stand in."))
    return redirect("monitoring:milestones")


@login_required
@require_POST
def milestone_responsible(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user, write=True)
    milestone = get_object_or_404(programme.milestones, pk=pk)
    raw = request.POST.get("responsible", "")
    responsible = None
    if raw:
        if not raw.isdigit():
            raise Http404
        responsible = get_object_or_404(selectors.programme_office_users(programme), pk=int(raw))
    try:
        services.milestone_set_responsible(
            milestone=milestone, responsible=responsible, actor=request.user
        )
        messages.success(request, _("Verantwoordelijke bijgewerkt."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("monitoring:milestones")


def _can_manage_money(request: AuthenticatedHttpRequest) -> bool:
    from maakstad.organisations.models import Role

    return org_permissions.has_role(
        request.user, Role.PROGRAMME_MANAGER, Role.CONTROLLER, Role.PROGRAMME_SUPPORT
    )


@login_required
def budget(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = permissions.get_programme_for_user(request.user)
    form = UploadForm()
    spending_form = SpendingForm(programme=programme)
    report: list[str] = []
    if request.method == "POST" and "document_reference" in request.POST:
        # One spending line entered by hand.
        if not _can_manage_money(request):
            raise PermissionDenied
        spending_form = SpendingForm(request.POST, programme=programme)
        if spending_form.is_valid():
            data = spending_form.cleaned_data
            try:
                services.spending_create(
                    programme=programme,
                    budget_line=data["budget_line"],
                    spent_on=data["spent_on"],
                    amount=data["amount"],
                    document_reference=data["document_reference"],
                    description=data["description"],
                    is_forecast=data["is_forecast"],
                    actor=request.user,
                )
            except ValidationError as error:
                _apply_form_errors(spending_form, error)
            else:
                messages.success(request, _("Uitgave geboekt."))
                return redirect("monitoring:budget")
    elif request.method == "POST":
        if not _can_manage_money(request):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = read_table(upload, upload.name)
            except TableError as error:
                form.add_error("file", str(error))
            else:
                result = services.spending_import(
                    programme=programme, table=table, actor=request.user
                )
                if result.errors:
                    report = result.errors
                    messages.error(request, _("Er is niets ingelezen: los de fouten hieronder op."))
                else:
                    messages.success(
                        request, _("%(n)s uitgaven ingelezen.") % {"n": result.created}
                    )
                    return redirect("monitoring:budget")
    return render(
        request,
        "monitoring/budget.html",
        {
            "programme": programme,
            "overview": selectors.budget_overview(programme),
            "form": form,
            "spending_form": spending_form,
            "report": report,
            "can_manage": _can_manage_money(request),
        },
    )


@login_required
def school_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Programme office: completion per school. School staff: straight to their own report."""
    school_ids = permissions.reporting_school_ids(request.user)
    if not org_permissions.programme_region_ids(request.user):
        if not school_ids:
            raise PermissionDenied
        school = Organisation.objects.get(pk=min(school_ids))
        programme = get_object_or_404(permissions.Programme.objects, region_id=school.region_id)
        report = services.school_report_open(
            programme=programme,
            school=school,
            school_year=SchoolYear.for_date(dt.date.today()),
            actor=request.user,
        )
        return redirect("monitoring:school_report", pk=report.pk)
    programme = permissions.get_programme_for_user(request.user)
    year = SchoolYear.for_date(dt.date.today())
    if request.method == "POST" and request.POST.get("herinneren"):
        if not org_permissions.is_programme_office(
            request.user, write=True, region_id=programme.region_id
        ):
            raise PermissionDenied
        count = services.school_report_remind(
            programme=programme, school_year=year, actor=request.user
        )
        messages.success(request, _("%(n)s scholen herinnerd.") % {"n": count})
        return redirect("monitoring:school_reports")
    overview = selectors.school_report_overview(programme, year.pk)
    schools = (
        Organisation.objects.filter(region=programme.region, kind__in=("vmbo", "pro", "vso"))
        .exclude(school_reports__school_year=year)
        .order_by("name")
    )
    return render(
        request,
        "monitoring/school_reports.html",
        {"programme": programme, "year": year, "overview": overview, "missing": schools},
    )


@login_required
def school_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_school_report_for_user(request.user, pk)
    can_edit = report.school_id in permissions.reporting_school_ids(
        request.user
    ) and report.status in (
        SchoolReportStatus.DRAFT,
        SchoolReportStatus.RETURNED,
    )
    form = SchoolReportForm(instance=report)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = SchoolReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                services.school_report_update(
                    report=report, values=form.report_values(), actor=request.user
                )
            except ValidationError as error:
                _apply_form_errors(form, error)
            else:
                if "submit" in request.POST:
                    services.school_report_submit(report=report, actor=request.user)
                    messages.success(request, _("De rapportage is ingediend. Dank je wel!"))
                else:
                    messages.success(request, _("Opgeslagen."))
                return redirect("monitoring:school_report", pk=report.pk)
    known = [
        (
            indicator.name,
            indicator.compute(
                report.programme,
                Cuts(school_id=report.school_id, school_year=report.school_year.name),
            ),
            indicator.unit,
        )
        for indicator in REGISTRY.values()
        if indicator.per_school
    ]
    return render(
        request,
        "monitoring/school_report.html",
        {
            "report": report,
            "form": form,
            "can_edit": can_edit,
            "can_review": permissions.can_review(request.user, report.programme)
            and report.status == SchoolReportStatus.SUBMITTED,
            "review_form": ReviewForm(),
            "known": known,
            "can_upload": report.school_id in permissions.reporting_school_ids(request.user),
            "follow_ups": report.school.follow_ups.filter(
                school_year_id=report.school_year_id
            ).count(),
        },
    )


@login_required
@require_POST
def school_report_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_school_report_for_user(request.user, pk)
    if not permissions.can_review(request.user, report.programme):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.school_report_review(
            report=report,
            accept=request.POST.get("decision") == "accept",
            notes=form.cleaned_data.get("review_notes", ""),
            actor=request.user,
        )
        messages.success(request, _("Beoordeling opgeslagen."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("monitoring:school_report", pk=report.pk)


def _map_settings() -> dict[str, str]:
    from django.conf import settings

    return {
        "tile_url": settings.MAAKSTAD_TILE_URL,
        "tile_attribution": settings.MAAKSTAD_TILE_ATTRIBUTION,
    }


@login_required
def action_line_dashboard(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """One action line: its milestones' progress, budget burn, reach and a map of its activity."""
    programme = permissions.get_programme_for_user(request.user)
    line = get_object_or_404(programme.action_lines.select_related("lead"), number=number)
    form = _cuts_form(request, programme)
    cuts = form.cuts()
    today = dt.date.today()
    rows = selectors.milestone_rows(programme, today=today, action_line=number)
    codes = [row.milestone.indicator_code for row in rows if row.milestone.indicator_code]
    indicators = [
        selectors.IndicatorRow(REGISTRY[code], REGISTRY[code].compute(programme, cuts))
        for code in dict.fromkeys(codes)
        if code in REGISTRY
    ]
    reach = REGISTRY["pupils_reached"]
    by_kind = selectors.indicator_breakdown(programme, reach, cuts, "school_kind")
    by_subregion = selectors.indicator_breakdown(programme, reach, cuts, "subregion")
    money = selectors.action_line_budget(programme, number)
    categories = selectors.ACTION_LINE_CATEGORIES.get(number, ())
    return render(
        request,
        "monitoring/action_line.html",
        {
            "programme": programme,
            "line": line,
            "form": form,
            "rows": rows,
            "counts": selectors.status_counts(rows),
            "indicators": indicators,
            "money": money,
            "by_kind": by_kind,
            "by_subregion": by_subregion,
            "has_map": bool(categories),
            **_map_settings(),
            "dash": {
                "progress": selectors.progress_chart(rows),
                "burn": {
                    "labels": [q for q, _v in money["cumulative"]],
                    "spent": [float(v) for _q, v in money["cumulative"]],
                    "budget": float(money["budget"]),
                },
                "reach": {
                    "labels": [label for label, _v in by_kind + by_subregion],
                    "values": [float(v) for _l, v in by_kind + by_subregion],
                },
                "points": selectors.activity_density(
                    programme, categories=categories, school_year=cuts.school_year
                )
                if categories
                else [],
            },
        },
    )


@login_required
def school_dashboards(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The programme office picks a school; school staff go straight to their own."""
    from maakstad.organisations.models import OrganisationKind

    if not org_permissions.programme_region_ids(request.user):
        own = sorted(org_permissions.school_ids_as_staff(request.user))
        if not own:
            raise PermissionDenied
        return redirect("monitoring:school_dashboard", pk=own[0])
    programme = permissions.get_programme_for_user(request.user)
    schools = selectors.region_schools(programme).exclude(kind=OrganisationKind.MBO)
    return render(
        request,
        "monitoring/school_dashboards.html",
        {"programme": programme, "schools": schools},
    )


@login_required
def school_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One school: what Maakstad knows of its pupils' activity, over time and on the map."""
    school, programme = permissions.get_school_for_dashboard(request.user, pk)
    form = _cuts_form(request, programme, only=("schooljaar",))
    cuts = Cuts(school_id=school.pk, school_year=form.cuts().school_year)
    today = dt.date.today()
    indicators = [
        selectors.IndicatorRow(indicator, indicator.compute(programme, cuts))
        for indicator in REGISTRY.values()
        if indicator.per_school
    ]
    reach = selectors.indicator_series(programme, REGISTRY["pupils_reached"], cuts, today=today)
    hours = selectors.indicator_series(programme, REGISTRY["cofinancing_hours"], cuts, today=today)
    reports = school.school_reports.select_related("school_year").order_by("-school_year__name")
    return render(
        request,
        "monitoring/school_dashboard.html",
        {
            "programme": programme,
            "school": school,
            "form": form,
            "indicators": indicators,
            "reports": reports,
            "is_programme_office": school.region_id
            in org_permissions.programme_region_ids(request.user),
            "has_map": True,
            **_map_settings(),
            "dash": {
                "over_time": {
                    "labels": [year for year, _v in reach],
                    "reach": [float(v) for _y, v in reach],
                    "hours": [float(v) for _y, v in hours],
                },
                "points": selectors.activity_density(
                    programme, school_id=school.pk, school_year=cuts.school_year
                ),
            },
        },
    )


@login_required
def impact(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Impact: NPRZ indicator and girls over time, cohorts by activity; aggregates of >= 5 only."""
    from maakstad.monitoring import impact as impact_selectors
    from maakstad.monitoring.models import FollowUpStage

    programme = permissions.get_programme_for_user(request.user)
    form = _cuts_form(request, programme)
    cuts = form.cuts()
    stage = request.GET.get("moment", FollowUpStage.OUTFLOW)
    if stage not in FollowUpStage.values:
        stage = FollowUpStage.OUTFLOW
    series = impact_selectors.outflow_series(programme, cuts, today=dt.date.today())
    return render(
        request,
        "monitoring/impact.html",
        {
            "programme": programme,
            "form": form,
            "series": series,
            "girls_change": impact_selectors.girls_change(series),
            "cohorts": impact_selectors.cohorts(programme, stage, cuts),
            "stage": stage,
            "stages": FollowUpStage.choices,
            "min_group": impact_selectors.MIN_GROUP,
            "baseline": impact_selectors.NPRZ_BASELINE,
            "target": impact_selectors.NPRZ_TARGET,
            "girls_target": impact_selectors.GIRLS_TARGET_INCREASE,
            "chart": {
                "labels": [year for year, _o in series],
                "share": [
                    float(o.total.percent) if o.total.percent is not None else None
                    for _y, o in series
                ],
                "girls": [o.girls_technical for _y, o in series],
                "baseline": float(impact_selectors.NPRZ_BASELINE),
                "target": float(impact_selectors.NPRZ_TARGET),
            },
        },
    )


@login_required
@require_POST
def follow_up_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A school uploads its pupils' follow-up choices (per pupil) for the report's school year."""
    report = permissions.get_school_report_for_user(request.user, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Kies een CSV- of XLSX-bestand."))
        return redirect("monitoring:school_report", pk=report.pk)
    upload = form.cleaned_data["file"]
    try:
        table = read_table(upload, upload.name)
    except TableError as error:
        messages.error(request, str(error))
        return redirect("monitoring:school_report", pk=report.pk)
    result = services.follow_up_import(report=report, table=table, actor=request.user)
    if result.errors:
        messages.error(
            request,
            _("Er is niets ingelezen: %(errors)s") % {"errors": " · ".join(result.errors[:10])},
        )
    else:
        messages.success(request, _("%(n)s vervolgkeuzes ingelezen.") % {"n": result.created})
    return redirect("monitoring:school_report", pk=report.pk)
