"""Pages of the internship chain. Views parse input, call a service and render; nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.internships import forms, permissions, selectors, services
from maakstad.internships.models import (
    AdWeek,
    Agreement,
    Application,
    DayState,
    Event,
    InternshipAd,
    LinkPurpose,
    Status,
)
from maakstad.organisations.models import Organisation
from maakstad.organisations.permissions import (
    pupil_of,
    pupils_for_user,
    school_ids_as_staff,
)


def _pdf_response(pdf: bytes | memoryview, application: Application) -> HttpResponse:
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="stageovereenkomst-VS-{application.pk}.pdf"'
    )
    return response


# --- Ads ----------------------------------------------------------------------------------------


@login_required
def ad_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    pupil = pupil_of(user)
    form = forms.AdFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if pupil is not None:
        filters = selectors.filters_for_pupil(
            pupil, week=data.get("week"), max_km=data.get("max_km")
        )
        origin = selectors.school_origin(pupil.school_id)
    else:
        leerweg, profile = data.get("leerweg"), data.get("profile")
        filters = selectors.AdFilters(
            school_kind=data.get("school_kind") or "",
            leerweg_id=leerweg.pk if leerweg else None,
            profile_id=profile.pk if profile else None,
            leerjaar=data.get("leerjaar"),
            week=data.get("week"),
            max_km=data.get("max_km"),
        )
        schools = sorted(school_ids_as_staff(user))
        origin = selectors.school_origin(schools[0]) if schools else None
    ads = selectors.ad_list(user, filters, origin=origin)
    return render(
        request,
        "internships/ad_list.html",
        {"ads": ads, "form": form, "pupil": pupil, "has_origin": origin is not None},
    )


@login_required
def ad_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ad = selectors.ad_detail(permissions.get_ad_for_user(request.user, pk))
    pupil = pupil_of(request.user)
    problem = services.audience_problem(ad, pupil) if pupil is not None else None
    return render(
        request,
        "internships/ad_detail.html",
        {
            "ad": ad,
            "offer": ad.offer,
            "pupil": pupil,
            "problem": problem,
            "can_apply": (pupil is not None and problem is None)
            or bool(permissions.mentor_school_ids(request.user)),
            "can_edit": ad.offer.provider_id in permissions.company_ids(request.user),
        },
    )


def _ad_form_initial(ad: InternshipAd) -> dict[str, Any]:
    offer = ad.offer
    return {
        "title": offer.title,
        "summary": offer.summary,
        "pupil_activities": offer.pupil_activities,
        "skills": ad.skills,
        "knowledge": ad.knowledge,
        "tasks": ad.tasks,
        "days": ad.days,
        "day_starts": ad.day_starts,
        "day_ends": ad.day_ends,
        "requirements": ad.requirements,
        "supervisor_name": ad.supervisor_name,
        "supervisor_phone": ad.supervisor_phone,
        "how_to_get_there": ad.how_to_get_there,
        "location": offer.location_id,
        "school_kinds": offer.school_kinds,
        "leerjaren": offer.leerjaren,
        "leerwegen": list(offer.leerwegen.all()),
        "profiles": list(offer.profiles.all()),
        "weeks": "\n".join(f"{w.week_start:%d-%m-%Y} {w.places}" for w in ad.weeks.all()),
        "publish": offer.status == "published",
    }


def _ad_form(request: HttpRequest, provider: Organisation, ad: InternshipAd | None) -> HttpResponse:
    initial = _ad_form_initial(ad) if ad else {"days": 3}
    form = forms.AdForm(request.POST or None, initial=initial, provider=provider)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.AdData(
            title=d["title"],
            summary=d["summary"],
            pupil_activities=d["pupil_activities"],
            skills=d["skills"],
            knowledge=d["knowledge"],
            tasks=d["tasks"],
            days=d["days"],
            day_starts=d["day_starts"],
            day_ends=d["day_ends"],
            requirements=d["requirements"],
            supervisor_name=d["supervisor_name"],
            supervisor_phone=d["supervisor_phone"],
            how_to_get_there=d["how_to_get_there"],
            school_kinds_mask=form.school_kinds_mask(),
            leerjaren_mask=form.leerjaren_mask(),
            leerwegen=list(d["leerwegen"]),
            profiles=list(d["profiles"]),
            location=d["location"],
            publish=d["publish"],
        )
        try:
            saved = services.ad_save(
                provider=provider, data=data, weeks=d["weeks"], actor=request.user, ad=ad
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("De advertentie is opgeslagen."))
            return redirect("internships:ad_detail", pk=saved.pk)
    return render(
        request, "internships/ad_form.html", {"form": form, "ad": ad, "provider": provider}
    )


@login_required
def ad_create(request: HttpRequest) -> HttpResponse:
    ids = sorted(permissions.company_ids(request.user))
    if not ids:
        raise PermissionDenied
    provider = Organisation.objects.get(pk=ids[0])
    return _ad_form(request, provider, None)


@login_required
def ad_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ad = permissions.get_ad_for_user(request.user, pk, write=True)
    return _ad_form(request, ad.offer.provider, ad)


@login_required
def company_ads(request: HttpRequest) -> HttpResponse:
    if not permissions.company_ids(request.user):
        raise PermissionDenied
    ads = selectors.company_ads(request.user)
    waiting = selectors.application_list(request.user).filter(
        status__in=(Status.AWAITING_COMPANY, Status.DAYS_PROPOSED)
    )
    return render(
        request,
        "internships/company_ads.html",
        {"ads": ads, "waiting": [selectors.company_view(a) for a in waiting]},
    )


# --- Applying -----------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    ad = permissions.get_ad_for_user(request.user, pk)
    pupil = pupil_of(request.user)
    mentor_schools = permissions.mentor_school_ids(request.user)
    if pupil is None and not mentor_schools:
        raise PermissionDenied
    today = timezone.localdate()
    weeks = AdWeek.objects.filter(ad=ad, week_start__gte=today).order_by("week_start")
    pupils = (
        None
        if pupil is not None
        else pupils_for_user(request.user)
        .filter(school_id__in=mentor_schools)
        .order_by("class_name", "first_name")
    )
    problem = services.audience_problem(ad, pupil) if pupil is not None else None
    form = forms.ApplyForm(request.POST or None, weeks=weeks, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                ad=ad,
                pupil=pupil or form.cleaned_data["pupil"],
                motivation=form.cleaned_data["motivation"],
                weeks=list(form.cleaned_data["weeks"]),
                actor=request.user,
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Je aanmelding is verstuurd naar je mentor."))
            return redirect("internships:application_detail", pk=application.pk)
    return render(
        request,
        "internships/apply.html",
        {"ad": ad, "offer": ad.offer, "form": form, "problem": problem},
    )


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    company_mode = bool(permissions.company_ids(user)) and not (
        school_ids_as_staff(user) or pupil_of(user)
    )
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    applications = selectors.application_list(user, status=status)[:300]
    context: dict[str, Any] = {
        "statuses": Status.choices,
        "status": status,
        "company_mode": company_mode,
        "is_mentor": bool(permissions.mentor_school_ids(user)),
    }
    if company_mode:
        context["rows"] = [selectors.company_view(a) for a in applications]
    else:
        context["applications"] = applications
    return render(request, "internships/application_list.html", context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_detail(permissions.get_application_for_user(user, pk))
    is_company = permissions.is_company_for(user, application)
    planned = [d.date for d in application.days.all() if d.state == DayState.PLANNED]
    finished = application.status == Status.COMPLETED or (
        application.status == Status.CONFIRMED
        and bool(planned)
        and max(planned) <= timezone.localdate()
    )
    if not permissions.sees_full_application(user, application):
        return render(
            request,
            "internships/application_company.html",
            {
                "app": selectors.company_view(application),
                "can_decide": application.status == Status.AWAITING_COMPANY,
                "can_assess": finished and not hasattr(application, "assessment"),
                "cancel_form": forms.CancelForm(),
                "can_cancel": application.allowed(Event.CANCEL),
            },
        )
    is_pupil = permissions.is_pupil_of(user, application)
    is_mentor = permissions.is_mentor_for(user, application)
    return render(
        request,
        "internships/application_detail.html",
        {
            "application": application,
            "ad": application.ad,
            "pupil": application.pupil,
            "days": [d for d in application.days.all() if d.state != DayState.CANCELLED],
            "is_pupil": is_pupil,
            "is_mentor": is_mentor,
            "is_company": is_company,
            "show_history": bool(school_ids_as_staff(user)) or not is_pupil,
            "can_mentor_decide": is_mentor and application.status == Status.SUBMITTED,
            "can_accept_proposal": (is_pupil or is_mentor)
            and application.status == Status.DAYS_PROPOSED,
            "can_cancel": application.allowed(Event.CANCEL)
            and services.cancel_party(user, application) is not None,
            "can_reflect": is_pupil and finished and not hasattr(application, "reflection"),
            "has_agreement": selectors.has_agreement(application),
            "reason_form": forms.ReasonForm(),
            "cancel_form": forms.CancelForm(),
        },
    )


@login_required
@require_POST
def application_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.is_mentor_for(request.user, application):
        raise PermissionDenied
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    try:
        services.application_mentor_decide(
            application=application,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Je besluit is vastgelegd."))
    return redirect("internships:application_detail", pk=application.pk)


@login_required
def application_company(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.is_company_for(request.user, application):
        raise PermissionDenied
    application = selectors.application_detail(application)
    weeks = AdWeek.objects.filter(ad_id=application.ad_id).order_by("week_start")
    preferred = list(application.preferred_weeks.all())
    ad = application.ad
    initial = {
        "week": preferred[0].pk if preferred else None,
        "days": list(range(ad.days)),
        "starts_at": ad.day_starts,
        "ends_at": ad.day_ends,
    }
    form = forms.CompanyDecisionForm(request.POST or None, weeks=weeks, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.application_company_decide(
                application=application,
                action=request.POST.get("action", ""),
                actor=request.user,
                week=d.get("week"),
                dates=form.dates(),
                starts=d.get("starts_at"),
                ends=d.get("ends_at"),
                message=d.get("message", ""),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Uw besluit is vastgelegd."))
            return redirect("internships:application_detail", pk=application.pk)
    return render(
        request,
        "internships/company_decide.html",
        {"app": selectors.company_view(application), "form": form, "ad": ad},
    )


@login_required
@require_POST
def application_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    if not (
        permissions.is_pupil_of(request.user, application)
        or permissions.is_mentor_for(request.user, application)
    ):
        raise PermissionDenied
    try:
        services.application_proposal_accept(application=application, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De stage is bevestigd."))
    return redirect("internships:application_detail", pk=application.pk)


@login_required
@require_POST
def application_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    if services.cancel_party(request.user, application) is None:
        raise PermissionDenied
    form = forms.CancelForm(request.POST)
    form.is_valid()
    try:
        services.application_cancel(
            application=application,
            reason=form.cleaned_data.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De aanmelding is geannuleerd."))
    return redirect("internships:application_detail", pk=application.pk)


@login_required
def agreement_download(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    user = request.user
    if not (
        permissions.is_pupil_of(user, application)
        or application.pupil.school_id in school_ids_as_staff(user)
        or permissions.is_company_for(user, application)
    ):
        raise PermissionDenied
    agreement = Agreement.objects.filter(application=application).first()
    if agreement is None:
        raise Http404
    return _pdf_response(agreement.pdf, application)


@login_required
def reflection(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.is_pupil_of(request.user, application):
        raise PermissionDenied
    form = forms.ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_submit(
                application=application, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Bedankt voor je reflectie!"))
            return redirect("internships:application_detail", pk=application.pk)
    return render(
        request,
        "internships/evaluation_form.html",
        {"form": form, "title": _("Reflectie op je stage"), "application": application},
    )


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.is_company_for(request.user, application):
        raise PermissionDenied
    form = forms.AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit(
                application=application, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Bedankt voor uw beoordeling."))
            return redirect("internships:application_detail", pk=application.pk)
    return render(
        request,
        "internships/evaluation_form.html",
        {"form": form, "title": _("Beoordeling van de stage"), "application": application},
    )


@login_required
def school_settings(request: HttpRequest) -> HttpResponse:
    schools = sorted(permissions.mentor_school_ids(request.user))
    if not schools:
        raise PermissionDenied
    school = Organisation.objects.get(pk=schools[0])
    current = getattr(school, "internship_settings", None)
    form = forms.SchoolSettingsForm(
        request.POST or None,
        initial={"require_all_guardians": bool(current and current.require_all_guardians)},
    )
    if request.method == "POST" and form.is_valid():
        services.school_settings_update(
            school=school,
            require_all_guardians=form.cleaned_data["require_all_guardians"],
            actor=request.user,
        )
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("internships:school_settings")
    return render(request, "internships/school_settings.html", {"form": form, "school": school})


# --- Guardians (no account) ---------------------------------------------------------------------

LINK_MESSAGES = {
    "invalid": _("Deze link is ongeldig."),
    "expired": _("Deze link is verlopen. Vraag de school om een nieuwe link."),
    "used": _("Deze link is al gebruikt. Uw besluit is vastgelegd."),
}


def _link_problem(request: HttpRequest, code: str) -> HttpResponse:
    status = {"invalid": 404, "expired": 410, "used": 410}[code]
    return render(
        request,
        "internships/guardian_problem.html",
        {"message": LINK_MESSAGES[code]},
        status=status,
    )


def guardian(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's page: only this child's application, decided once."""
    try:
        link = services.guardian_link_resolve(token, purpose=LinkPurpose.APPROVAL)
    except services.LinkError as error:
        if error.code == "used":
            return _guardian_cancel(request, token)
        return _link_problem(request, error.code)
    application = selectors.application_detail(link.application)
    form = forms.GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_decide(
                token=token,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except services.LinkError as error:
            return _link_problem(request, error.code)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return render(
                request,
                "internships/guardian_done.html",
                {"approved": form.cleaned_data["decision"] == "approve"},
            )
    return render(
        request,
        "internships/guardian.html",
        {
            "application": application,
            "pupil": application.pupil,
            "ad": application.ad,
            "guardian": link.guardian,
            "form": form,
        },
    )


def _guardian_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The used approval link of a guardian who gave permission: until the placement is confirmed
    (when the agreement link arrives) this is where they can still cancel, with a reason."""
    try:
        link = services.guardian_cancel_link(token)
    except services.LinkError as error:
        return _link_problem(request, error.code)
    application = selectors.application_detail(link.application)
    if not application.allowed(Event.CANCEL):
        return _link_problem(request, "used")
    # Only the cancel button cancels: an old tab's decision form posted here does nothing.
    cancelling = request.method == "POST" and request.POST.get("actie") == "annuleren"
    form = forms.CancelForm(request.POST if cancelling else None)
    if cancelling and form.is_valid():
        try:
            application = services.application_cancel(
                application=application, reason=form.cleaned_data["reason"], guardian_token=token
            )
        except services.LinkError as error:
            return _link_problem(request, error.code)
        except ValidationError as error:
            forms.apply_errors(form, error)
        application = selectors.application_detail(application)
    return render(
        request,
        "internships/guardian_placement.html",
        {
            "application": application,
            "pupil": application.pupil,
            "ad": application.ad,
            "days": [],
            "form": form,
            "token": token,
            "can_cancel": application.allowed(Event.CANCEL),
            "has_agreement": False,
        },
    )


def guardian_placement(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmed placement for a guardian: the days, the agreement, and a way to cancel."""
    try:
        link = services.guardian_link_resolve(token, purpose=LinkPurpose.AGREEMENT)
    except services.LinkError as error:
        return _link_problem(request, error.code)
    application = selectors.application_detail(link.application)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_cancel(
                application=application, reason=form.cleaned_data["reason"], guardian_token=token
            )
        except services.LinkError as error:
            return _link_problem(request, error.code)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return redirect("internships:guardian_placement", token=token)
        application = selectors.application_detail(application)
    return render(
        request,
        "internships/guardian_placement.html",
        {
            "application": application,
            "pupil": application.pupil,
            "ad": application.ad,
            "days": [d for d in application.days.all() if d.state == DayState.PLANNED],
            "form": form,
            "token": token,
            "can_cancel": application.allowed(Event.CANCEL),
            "has_agreement": selectors.has_agreement(application),
        },
    )


def guardian_agreement(request: HttpRequest, token: str) -> HttpResponse:
    """The agreement for a guardian (GET: the PDF) – the link was e-mailed on confirmation."""
    try:
        link = services.guardian_link_resolve(token, purpose=LinkPurpose.AGREEMENT)
    except services.LinkError as error:
        return _link_problem(request, error.code)
    agreement = Agreement.objects.filter(application_id=link.application_id).first()
    if agreement is None:
        raise Http404
    return _pdf_response(agreement.pdf, link.application)
