from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.catalogue import permissions as catalogue_permissions
from maakstad.catalogue.models import Offer
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.knowledge import permissions, selectors, services
from maakstad.knowledge.forms import (
    OfferMaterialsForm,
    ResourceForm,
    ReviewForm,
    SuggestionForm,
    UploadForm,
    UsageForm,
)
from maakstad.knowledge.models import (
    AUDIENCE_KINDS,
    EditSuggestion,
    MaterialRole,
    Resource,
    ResourceKind,
    ResourceStatus,
)
from maakstad.organisations import permissions as org_permissions
from maakstad.organisations.models import Organisation


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not permissions.is_staff_reader(request.user):
        raise PermissionDenied


def _form_errors(
    form: ResourceForm | UsageForm | ReviewForm | SuggestionForm, error: ValidationError
) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def resource_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    filters = selectors.Filters.from_query(request.GET)
    result = selectors.search_resources(request.user, filters, request.GET.get("pagina", 1))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "result": result,
        "filters": filters,
        "kinds": ResourceKind.choices,
        "school_kinds": AUDIENCE_KINDS,
        "query_string": query.urlencode(),
        "selected": {
            **filters.terms,
            "tools": filters.tools,
            "licence": filters.licences,
            "organisation": filters.organisations,
        },
        "facet_names": [
            ("worlds", _("7 werelden")),
            ("themes", _("Thema's")),
            ("profiles", _("Profielen")),
            ("leerwegen", _("Leerwegen")),
            ("mentalities", _("Bèta & Tech-types")),
            ("tools", _("Benodigdheden")),
            ("licence", _("Licentie")),
            ("organisation", _("Organisatie van de auteur")),
        ],
    }
    template = "knowledge/list.html#results" if request.htmx else "knowledge/list.html"
    return render(request, template, context)


@login_required
def resource_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_detail(permissions.get_resource_for_user(request.user, pk))
    schools = Organisation.objects.filter(pk__in=org_permissions.school_ids_as_staff(request.user))
    return render(
        request,
        "knowledge/detail.html",
        {
            "resource": resource,
            "can_edit": permissions.can_edit(request.user, resource),
            "can_publish": permissions.can_publish(request.user, resource),
            "usage_form": UsageForm(schools=schools) if schools.exists() else None,
            "review_form": ReviewForm(),
            "suggestion_form": SuggestionForm(),
            "upload_form": UploadForm(),
            "reviews": resource.reviews.select_related("user")[:20],
            "suggestions": resource.suggestions.select_related("user").filter(status="open")
            if permissions.can_edit(request.user, resource)
            else [],
        },
    )


def _author_organisation(request: AuthenticatedHttpRequest) -> Organisation | None:
    memberships = org_permissions.memberships(request.user)
    return memberships[0].organisation if memberships else None


@login_required
def resource_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    organisation = _author_organisation(request)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and organisation is not None:
        try:
            resource = services.resource_create(
                region=organisation.region,
                organisation=organisation,
                values=form.values(),
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Opgeslagen als concept. Voeg bestanden toe en publiceer."))
            return redirect("knowledge:detail", pk=resource.pk)
    return render(request, "knowledge/form.html", {"form": form, "resource": None})


@login_required
def resource_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk, write=True)
    form = ResourceForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=resource,
                values=form.values(),
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Wijzigingen opgeslagen."))
            return redirect("knowledge:detail", pk=resource.pk)
    return render(request, "knowledge/form.html", {"form": form, "resource": resource})


@login_required
@require_POST
def resource_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk)
    status = request.POST.get("status", "")
    if status not in ResourceStatus.values:
        raise Http404
    services.resource_set_status(resource=resource, status=status, actor=request.user)
    messages.success(request, _("Status bijgewerkt."))
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
@require_POST
def file_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.resource_file_add(
                resource=resource, upload=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Bestand toegevoegd."))
    else:
        messages.error(request, _("Kies een bestand om te uploaden."))
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
def file_download(request: AuthenticatedHttpRequest, pk: int, file_pk: int) -> FileResponse:
    resource = permissions.get_resource_for_user(request.user, pk)
    item = get_object_or_404(resource.files, pk=file_pk)
    inline = item.is_previewable and request.GET.get("bekijk") == "1"
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"
    )
    return response


@login_required
@require_POST
def file_delete(request: AuthenticatedHttpRequest, pk: int, file_pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk, write=True)
    services.resource_file_delete(
        item=get_object_or_404(resource.files, pk=file_pk), actor=request.user
    )
    messages.success(request, _("Bestand verwijderd."))
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
@require_POST
def usage_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk)
    schools = Organisation.objects.filter(pk__in=org_permissions.school_ids_as_staff(request.user))
    form = UsageForm(request.POST, schools=schools)
    if form.is_valid():
        try:
            services.usage_record(resource=resource, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Fijn! Je gebruik is vastgelegd."))
    else:
        messages.error(request, _("Kies je school en vul leerjaar of groep en datum in."))
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
@require_POST
def review_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.review_save(resource=resource, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Bedankt voor je beoordeling."))
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
@require_POST
def suggestion_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_create(
                resource=resource, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Je voorstel is naar de auteur gestuurd."))
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
@require_POST
def suggestion_resolve(
    request: AuthenticatedHttpRequest, pk: int, suggestion_pk: int
) -> HttpResponse:
    resource = permissions.get_resource_for_user(request.user, pk, write=True)
    suggestion = get_object_or_404(EditSuggestion, pk=suggestion_pk, resource=resource)
    services.suggestion_resolve(
        suggestion=suggestion, accept=request.POST.get("accept") == "1", actor=request.user
    )
    return redirect("knowledge:detail", pk=resource.pk)


@login_required
def collection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    collections = permissions.collections_for_user(request.user).prefetch_related("items")
    return render(request, "knowledge/collections.html", {"collections": collections})


@login_required
def collection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    collection = permissions.get_collection_for_user(request.user, pk)
    visible = permissions.resources_for_user(request.user)
    items = collection.items.select_related("resource").filter(resource__in=visible)
    return render(request, "knowledge/collection.html", {"collection": collection, "items": items})


MATERIAL_FIELDS = {"preparation": MaterialRole.PREPARATION, "follow_up": MaterialRole.FOLLOW_UP}


def _material_picker(
    request: AuthenticatedHttpRequest,
    offer: Offer,
    form: OfferMaterialsForm,
    name: str,
    chosen_ids: Any,
    query: str,
) -> dict[str, Any]:
    """One field of the lesmateriaal page: the chosen resources (ticked, so they can be removed)
    and at most PICKER_LIMIT search hits (to tick); never the whole kennisbank."""
    chosen = selectors.offer_material_chosen(request.user, offer, chosen_ids)
    query = query.strip()[:200]
    return {
        "name": name,
        "label": form.fields[name].label,
        "errors": form[name].errors,
        "chosen": chosen,
        "query": query,
        "hits": selectors.offer_material_hits(
            request.user, offer, query, exclude=[r.pk for r in chosen]
        )
        if query
        else None,
    }


@login_required
def offer_materials(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The offer's provider or the programme office links preparation and follow-up material.

    Without JavaScript the 'Zoeken' buttons post the form without saving: the page comes back
    with the hits and the choices so far. With htmx the search box asks `offer_materials_search`.
    """
    offer = catalogue_permissions.get_offer_for_user(request.user, pk, write=True)
    saving = request.method == "POST" and "zoek" not in request.POST
    form = OfferMaterialsForm(
        request.POST if saving else None,
        resources=selectors.offer_material_choices(request.user, offer),
    )
    if saving and form.is_valid():
        try:
            services.offer_materials_set(
                offer=offer,
                preparation=form.cleaned_data["preparation"],
                follow_up=form.cleaned_data["follow_up"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Het lesmateriaal bij dit aanbod is opgeslagen."))
            return redirect("catalogue:detail", pk=offer.pk)
    chosen: dict[str, list[Any]]
    if request.method == "POST":
        data = request.POST
        chosen = {name: data.getlist(name) for name in MATERIAL_FIELDS}
    else:
        data = request.GET
        links = list(offer.material_links.values_list("resource_id", "role"))
        chosen = {
            name: [r for r, link_role in links if link_role == role]
            for name, role in MATERIAL_FIELDS.items()
        }
    pickers = [
        _material_picker(request, offer, form, name, chosen[name], data.get(f"zoek_{name}", ""))
        for name in MATERIAL_FIELDS
    ]
    return render(
        request,
        "knowledge/offer_materials.html",
        {"offer": offer, "form": form, "pickers": pickers, "limit": selectors.PICKER_LIMIT},
    )


@login_required
def offer_materials_search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx: the chosen resources of one field (sent along as ids) and the hits for its search box."""
    offer = catalogue_permissions.get_offer_for_user(request.user, pk, write=True)
    name = request.GET.get("veld", "")
    if name not in MATERIAL_FIELDS:
        raise Http404
    form = OfferMaterialsForm(resources=Resource.objects.none())
    picker = _material_picker(
        request, offer, form, name, request.GET.getlist(name), request.GET.get(f"zoek_{name}", "")
    )
    return render(
        request,
        "knowledge/offer_materials.html#picker",
        {"offer": offer, "p": picker, "limit": selectors.PICKER_LIMIT},
    )
