"""Pages for external electives. Writes go through `services`; reads through `selectors`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.electives import exports, permissions, selectors, services
from maakstad.electives.explain import explanation_lines
from maakstad.electives.forms import (
    ChoicesForm,
    CourseForm,
    MoveForm,
    PeriodForm,
    RoundForm,
    RunsStartForm,
    SecondRoundForm,
    SectionForm,
    SwapForm,
)
from maakstad.electives.models import (
    AllocationRun,
    Choice,
    ChoiceRound,
    Course,
    ElectivePeriod,
    Placement,
    RoundState,
    RunResult,
    Section,
)
from maakstad.organisations import permissions as org_perms
from maakstad.organisations.models import Organisation, Region


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form: Any, error: ValidationError) -> None:
    for field, errs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


# --- Course guide ---------------------------------------------------------------------------


@login_required
def guide(request: HttpRequest) -> HttpResponse:
    periods = (
        permissions.periods_for_user(request.user)
        .select_related("school_year")
        .order_by("-starts_on")
    )
    return render(request, "electives/guide.html", {"periods": periods})


@login_required
def guide_period(request: HttpRequest, pk: int) -> HttpResponse:
    period = permissions.get_period_for_user(request.user, pk)
    sections = selectors.guide_sections(period)
    return render(request, "electives/guide_period.html", {"period": period, "sections": sections})


@login_required
def guide_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    period = permissions.get_period_for_user(request.user, pk)
    sections = selectors.guide_sections(period)
    return exports.pdf_response(
        request,
        "electives/guide_print.html",
        {"period": period, "sections": sections},
        f"keuzevakkengids-{period.pk}.pdf",
    )


# --- Courses, periods and sections (programme office) ---------------------------------------


def _manager_region(request: HttpRequest) -> Region:
    region_ids = sorted(org_perms.programme_region_ids(request.user, write=True))
    if not region_ids:
        raise PermissionDenied
    return Region.objects.get(pk=region_ids[0])


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    region = _manager_region(request)
    periods = list(
        ElectivePeriod.objects.filter(region=region)
        .select_related("school_year")
        .annotate(section_count=Count("sections"))
        .order_by("-starts_on")
    )
    courses = list(
        Course.objects.filter(region=region)
        .select_related("provider", "location", "keuzevak")
        .annotate(section_count=Count("sections"))
        .order_by("provider__name", "title")
    )
    return render(request, "electives/manage.html", {"periods": periods, "courses": courses})


def _create_page(
    request: HttpRequest, form: Any, title: str, create: Any, success: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            create(form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("electives:manage")
    return render(request, "electives/create_form.html", {"form": form, "title": title})


@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    region = _manager_region(request)
    return _create_page(
        request,
        PeriodForm(request.POST or None),
        _("Nieuwe periode"),
        lambda d: services.period_create(region=region, actor=request.user, **d),
        _("De periode is aangemaakt."),
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    region = _manager_region(request)
    return _create_page(
        request,
        CourseForm(request.POST or None, region_id=region.pk),
        _("Nieuwe cursus"),
        lambda d: services.course_create(actor=request.user, **d),
        _("De cursus is aangemaakt."),
    )


@login_required
def section_create(request: HttpRequest) -> HttpResponse:
    region = _manager_region(request)
    return _create_page(
        request,
        SectionForm(request.POST or None, region_id=region.pk),
        _("Nieuwe groep"),
        lambda d: services.section_create(actor=request.user, **d),
        _("De groep is aangemaakt."),
    )


# --- Rounds (programme office) --------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    if org_perms.pupil_of(request.user) is not None:
        raise PermissionDenied
    rounds = selectors.round_list(permissions.rounds_for_user(request.user))
    return render(
        request,
        "electives/rounds.html",
        {"rounds": rounds, "is_manager": permissions.is_manager(request.user)},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    region_ids = sorted(org_perms.programme_region_ids(request.user, write=True))
    if not region_ids:
        raise PermissionDenied
    region_id = region_ids[0]
    form = RoundForm(request.POST or None, region_id=region_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            choice_round = services.round_create(
                region=Region.objects.get(pk=region_id),
                name=data["name"],
                periods=list(data["periods"]),
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                choices_count=data["choices_count"],
                fair_share=data["fair_share"],
                max_distance_km=data["max_distance_km"],
                priority_rules=data["priority_rules"],
                announced_rule=data["announced_rule"],
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De keuzeronde is aangemaakt."))
            return redirect("electives:round_detail", choice_round.pk)
    return render(request, "electives/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    batch = selectors.latest_batch(choice_round)
    return render(
        request,
        "electives/round_detail.html",
        {
            "round": choice_round,
            "periods": choice_round.periods.select_related("school_year"),
            "choice_pupils": choice_round.choices.values("pupil").distinct().count(),
            "batch": batch,
            "comparison": selectors.comparison(batch),
            "next_states": [
                RoundState(s)
                for s in choice_round.TRANSITIONS[choice_round.state]
                if s != RoundState.PUBLISHED
            ],
            "second_form": SecondRoundForm(),
            "runs_form": RunsStartForm(),
            "schools": selectors.round_school_summary(choice_round),
            "published_run": choice_round.published_run,
        },
    )


@login_required
@require_POST
def round_transition(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    try:
        services.round_transition(
            choice_round=choice_round, to=request.POST.get("to", ""), actor=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("De ronde heeft nu status ‘%(s)s’.") % {"s": choice_round.get_state_display()},
        )
    return redirect("electives:round_detail", choice_round.pk)


@login_required
@require_POST
def runs_start(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    form = RunsStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies lineaire of kwadratische kosten per keuze."))
        return redirect("electives:round_detail", choice_round.pk)
    try:
        services.runs_start(
            choice_round=choice_round,
            actor=request.user,
            rank_cost=form.cleaned_data["rank_cost"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("De indeling is gestart: loting, optimum en de twee baselines.")
        )
    return redirect("electives:round_detail", choice_round.pk)


@login_required
def runs_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bars, polled by htmx until every run of the latest batch is finished."""
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    batch = selectors.latest_batch(choice_round)
    return render(
        request,
        "electives/round_detail.html#progress",
        {"round": choice_round, "batch": batch, "polling": any(not r.is_finished for r in batch)},
    )


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    batches = [selectors.comparison(b) for b in selectors.runs_by_batch(choice_round)]
    return render(request, "electives/compare.html", {"round": choice_round, "batches": batches})


def _run_for_manager(request: HttpRequest, pk: int) -> AllocationRun:
    run = AllocationRun.objects.select_related("round").filter(pk=pk).first()
    if run is None:
        raise Http404
    permissions.get_round_for_user(request.user, run.round_id, manage=True)
    return run


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for_manager(request, pk)
    results = selectors.run_results(run)
    return render(
        request, "electives/run_detail.html", {"run": run, "round": run.round, "results": results}
    )


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for_manager(request, pk)
    try:
        services.run_publish(
            run=run, actor=request.user, deviation_ok=request.POST.get("deviation_ok") == "on"
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("De indeling is gepubliceerd; leerlingen, mentoren en aanbieders zijn op de hoogte."),
        )
    return redirect("electives:round_detail", run.round_id)


@login_required
@require_POST
def run_close_small(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for_manager(request, pk)
    try:
        closed = services.sections_close_below_minimum(run=run, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("%(n)d groepen gaan niet door; de indeling is opnieuw gestart.") % {"n": len(closed)},
        )
    return redirect("electives:round_detail", run.round_id)


@login_required
@require_POST
def second_round(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    form = SecondRoundForm(request.POST)
    if form.is_valid():
        try:
            new = services.second_round_create(
                choice_round=choice_round,
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                actor=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("De tweede ronde is aangemaakt."))
            return redirect("electives:round_detail", new.pk)
    else:
        messages.error(request, _("Vul beide datums in."))
    return redirect("electives:round_detail", choice_round.pk)


@login_required
def placements(request: HttpRequest, pk: int) -> HttpResponse:
    """All placements of a published round, with waiting lists, moves and swaps."""
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    qs = selectors.round_placements(choice_round)
    sections = (
        Section.objects.filter(period__choice_rounds=choice_round, is_closed=False)
        .select_related("course__provider", "period")
        .order_by("period__starts_on", "course__title")
    )
    move_form = MoveForm(placements=qs, sections=sections)
    swap_form = SwapForm(placements=qs)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "move":
                move_form = MoveForm(request.POST, placements=qs, sections=sections)
                if move_form.is_valid():
                    services.placement_move(
                        placement=move_form.cleaned_data["placement"],
                        section=move_form.cleaned_data["section"],
                        actor=request.user,
                        below_minimum_ok=move_form.cleaned_data["below_minimum"],
                    )
                    messages.success(request, _("De leerling is verplaatst."))
                    return redirect("electives:placements", choice_round.pk)
            elif action == "swap":
                swap_form = SwapForm(request.POST, placements=qs)
                if swap_form.is_valid():
                    services.placement_swap(
                        first=swap_form.cleaned_data["first"],
                        second=swap_form.cleaned_data["second"],
                        actor=request.user,
                    )
                    messages.success(request, _("De leerlingen zijn geruild."))
                    return redirect("electives:placements", choice_round.pk)
            elif action == "promote":
                section = sections.filter(pk=request.POST.get("section") or 0).first()
                if section is None:
                    raise Http404
                placed = services.waitlist_promote(section=section, actor=request.user)
                if placed is None:
                    messages.info(request, _("Niemand op de wachtlijst past in deze groep."))
                else:
                    messages.success(request, _("Een leerling van de wachtlijst is geplaatst."))
                return redirect("electives:placements", choice_round.pk)
        except ValidationError as error:
            target = swap_form if action == "swap" else move_form
            _form_errors(target, error)
    section_rows = selectors.provider_sections(sections)
    return render(
        request,
        "electives/placements.html",
        {
            "round": choice_round,
            "placements": qs,
            "sections": section_rows,
            "move_form": move_form,
            "swap_form": swap_form,
        },
    )


# --- Choosing -------------------------------------------------------------------------------


@login_required
def my_electives(request: HttpRequest) -> HttpResponse:
    pupil = org_perms.pupil_of(request.user)
    if pupil is None:
        raise PermissionDenied
    rounds = list(
        ChoiceRound.objects.filter(region_id=pupil.school.region_id)
        .exclude(state=RoundState.CONCEPT)
        .select_related("published_run", "previous_round__published_run")
        .order_by("-opens_on")
    )
    placements_by_round: dict[int, list[Placement]] = {}
    for p in Placement.objects.filter(pupil=pupil).select_related(
        "section__course__provider", "section__course__location", "period"
    ):
        placements_by_round.setdefault(p.round_id, []).append(p)
    published_runs = [r.published_run_id for r in rounds if r.published_run_id]
    results = {
        r.run_id: r
        for r in RunResult.objects.filter(run_id__in=published_runs, pupil=pupil).select_related(
            "run"
        )
    }
    chosen = set(
        Choice.objects.filter(pupil=pupil, round__in=rounds).values_list("round_id", flat=True)
    )
    items = []
    for r in rounds:
        result = results.get(r.published_run_id) if r.published_run_id else None
        items.append(
            {
                "round": r,
                "placements": placements_by_round.get(r.pk, []),
                "has_chosen": r.pk in chosen,
                "explanation": explanation_lines(result) if result else [],
            }
        )
    return render(request, "electives/my.html", {"pupil": pupil, "items": items})


@login_required
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round, pupil = permissions.get_round_for_pupil(request.user, pk)
    return _choices_page(request, choice_round, pupil, back="electives:my")


@login_required
def pupil_choices(request: HttpRequest, pk: int, pupil_pk: int) -> HttpResponse:
    """A mentor enters or corrects the choices of a pupil of their school."""
    choice_round = permissions.get_round_for_user(request.user, pk)
    pupil = permissions.get_pupil_for_mentor(request.user, pupil_pk)
    return _choices_page(request, choice_round, pupil, back="electives:round_school")


def _choices_page(
    request: HttpRequest, choice_round: ChoiceRound, pupil: Any, *, back: str
) -> HttpResponse:
    sections = selectors.eligible_sections(choice_round, pupil)
    current = selectors.pupil_choices(choice_round, pupil)
    form = ChoicesForm(
        request.POST or None,
        sections=sections,
        count=choice_round.choices_count,
        initial_sections=[c.section_id for c in current],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.choices_set(
                choice_round=choice_round, pupil=pupil, sections=form.chosen(), actor=request.user
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De keuzes zijn opgeslagen."))
            if back == "electives:my":
                return redirect(back)
            return redirect(back, choice_round.pk)
    return render(
        request,
        "electives/choose.html",
        {
            "round": choice_round,
            "pupil": pupil,
            "form": form,
            "sections": sections,
            "is_self": getattr(pupil, "user_id", None) == request.user.pk,
        },
    )


@login_required
def round_school(request: HttpRequest, pk: int) -> HttpResponse:
    """A school's view of a round: who has chosen, who has not, and where everyone goes."""
    choice_round = permissions.get_round_for_user(request.user, pk)
    school_id = _school_param(request, choice_round)
    pupils = selectors.round_school_pupils(choice_round, school_id)
    return render(
        request,
        "electives/round_school.html",
        {
            "round": choice_round,
            "school": Organisation.objects.get(pk=school_id),
            "pupils": pupils,
            "missing": sum(1 for p in pupils if not p.choice_count),
            "placements": selectors.school_placements(choice_round, school_id),
            "can_remind": school_id in permissions.coordinator_school_ids(request.user),
        },
    )


def _school_param(request: HttpRequest, choice_round: ChoiceRound) -> int:
    raw = request.GET.get("school") or request.POST.get("school")
    school_id = int(raw) if raw and raw.isdigit() else None
    if school_id is None and not permissions.coordinator_school_ids(request.user):
        # Mentors without a coordinator role see their own school.
        staff = sorted(org_perms.school_ids_as_staff(request.user))
        if staff:
            return staff[0]
    return permissions.get_school_for_coordinator(request.user, choice_round, school_id)


@login_required
@require_POST
def round_school_remind(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk)
    school_id = _school_param(request, choice_round)
    if school_id not in permissions.coordinator_school_ids(request.user):
        raise PermissionDenied
    try:
        count = services.reminders_send(
            choice_round=choice_round, school_id=school_id, actor=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("%(n)d leerlingen hebben een herinnering gekregen.") % {"n": count}
        )
    return redirect("electives:round_school", choice_round.pk)


@login_required
def round_school_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk)
    school_id = _school_param(request, choice_round)
    rows = [
        (
            p.pupil.class_name,
            p.pupil.short_name,
            p.section.course.title,
            p.section.course.provider.name,
            p.section.course.location.address if p.section.course.location else "",
            p.section.course.when,
            p.period.name,
            p.period.starts_on,
            p.period.ends_on,
        )
        for p in selectors.school_placements(choice_round, school_id)
    ]
    return exports.xlsx_response(
        f"indeling-{choice_round.pk}-school-{school_id}.xlsx",
        _("Indeling"),
        [
            _("Klas"),
            _("Leerling"),
            _("Keuzevak"),
            _("Aanbieder"),
            _("Adres"),
            _("Wanneer"),
            _("Periode"),
            _("Van"),
            _("Tot en met"),
        ],
        rows,
    )


# --- Rosters and transport ------------------------------------------------------------------


@login_required
def transport(request: HttpRequest, pk: int) -> HttpResponse:
    choice_round = permissions.get_round_for_user(request.user, pk, manage=True)
    rows = selectors.transport_rows(choice_round)
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            f"vervoer-{choice_round.pk}.xlsx",
            _("Vervoer"),
            [
                _("School"),
                _("Locatie"),
                _("Adres"),
                _("Dagdeel"),
                _("Week"),
                _("Datum"),
                _("Leerlingen"),
            ],
            [(r.school, r.venue, r.address, r.when, r.week, r.date, r.pupils) for r in rows],
        )
    return render(request, "electives/transport.html", {"round": choice_round, "rows": rows})


@login_required
def provider_sections(request: HttpRequest) -> HttpResponse:
    if not permissions.provider_ids(request.user) and not permissions.is_manager(request.user):
        raise PermissionDenied
    sections = selectors.provider_sections(permissions.sections_for_provider(request.user))
    return render(request, "electives/provider_sections.html", {"sections": sections})


def _roster_rows(section: Section) -> list[tuple[Any, ...]]:
    """What a provider may see (DESIGN.md §5): first name + initial, school, dates."""
    return [
        (p.pupil.short_name, p.pupil.school.name, p.period.starts_on, p.period.ends_on)
        for p in selectors.section_roster(section)
    ]


@login_required
def section_roster(request: HttpRequest, pk: int) -> HttpResponse:
    section = permissions.get_section_for_user(request.user, pk)
    context = {
        "section": section,
        "roster": selectors.section_roster(section),
        "dates": section.period.meeting_dates(section.course.weekday),
        "waitlist": section.waitlist.select_related("pupil__school"),
    }
    fmt = request.GET.get("format")
    if fmt == "pdf":
        return exports.pdf_response(
            request, "electives/roster_print.html", context, f"presentielijst-{section.pk}.pdf"
        )
    if fmt == "xlsx":
        return exports.xlsx_response(
            f"presentielijst-{section.pk}.xlsx",
            _("Deelnemers"),
            [_("Leerling"), _("School"), _("Van"), _("Tot en met")],
            _roster_rows(section),
        )
    return render(request, "electives/roster.html", context)
