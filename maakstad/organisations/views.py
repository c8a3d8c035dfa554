from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.core import audit
from maakstad.core.tabular import TableError, read_table
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations import permissions, privacy, selectors, services
from maakstad.organisations.forms import (
    ImportForm,
    InviteForm,
    LocationForm,
    OrganisationForm,
    TermForm,
)
from maakstad.organisations.models import Organisation, OrganisationKind, Pupil, Term


def _apply_errors(
    form: OrganisationForm | LocationForm | InviteForm | TermForm, error: ValidationError
) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if permissions.pupil_of(request.user) is not None:
        raise PermissionDenied
    kind = request.GET.get("soort", "")
    q = request.GET.get("q", "").strip()
    organisations = selectors.organisation_list(request.user, kind=kind, q=q)
    return render(
        request,
        "organisations/list.html",
        {"organisations": organisations, "kinds": OrganisationKind.choices, "kind": kind, "q": q},
    )


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail(
        permissions.get_organisation_for_user(request.user, pk)
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "can_manage": permissions.can_manage_organisation(request.user, organisation),
        },
    )


@login_required
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for_user(request.user, pk, write=True)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, values=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Gegevens opgeslagen."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"organisation": organisation, "form": form})


@login_required
def location_edit(
    request: AuthenticatedHttpRequest, pk: int, location_pk: int | None = None
) -> HttpResponse:
    organisation = permissions.get_organisation_for_user(request.user, pk, write=True)
    location = get_object_or_404(organisation.locations, pk=location_pk) if location_pk else None
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.location_save(
                organisation=organisation,
                location=location,
                values=form.cleaned_data,
                actor=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if saved.latitude is None:
                messages.warning(
                    request,
                    _(
                        "Vestiging opgeslagen, maar het adres is niet op de kaart gevonden. "
                        "Plaats de pin op de kaart, dan vinden scholen u op de menukaart."
                    ),
                )
                return redirect(
                    "organisations:location_edit", pk=organisation.pk, location_pk=saved.pk
                )
            messages.success(request, _("Vestiging opgeslagen."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/location_form.html",
        {"organisation": organisation, "location": location, "form": form},
    )


@login_required
@require_POST
def location_delete(request: AuthenticatedHttpRequest, pk: int, location_pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for_user(request.user, pk, write=True)
    try:
        services.location_delete(
            location=get_object_or_404(organisation.locations, pk=location_pk), actor=request.user
        )
        messages.success(request, _("Vestiging verwijderd."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisations:detail", pk=organisation.pk)


@login_required
def people(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_organisation_for_user(request.user, pk, write=True)
    form = InviteForm(request.POST or None, roles=services.roles_for(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_invite(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Uitnodiging verstuurd naar %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisations:people", pk=organisation.pk)
    memberships = (
        organisation.memberships.select_related("user")
        .exclude(role="pupil")
        .order_by("user__full_name", "role")
    )
    return render(
        request,
        "organisations/people.html",
        {"organisation": organisation, "form": form, "memberships": memberships},
    )


@login_required
@require_POST
def membership_remove(
    request: AuthenticatedHttpRequest, pk: int, membership_pk: int
) -> HttpResponse:
    organisation = permissions.get_organisation_for_user(request.user, pk, write=True)
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    try:
        services.membership_remove(membership=membership, actor=request.user)
        messages.success(request, _("Rol verwijderd."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisations:people", pk=organisation.pk)


@login_required
def pupil_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    schools = permissions.school_ids_as_staff(request.user)
    if not schools:
        raise PermissionDenied
    pupils = (
        permissions.pupils_for_user(request.user)
        .select_related("school", "leerweg", "profile")
        .order_by("school__name", "class_name", "first_name")
    )
    class_name = request.GET.get("klas", "").strip()
    if class_name:
        pupils = pupils.filter(class_name=class_name)
    can_import = Organisation.objects.filter(
        pk__in=permissions.organisation_ids(request.user, *services.IMPORT_ROLES) & schools
    )
    return render(
        request,
        "organisations/pupils.html",
        {"pupils": pupils[:500], "class_name": class_name, "import_schools": can_import},
    )


@login_required
def pupil_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pupil = permissions.get_pupil_for_user(request.user, pk)
    return render(
        request,
        "organisations/pupil.html",
        {
            "pupil": pupil,
            "guardians": pupil.guardians.all(),
            "may_manage_privacy": _may_manage_privacy(request.user, pupil),
        },
    )


def _may_manage_privacy(user: Any, pupil: Pupil) -> bool:
    return permissions.has_role(user, *services.IMPORT_ROLES, organisation_id=pupil.school_id)


@login_required
def pupil_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Everything about one pupil as JSON, for the school's answer to an AVG request."""
    pupil = permissions.get_pupil_for_user(request.user, pk)
    if not _may_manage_privacy(request.user, pupil):
        raise PermissionDenied
    audit.record(action="pupil.exported", obj=pupil, actor=request.user)
    response = JsonResponse(
        privacy.export_pupil(pupil), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="leerling-{pupil.pk}.json"'
    return response


@login_required
@require_POST
def pupil_anonymise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pupil = permissions.get_pupil_for_user(request.user, pk)
    if not _may_manage_privacy(request.user, pupil):
        raise PermissionDenied
    if request.POST.get("bevestig") != "ja":
        messages.error(request, _("Vink aan dat u de gegevens definitief wilt wissen."))
        return redirect("organisations:pupil", pk=pupil.pk)
    privacy.pupil_anonymise(pupil=pupil, actor=request.user, reason="verzoek van de school")
    messages.success(
        request,
        _("De gegevens van de leerling zijn gewist; tellingen voor de monitoring blijven bestaan."),
    )
    return redirect("organisations:pupils")


@login_required
def pupil_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    school = permissions.get_organisation_for_user(request.user, pk)
    if (
        not permissions.has_role(request.user, *services.IMPORT_ROLES, organisation_id=school.pk)
        or not school.is_school
    ):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            report = services.pupil_import(school=school, table=table, actor=request.user)
            if not report.errors:
                messages.success(
                    request,
                    _("Klassenlijst ingelezen: %(created)s nieuw, %(updated)s bijgewerkt.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("organisations:pupils")
    return render(
        request, "organisations/import.html", {"school": school, "form": form, "report": report}
    )


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(services.TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="klassenlijst-voorbeeld.csv"'
    return response


@login_required
def terms(request: AuthenticatedHttpRequest, term_pk: int | None = None) -> HttpResponse:
    if not permissions.is_programme_office(request.user, write=True):
        raise PermissionDenied
    term = get_object_or_404(Term, pk=term_pk) if term_pk else None
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_save(term=term, values=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("organisations:terms")
    return render(
        request,
        "organisations/terms.html",
        {"terms": Term.objects.all(), "form": form, "term": term},
    )
