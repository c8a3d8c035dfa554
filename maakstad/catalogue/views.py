from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.catalogue import freshness, permissions, selectors, services
from maakstad.catalogue.forms import ActivityTypeForm, NewActivityTypeForm, OfferForm
from maakstad.catalogue.models import Offer
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations.models import Membership, OrganisationKind
from maakstad.organisations.permissions import region_ids
from maakstad.organisations.services import membership_confirm


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _require_logged_in_region(request: AuthenticatedHttpRequest) -> None:
    if not region_ids(request.user):
        raise PermissionDenied


def _menukaart(
    request: AuthenticatedHttpRequest, *, preset: tuple[str, ...], url_name: str, title: str
) -> HttpResponse:
    _require_logged_in_region(request)
    filters = selectors.Filters.from_query(request.GET, preset_provider_kinds=preset)
    origins = selectors.origin_locations(request.user)
    if filters.origin is None and origins and (filters.km or filters.sort == "afstand"):
        filters.origin = origins[0].pk
    result = selectors.search_offers(
        request.user, filters, request.GET.get("pagina", 1), origins=origins
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    if preset and "aanbieder" not in query:
        query.setlist("aanbieder", list(preset))
    context = {
        "title": title,
        "url_name": url_name,
        "result": result,
        "filters": filters,
        "origins": origins,
        "options": selectors.filter_options(region_ids(request.user)),
        "weekdays": [(0, _("ma")), (1, _("di")), (2, _("wo")), (3, _("do")), (4, _("vr"))],
        "durations": [
            (60, _("1 uur")),
            (120, _("2 uur")),
            (240, _("een dagdeel (4 uur)")),
            (480, _("een dag")),
        ],
        "query_string": query.urlencode(),
        "tile_url": settings.MAAKSTAD_TILE_URL,
        "tile_attribution": settings.MAAKSTAD_TILE_ATTRIBUTION,
        "stale_days": selectors.stale_after_days(),
        "can_provide": permissions.is_provider(request.user),
    }
    template = "catalogue/menukaart.html#results" if request.htmx else "catalogue/menukaart.html"
    return render(request, template, context)


@login_required
def menukaart(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _menukaart(request, preset=(), url_name="catalogue:menukaart", title=_("Menukaart"))


@login_required
def menukaart_mbo(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _menukaart(
        request,
        preset=(OrganisationKind.MBO,),
        url_name="catalogue:menukaart_mbo",
        title=_("Menukaart mbo"),
    )


@login_required
def offers_geojson(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_logged_in_region(request)
    filters = selectors.Filters.from_query(request.GET)
    if filters.origin is None and filters.km:
        origins = selectors.origin_locations(request.user)
        filters.origin = origins[0].pk if origins else None
    response = JsonResponse(
        selectors.geojson(request.user, filters), json_dumps_params={"separators": (",", ":")}
    )
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def offer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_detail(permissions.get_offer_for_user(request.user, pk))
    links = list(offer.material_links.all())
    return render(
        request,
        "catalogue/detail.html",
        {
            "offer": offer,
            "materials": links,
            "can_edit": permissions.can_edit(request.user, offer),
            "can_curate": permissions.can_curate(request.user, offer.provider.region_id),
            "tile_url": settings.MAAKSTAD_TILE_URL,
            "tile_attribution": settings.MAAKSTAD_TILE_ATTRIBUTION,
            "stale_days": selectors.stale_after_days(),
        },
    )


def _offer_form(request: AuthenticatedHttpRequest, offer: Offer | None) -> HttpResponse:
    providers = permissions.provider_organisations(request.user)
    if offer is None and not providers.exists():
        raise PermissionDenied
    if offer is not None:
        providers = providers.model.objects.filter(pk=offer.provider_id)
    form = OfferForm(
        request.POST or None,
        instance=offer,
        providers=providers,
        region_ids=region_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if offer is None:
                saved = services.offer_create(
                    provider=form.cleaned_data["provider"],
                    fields=form.service_fields(),
                    actor=request.user,
                )
                messages.success(request, _("Het aanbod is opgeslagen als concept."))
            else:
                saved = services.offer_update(
                    offer=offer, fields=form.service_fields(), actor=request.user
                )
                messages.success(request, _("Het aanbod is bijgewerkt."))
            return redirect("catalogue:detail", pk=saved.pk)
        except ValidationError as error:
            _form_errors(form, error)
    return render(
        request,
        "catalogue/form.html",
        {"form": form, "offer": offer},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def offer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _offer_form(request, None)


@login_required
def offer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _offer_form(request, permissions.get_offer_for_user(request.user, pk, write=True))


ACTIONS = {
    "publiceren": services.offer_publish,
    "archiveren": services.offer_archive,
    "concept": services.offer_unpublish,
    "bevestigen": services.offer_confirm,
}


@login_required
@require_POST
def offer_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = permissions.get_offer_for_user(request.user, pk, write=True)
    action = request.POST.get("actie", "")
    try:
        if action == "techtown":
            if not permissions.can_curate(request.user, offer.provider.region_id):
                raise PermissionDenied
            services.offer_mark_programme(
                offer=offer,
                is_programme_offer=request.POST.get("waarde") == "1",
                actor=request.user,
            )
        elif action in ACTIONS:
            ACTIONS[action](offer=offer, actor=request.user)
        else:
            messages.error(request, _("Onbekende actie."))
            return redirect("catalogue:detail", pk=offer.pk)
        messages.success(request, _("Opgeslagen."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("catalogue:detail", pk=offer.pk)


@login_required
def my_offers(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_provider(request.user):
        raise PermissionDenied
    offers = selectors.my_offers(request.user, permissions.provider_ids(request.user))
    return render(
        request,
        "catalogue/mine.html",
        {"offers": offers, "stale_days": selectors.stale_after_days()},
    )


@login_required
def activity_type_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_logged_in_region(request)
    types = permissions.activity_types_for_user(request.user).select_related("region")
    return render(
        request,
        "catalogue/activity_types.html",
        {
            "types": types,
            "can_curate": any(
                permissions.can_curate(request.user, r) for r in region_ids(request.user)
            ),
        },
    )


@login_required
def activity_type_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_activity_type_for_user(request.user, pk, write=True)
    form = ActivityTypeForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_type_update(
                activity_type=item, fields=dict(form.cleaned_data), actor=request.user
            )
            messages.success(request, _("De soort activiteit is bijgewerkt."))
            return redirect("catalogue:activity_types")
        except ValidationError as error:
            _form_errors(form, error)
    return render(request, "catalogue/activity_type_form.html", {"form": form, "item": item})


@login_required
def activity_type_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    from maakstad.organisations.permissions import programme_region_ids

    regions = sorted(programme_region_ids(request.user, write=True))
    if not regions:
        raise PermissionDenied
    form = NewActivityTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from maakstad.organisations.models import Region

        data = dict(form.cleaned_data)
        try:
            services.activity_type_create(
                region=Region.objects.get(pk=regions[0]),
                code=data.pop("code"),
                name=data.pop("name"),
                definition=data["definition"],
                explanation=data["explanation"],
                conditions=data["conditions"],
                insurance_default=data["insurance_default"],
                actor=request.user,
            )
            messages.success(request, _("De soort activiteit is toegevoegd."))
            return redirect("catalogue:activity_types")
        except ValidationError as error:
            _form_errors(form, error)
    return render(request, "catalogue/activity_type_form.html", {"form": form, "item": None})


@login_required
def contact_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.is_staff(request.user):
        raise PermissionDenied
    kind = request.GET.get("soort", "")
    if kind not in OrganisationKind.values:
        kind = ""
    q = request.GET.get("q", "").strip()[:100]
    own = list(
        Membership.objects.filter(user=request.user, is_contact=True).select_related("organisation")
    )
    if request.method == "POST":
        # The person themselves: "mijn gegevens kloppen nog".
        if not own:
            raise PermissionDenied
        for membership in own:
            membership_confirm(membership=membership, actor=request.user)
        messages.success(request, _("Dank u wel. Uw gegevens staan als bevestigd in de gids."))
        return redirect("catalogue:contacts")
    organisations = freshness.contact_directory(request.user, kind=kind, q=q)
    return render(
        request,
        "catalogue/contacts.html",
        {
            "organisations": organisations,
            "kinds": OrganisationKind.choices,
            "kind": kind,
            "q": q,
            "cutoff": selectors.stale_cutoff(),
            "own": own,
        },
    )


@login_required
def stale_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    from maakstad.organisations.models import Membership
    from maakstad.organisations.permissions import programme_region_ids

    regions = programme_region_ids(request.user)
    if not regions:
        raise PermissionDenied
    cutoff = selectors.stale_cutoff()
    contacts = (
        Membership.objects.filter(organisation__region_id__in=regions, is_contact=True)
        .filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=cutoff))
        .select_related("user", "organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "catalogue/stale.html",
        {
            "offers": selectors.stale_offers(regions),
            "contacts": contacts,
            "stale_days": selectors.stale_after_days(),
        },
    )


def still_correct(request: HttpRequest, token: str) -> HttpResponse:
    """The "nog steeds juist" link from the reminder e-mail; works without logging in. The GET
    shows the offer and one button (mail scanners follow links; only the POST confirms)."""
    try:
        offer = freshness.offer_from_token(token)
    except freshness.LinkError as error:
        return render(request, "catalogue/still_correct.html", {"error": str(error)}, status=410)
    if request.method == "POST":
        try:
            freshness.confirm_by_token(token)
        except freshness.LinkError as error:
            return render(
                request, "catalogue/still_correct.html", {"error": str(error)}, status=410
            )
        return render(request, "catalogue/still_correct.html", {"offer": offer, "done": True})
    return render(request, "catalogue/still_correct.html", {"offer": offer, "token": token})


def contact_still_correct(request: HttpRequest, token: str) -> HttpResponse:
    """The "nog steeds juist" link for a contact person; like `still_correct`, only the POST
    confirms (mail scanners follow links)."""
    template = "catalogue/contact_still_correct.html"
    try:
        membership = freshness.membership_from_token(token)
    except freshness.LinkError as error:
        return render(request, template, {"error": str(error)}, status=410)
    if request.method == "POST":
        try:
            freshness.confirm_contact_by_token(token)
        except freshness.LinkError as error:
            return render(request, template, {"error": str(error)}, status=410)
        return render(request, template, {"membership": membership, "done": True})
    return render(request, template, {"membership": membership, "token": token})
