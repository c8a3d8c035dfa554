"""Writes for the programme: importing the plan, recording milestones."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from maakstad.core import audit
from maakstad.core.notifications import notify
from maakstad.core.tabular import Table
from maakstad.monitoring.indicators import DEFAULT_BINDINGS, is_computed
from maakstad.monitoring.models import (
    ActionLine,
    Activity,
    BudgetLine,
    Milestone,
    Programme,
    SchoolReport,
    SchoolReportStatus,
    Spending,
)
from maakstad.monitoring.plan_io import PlanReport
from maakstad.organisations.models import Organisation, Region, SchoolYear

TAXONOMIES_CSV = (
    Path(__file__).resolve().parent.parent / "organisations" / "data" / "taxonomies.csv"
)
COST_GROUPS = {"comms": "Communicatie", "prog": "Programmaorganisatie"}


def action_line_names() -> dict[int, str]:
    with TAXONOMIES_CSV.open(encoding="utf-8") as handle:
        return {
            int(row["code"]): row["name_nl"]
            for row in csv.DictReader(handle)
            if row["taxonomy"] == "action_line"
        }


@transaction.atomic
def programme_ensure(
    *,
    region: Region,
    name: str,
    subsidy_number: str = "",
    starts_on: dt.date,
    ends_on: dt.date,
    actor: Any,
) -> Programme:
    programme, created = Programme.objects.get_or_create(
        region=region,
        defaults={
            "name": name,
            "subsidy_number": subsidy_number,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    if created:
        audit.record(
            action="programme.created", obj=programme, actor=actor, after=audit.snapshot(programme)
        )
    names = action_line_names()
    for number, line_name in names.items():
        ActionLine.objects.get_or_create(
            programme=programme, number=number, defaults={"name": line_name}
        )
    return programme


@transaction.atomic
def programme_set_cofinancing_requirement(
    *, programme: Programme, required_hours: Decimal, actor: Any
) -> Programme:
    """Set the co-financing the plan requires over the whole programme, in company hours."""
    if required_hours < 0:
        raise ValidationError(
            {"cofinancing_required_hours": "De vereiste cofinanciering kan niet negatief zijn."}
        )
    if programme.cofinancing_required_hours == required_hours:
        return programme
    before = audit.snapshot(programme, ["cofinancing_required_hours"])
    programme.cofinancing_required_hours = required_hours
    programme.save(update_fields=["cofinancing_required_hours"])
    audit.record(
        action="programme.cofinancing_requirement_set",
        obj=programme,
        actor=actor,
        before=before,
        after=audit.snapshot(programme, ["cofinancing_required_hours"]),
        region_id=programme.region_id,
    )
    return programme


def _activity(programme: Programme, code: str, action_line: ActionLine | None) -> Activity | None:
    if not code:
        return None
    parent = None
    if "." in code:
        parent_code = code.rsplit(".", 1)[0]
        if parent_code.count(".") >= 1:
            parent = _activity(programme, parent_code, action_line)
    activity, _created = Activity.objects.get_or_create(
        programme=programme,
        code=code,
        defaults={"action_line": action_line, "parent": parent, "name": COST_GROUPS.get(code, "")},
    )
    return activity


@transaction.atomic
def plan_import(*, programme: Programme, report: PlanReport, actor: Any) -> dict[str, int]:
    """Apply a validated plan: milestones by their own key, budget lines by position.

    All or nothing: a report with errors imports nothing. Re-importing updates in place.
    """
    if not report.ok:
        raise ValidationError(report.errors)
    lines = {line.number: line for line in programme.action_lines.all()}
    counts = {"milestones_created": 0, "milestones_updated": 0, "budget_lines": 0}
    for position, row in enumerate(report.milestones):
        action_line = lines.get(row.action_line)
        if action_line is None:
            action_line = ActionLine.objects.create(
                programme=programme, number=row.action_line, name=f"Actielijn {row.action_line}"
            )
            lines[row.action_line] = action_line
        _milestone, created = Milestone.objects.update_or_create(
            programme=programme,
            key=row.key,
            defaults={
                "code": row.code,
                "action_line": action_line,
                "activity": _activity(programme, row.code, action_line),
                "description": row.description,
                "target_year": row.year,
                "target_quarter": row.quarter,
                "quarter_as_written": row.quarter_as_written,
                "numeric_target": row.numeric_target,
                "unit": row.unit,
                "indicator_code": DEFAULT_BINDINGS.get(row.key, ""),
                "position": position,
            },
        )
        counts["milestones_created" if created else "milestones_updated"] += 1
    for position, budget_row in enumerate(report.budget):
        action_line = lines.get(budget_row.action_line) if budget_row.action_line else None
        BudgetLine.objects.update_or_create(
            programme=programme,
            position=position,
            defaults={
                "action_line": action_line,
                "activity": _activity(programme, budget_row.activity, action_line),
                "item": budget_row.item,
                "quantity": budget_row.quantity,
                "unit_rate": budget_row.unit_rate,
                "amount": budget_row.amount,
                "notes": budget_row.notes,
                "year": budget_row.year,
            },
        )
        counts["budget_lines"] += 1
    programme.budget_lines.filter(position__gte=len(report.budget)).delete()
    audit.record(
        action="programme.plan_imported",
        obj=programme,
        actor=actor,
        after={**counts, "flagged": report.flagged_budget_lines},
    )
    return counts


@transaction.atomic
def milestone_record_achieved(
    *,
    milestone: Milestone,
    achieved_on: dt.date | None,
    actor: Any,
    reported_value: Decimal | None = None,
) -> Milestone:
    """Record (or clear) that a milestone the platform does not measure was achieved, and for a
    numeric one the value reached so far (pilots run, masterclasses given, ...).

    Milestones with a computing indicator are never typed in: their status follows the indicator.
    """
    if is_computed(milestone):
        raise ValidationError(
            "Deze mijlpaal wordt door het platform gemeten en kan niet handmatig worden bijgewerkt."
        )
    if achieved_on and achieved_on > dt.date.today():
        raise ValidationError({"achieved_on": "Een mijlpaal kan niet in de toekomst behaald zijn."})
    if reported_value is not None:
        if milestone.numeric_target is None:
            raise ValidationError({"reported_value": "Deze mijlpaal heeft geen streefwaarde."})
        if reported_value < 0:
            raise ValidationError({"reported_value": "De stand kan niet negatief zijn."})
    fields = ["achieved_on", "reported_value"]
    before = audit.snapshot(milestone, fields)
    milestone.achieved_on = achieved_on
    milestone.reported_value = reported_value
    milestone.save(update_fields=[*fields, "updated_at"])
    audit.record(
        action="milestone.achieved" if achieved_on else "milestone.reported",
        obj=milestone,
        actor=actor,
        before=before,
        after=audit.snapshot(milestone, fields),
        region_id=milestone.programme.region_id,
    )
    return milestone


@transaction.atomic
def milestone_set_responsible(
    *, milestone: Milestone, responsible: Any | None, actor: Any
) -> Milestone:
    """Set (or clear) the person responsible for a milestone: someone of the programme office."""
    from maakstad.monitoring.selectors import programme_office_users

    if (
        responsible is not None
        and not programme_office_users(milestone.programme).filter(pk=responsible.pk).exists()
    ):
        raise ValidationError(
            {"responsible": "De verantwoordelijke moet voor het programmabureau werken."}
        )
    before = audit.snapshot(milestone, ["responsible"])
    milestone.responsible = responsible
    milestone.save(update_fields=["responsible", "updated_at"])
    audit.record(
        action="milestone.responsible_set",
        obj=milestone,
        actor=actor,
        before=before,
        after=audit.snapshot(milestone, ["responsible"]),
        region_id=milestone.programme.region_id,
    )
    return milestone


# --- Spending -------------------------------------------------------------------------------

SPENDING_COLUMNS = ("datum", "begrotingsregel", "bedrag", "documentnummer")


@transaction.atomic
def spending_create(
    *,
    programme: Programme,
    budget_line: BudgetLine,
    spent_on: dt.date,
    amount: Any,
    document_reference: str,
    description: str = "",
    is_forecast: bool = False,
    actor: Any,
) -> Spending:
    if budget_line.programme_id != programme.pk:
        raise ValidationError({"budget_line": "Deze begrotingsregel hoort niet bij dit programma."})
    if not document_reference.strip():
        raise ValidationError(
            {"document_reference": "Vul het documentnummer in (factuur, boeking)."}
        )
    if Spending.objects.filter(
        programme=programme, budget_line=budget_line, document_reference=document_reference.strip()
    ).exists():
        raise ValidationError(
            {"document_reference": "Dit document is al geboekt op deze begrotingsregel."}
        )
    spending = Spending.objects.create(
        programme=programme,
        budget_line=budget_line,
        spent_on=spent_on,
        amount=amount,
        document_reference=document_reference.strip(),
        description=description,
        is_forecast=is_forecast,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        action="spending.created",
        obj=spending,
        actor=actor,
        after=audit.snapshot(spending),
        region_id=programme.region_id,
    )
    return spending


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def spending_import(*, programme: Programme, table: Table, actor: Any) -> ImportResult:
    """Import spending rows (datum, begrotingsregel, bedrag, documentnummer[, omschrijving,
    prognose]). All or nothing: any bad row rejects the file with a Dutch report per line."""
    result = ImportResult()
    missing = [c for c in SPENDING_COLUMNS if c not in table.header]
    if missing:
        result.errors.append(f"Kolommen ontbreken: {', '.join(missing)}")
        return result
    lines = {line.position + 1: line for line in programme.budget_lines.all()}
    parsed: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for number, row in table.rows:
        problems = []
        try:
            spent_on = dt.date.fromisoformat(row.get("datum", ""))
        except ValueError:
            try:
                spent_on = dt.datetime.strptime(row.get("datum", ""), "%d-%m-%Y").date()
            except ValueError:
                problems.append(f"datum '{row.get('datum', '')}' niet herkend (gebruik 31-12-2025)")
                spent_on = None
        line_text = row.get("begrotingsregel", "")
        budget_line = lines.get(int(line_text)) if line_text.isdigit() else None
        if budget_line is None:
            problems.append(
                f"begrotingsregel '{line_text}' bestaat niet (gebruik het regelnummer 1-{len(lines)})"
            )
        try:
            amount = Decimal(
                row.get("bedrag", "").replace("€", "").replace(" ", "").replace(",", ".")
            )
        except InvalidOperation:
            problems.append(f"bedrag '{row.get('bedrag', '')}' is geen bedrag")
            amount = None
        reference = row.get("documentnummer", "").strip()
        if not reference:
            problems.append("documentnummer ontbreekt")
        elif budget_line is not None:
            key = (budget_line.pk, reference)
            if (
                key in seen
                or Spending.objects.filter(
                    programme=programme, budget_line=budget_line, document_reference=reference
                ).exists()
            ):
                problems.append(f"document '{reference}' is al geboekt op deze regel")
            seen.add(key)
        if problems:
            result.errors.append(f"Regel {number}: " + "; ".join(problems))
            continue
        parsed.append(
            {
                "budget_line": budget_line,
                "spent_on": spent_on,
                "amount": amount,
                "document_reference": reference,
                "description": row.get("omschrijving", ""),
                "is_forecast": row.get("prognose", "").lower() in {"ja", "1", "x", "true"},
            }
        )
    if result.errors:
        return result
    with transaction.atomic():
        for values in parsed:
            spending_create(programme=programme, actor=actor, **values)
            result.created += 1
    return result


# --- School reports --------------------------------------------------------------------------


@transaction.atomic
def school_report_open(
    *, programme: Programme, school: Organisation, school_year: SchoolYear, actor: Any
) -> SchoolReport:
    report, created = SchoolReport.objects.get_or_create(
        programme=programme, school=school, school_year=school_year
    )
    if created:
        audit.record(
            action="school_report.opened", obj=report, actor=actor, region_id=programme.region_id
        )
    return report


REPORT_FIELDS = (
    "lob_plan_submitted",
    "technology_hours_per_onderbouw_pupil",
    "technical_keuzevakken_offered",
    "parents_evening_held",
    "parents_evening_on",
    "pupils_per_profile",
    "outflow_total",
    "outflow_technical",
    "outflow_technical_girls",
    "remarks",
)


@transaction.atomic
def school_report_update(
    *, report: SchoolReport, values: dict[str, Any], actor: Any
) -> SchoolReport:
    report = SchoolReport.objects.select_for_update().select_related("programme").get(pk=report.pk)
    if report.status not in (SchoolReportStatus.DRAFT, SchoolReportStatus.RETURNED):
        raise ValidationError("Een ingediende rapportage kan niet meer worden gewijzigd.")
    errors: dict[str, str] = {}
    if values.get("parents_evening_held") and not values.get("parents_evening_on"):
        errors["parents_evening_on"] = "Vul de datum van de ouderavond in."
    total, technical = values.get("outflow_total"), values.get("outflow_technical")
    if total is not None and technical is not None and technical > total:
        errors["outflow_technical"] = (
            "Uitstroom naar technisch mbo kan niet groter zijn dan de totale uitstroom."
        )
    girls = values.get("outflow_technical_girls")
    if girls is not None and technical is not None and girls > technical:
        errors["outflow_technical_girls"] = (
            "Het aantal meisjes kan niet groter zijn dan de technische uitstroom."
        )
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(report, REPORT_FIELDS)
    for name in REPORT_FIELDS:
        if name in values:
            setattr(report, name, values[name])
    report.save()
    audit.record(
        action="school_report.updated",
        obj=report,
        actor=actor,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
        region_id=report.programme.region_id,
    )
    return report


def _transition(report: SchoolReport, to: str) -> None:
    if to not in SchoolReport.TRANSITIONS[report.status]:
        raise ValidationError(
            f"Deze rapportage kan niet van '{report.get_status_display()}' naar "
            f"'{SchoolReportStatus(to).label}'."
        )


@transaction.atomic
def school_report_submit(*, report: SchoolReport, actor: Any) -> SchoolReport:
    report = SchoolReport.objects.select_for_update().get(pk=report.pk)
    _transition(report, SchoolReportStatus.SUBMITTED)
    before = report.status
    report.status = SchoolReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save()
    audit.record(
        action="school_report.submitted",
        obj=report,
        actor=actor,
        before={"status": before},
        after={"status": report.status},
        region_id=report.programme.region_id,
    )
    leads = [line.lead for line in report.programme.action_lines.all() if line.lead]
    notify(
        leads,
        subject=f"Schoolrapportage ingediend: {report.school}",
        body=f"{report.school} heeft de rapportage {report.school_year} ingediend.",
        url=reverse("monitoring:school_report", args=[report.pk]),
    )
    return report


@transaction.atomic
def school_report_review(
    *, report: SchoolReport, accept: bool, notes: str, actor: Any
) -> SchoolReport:
    report = SchoolReport.objects.select_for_update().get(pk=report.pk)
    to = SchoolReportStatus.ACCEPTED if accept else SchoolReportStatus.RETURNED
    _transition(report, to)
    if not accept and not notes.strip():
        raise ValidationError({"review_notes": "Geef aan wat er aangepast moet worden."})
    before = report.status
    report.status = to
    report.review_notes = notes
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.save()
    audit.record(
        action="school_report.accepted" if accept else "school_report.returned",
        obj=report,
        actor=actor,
        before={"status": before},
        after={"status": to, "notes": notes},
        region_id=report.programme.region_id,
    )
    if report.submitted_by:
        notify(
            [report.submitted_by],
            subject=(
                f"Schoolrapportage {report.school_year} geaccepteerd"
                if accept
                else f"Schoolrapportage {report.school_year} teruggestuurd"
            ),
            body=notes or "De projectleider heeft de rapportage geaccepteerd.",
            url=reverse("monitoring:school_report", args=[report.pk]),
        )
    return report


# --- Follow-up choices (impact) ------------------------------------------------------------------

FOLLOW_UP_COLUMNS = ("leerlingnummer", "moment", "technisch", "gender")
_STAGES = {
    "profiel": "profile",
    "profielkeuze": "profile",
    "uitstroom": "outflow",
    "mbo": "outflow",
}
_GENDERS = {
    "meisje": "girl",
    "m": "girl",
    "jongen": "boy",
    "j": "boy",
    "anders": "other",
    "x": "other",
}
_YES = {"ja", "j", "1", "x", "true"}
_NO = {"nee", "n", "0", "", "false"}


def follow_up_import(*, report: SchoolReport, table: Table, actor: Any) -> ImportResult:
    """Import the follow-up choices of the school's pupils for the report's school year:
    leerlingnummer, moment (profiel | uitstroom), technisch (ja | nee), gender (meisje | jongen |
    anders). All or nothing; a pupil's choice for a moment is replaced on a re-import."""
    from maakstad.monitoring.models import FollowUpChoice
    from maakstad.organisations.models import Pupil

    result = ImportResult()
    missing = [c for c in FOLLOW_UP_COLUMNS if c not in table.header]
    if missing:
        result.errors.append(f"Kolommen ontbreken: {', '.join(missing)}")
        return result
    pupils = {
        p.external_id: p
        for p in Pupil.objects.filter(school_id=report.school_id).only("pk", "external_id")
    }
    parsed: dict[tuple[int, str], dict[str, Any]] = {}
    for number, row in table.rows:
        problems = []
        pupil = pupils.get(row.get("leerlingnummer", "").strip())
        if pupil is None:
            problems.append(f"leerling '{row.get('leerlingnummer', '')}' staat niet op deze school")
        stage = _STAGES.get(row.get("moment", "").strip().lower())
        if stage is None:
            problems.append(f"moment '{row.get('moment', '')}' is geen profiel of uitstroom")
        technical_text = row.get("technisch", "").strip().lower()
        if technical_text not in _YES | _NO:
            problems.append(f"technisch '{row.get('technisch', '')}' is geen ja of nee")
        gender = _GENDERS.get(row.get("gender", "").strip().lower())
        if gender is None:
            problems.append(f"gender '{row.get('gender', '')}' is geen meisje, jongen of anders")
        if problems or pupil is None or stage is None or gender is None:
            result.errors.append(f"Regel {number}: " + "; ".join(problems))
            continue
        if (pupil.pk, stage) in parsed:
            result.errors.append(f"Regel {number}: deze leerling staat dubbel voor dit moment")
            continue
        parsed[(pupil.pk, stage)] = {
            "is_technical": technical_text in _YES,
            "gender": gender,
        }
    if result.errors:
        return result
    with transaction.atomic():
        for (pupil_id, stage), values in parsed.items():
            FollowUpChoice.objects.update_or_create(
                pupil_id=pupil_id,
                stage=stage,
                defaults={
                    **values,
                    "programme": report.programme,
                    "school_id": report.school_id,
                    "school_year_id": report.school_year_id,
                    "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
                },
            )
            result.created += 1
        audit.record(
            action="follow_up.imported",
            obj=report,
            actor=actor,
            after={"rows": result.created},
            region_id=report.programme.region_id,
        )
    return result


# Roles at a school that fill in the yearly report and get the reminders.
REPORTING_ROLES = ("sto_coordinator", "lob_coordinator", "org_admin")
REMIND_EVERY = dt.timedelta(days=6)


def school_report_remind(
    *, programme: Programme, school_year: SchoolYear, actor: Any, now: dt.datetime | None = None
) -> int:
    """Remind every school whose report for the year is not yet submitted (once a week at most).

    Returns the number of schools reminded. Each reminder opens the school's report (pre-filled
    with what Maakstad knows) and links to it.
    """
    from django.contrib.auth import get_user_model

    from maakstad.core.models import AuditEntry

    now = now or timezone.now()
    # Both conditions on the same report: `.exclude()` across the relation would skip a school
    # with last year's submitted report and this year's draft.
    done = SchoolReport.objects.filter(
        school=OuterRef("pk"),
        school_year=school_year,
        status__in=(SchoolReportStatus.SUBMITTED, SchoolReportStatus.ACCEPTED),
    )
    schools = Organisation.objects.filter(
        region_id=programme.region_id, kind__in=("vmbo", "pro", "vso")
    ).exclude(Exists(done))
    reminded = 0
    for school in schools.order_by("name"):
        with transaction.atomic():
            report = school_report_open(
                programme=programme, school=school, school_year=school_year, actor=actor
            )
            recent = AuditEntry.objects.filter(
                action="school_report.reminded",
                object_id=str(report.pk),
                created_at__gte=now - REMIND_EVERY,
            ).exists()
            users = (
                get_user_model()
                .objects.filter(
                    memberships__organisation=school,
                    memberships__role__in=REPORTING_ROLES,
                    is_active=True,
                )
                .distinct()
            )
            if recent or not users:
                continue
            notify(
                users,
                subject=f"Schoolrapportage {school_year.name}: nog in te dienen",
                body=(
                    f"De jaarlijkse rapportage van {school.name} voor Sterk Techniekonderwijs "
                    f"({school_year.name}) is nog niet ingediend. Maakstad heeft al ingevuld wat "
                    "het weet; vult u de rest aan? Het kost een paar minuten."
                ),
                url=reverse("monitoring:school_report", args=[report.pk]),
            )
            audit.record(
                action="school_report.reminded",
                obj=report,
                actor=actor,
                region_id=programme.region_id,
            )
            reminded += 1
    return reminded
