"""Pages of the front door. Views parse input, call a service or a selector and render."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maakstad.bookings import calendar, forms, permissions, selectors, services
from maakstad.bookings.models import (
    Booking,
    CalendarFeed,
    ClosedPeriod,
    LoadLimit,
    PricingStep,
    ProgrammeQuota,
    Slot,
    Status,
)
from maakstad.catalogue.models import ActivityType
from maakstad.catalogue.permissions import get_offer_for_user, provider_ids
from maakstad.core.management.commands.export import to_xlsx
from maakstad.core.models import AuditEntry
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations.models import Organisation, Region, SchoolYear
from maakstad.organisations.permissions import (
    is_programme_office,
    programme_region_ids,
    school_ids_as_staff,
)


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _programme_region(request: HttpRequest, *, write: bool = False) -> Region:
    regions = programme_region_ids(request.user, write=write)
    if not regions:
        raise PermissionDenied
    return get_object_or_404(Region, pk=min(regions))


# --- Lists and detail --------------------------------------------------------------------------

# Rows per page of the request list. A busy provider has thousands of asks; the former cut-off at
# 300 rows hid the rest and took ~300 ms to render at 10,000 bookings (bench/bookings.py).
LIST_PAGE_SIZE = 50


@login_required
def booking_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_school = bool(school_ids_as_staff(user))
    is_provider = bool(provider_ids(user))
    if not (is_school or is_provider or programme_region_ids(user)):
        raise PermissionDenied
    mode = request.GET.get("weergave") or (
        "aanbieder" if is_provider and not is_school else "school"
    )
    bookings = permissions.bookings_for_user(user)
    if mode == "aanbieder":
        bookings = bookings.filter(provider_id__in=provider_ids(user))
    elif mode == "school" and is_school:
        bookings = bookings.filter(school_id__in=school_ids_as_staff(user))
    status = request.GET.get("status", "open")
    page = Paginator(selectors.booking_list(bookings, status=status), LIST_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "bookings/list.html",
        {
            "rows": page.object_list,
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "mode": mode,
            "is_school": is_school,
            "is_provider": is_provider,
        },
    )


@login_required
def booking_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = permissions.get_booking_for_user(request.user, pk)
    as_provider = permissions.acts_as_provider(request.user, booking)
    as_school = permissions.acts_as_school(request.user, booking)
    preferred = [dt.date.fromisoformat(d) for d in booking.preferred_dates]
    return render(
        request,
        "bookings/detail.html",
        {
            "booking": booking,
            "as_provider": as_provider,
            "as_school": as_school,
            "preferred": preferred,
            "accept_form": forms.AcceptForm(),
            "counter_form": forms.CounterForm(),
            "reason_form": forms.ReasonForm(),
            "confirm_form": forms.ConfirmForm(initial={"pupils_count": booking.pupils_count}),
            "history": booking_history(booking),
            "materials": list(
                booking.offer.material_links.filter(resource__status="published")
                .select_related("resource")
                .order_by("role", "resource__title")
            ),
        },
    )


def booking_history(booking: Booking) -> list[Any]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Booking), object_id=str(booking.pk)
        ).order_by("created_at")
    )


@login_required
@require_POST
def booking_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    booking = permissions.get_booking_for_user(request.user, pk)
    user = request.user
    as_provider = permissions.acts_as_provider(user, booking)
    as_school = permissions.acts_as_school(user, booking)
    provider_actions = {"accepteren", "afwijzen", "tegenvoorstel", "afronden", "niet-verschenen"}
    school_actions = {"voorstel-aannemen", "voorstel-afslaan", "bevestigen", "plek-aannemen"}
    if (action in provider_actions and not as_provider) or (
        action in school_actions and not as_school
    ):
        raise PermissionDenied
    if action == "annuleren" and not (as_provider or as_school):
        raise PermissionDenied
    try:
        if action == "accepteren":
            accept = forms.AcceptForm(request.POST)
            accept.is_valid()
            services.booking_accept(
                booking=booking,
                actor=user,
                starts_at=accept.cleaned_data.get("starts_at"),
                ends_at=accept.cleaned_data.get("ends_at"),
            )
            messages.success(request, _("Geaccepteerd. De school is op de hoogte gebracht."))
        elif action == "afwijzen":
            services.booking_decline(
                booking=booking, actor=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Afgewezen. De school krijgt uw reden te zien."))
        elif action == "tegenvoorstel":
            counter = forms.CounterForm(request.POST)
            if not counter.is_valid():
                raise ValidationError({"starts_at": _("Vul een geldig moment in.")})
            services.booking_counter(
                booking=booking,
                actor=user,
                starts_at=counter.cleaned_data["starts_at"],
                ends_at=counter.cleaned_data.get("ends_at"),
                message=counter.cleaned_data.get("message", ""),
            )
            messages.success(request, _("Uw voorstel is naar de school gestuurd."))
        elif action in ("voorstel-aannemen", "voorstel-afslaan"):
            services.booking_counter_respond(
                booking=booking, actor=user, accept=action == "voorstel-aannemen"
            )
            messages.success(request, _("Uw antwoord is naar de aanbieder gestuurd."))
        elif action == "bevestigen":
            confirm = forms.ConfirmForm(request.POST)
            confirm.is_valid()
            services.booking_confirm(
                booking=booking, actor=user, pupils_count=confirm.cleaned_data.get("pupils_count")
            )
            messages.success(request, _("Bevestigd. De afspraak staat klaar voor uw agenda."))
        elif action == "annuleren":
            services.booking_cancel(
                booking=booking,
                actor=user,
                reason=request.POST.get("reason", ""),
                by_provider=as_provider and not as_school,
            )
            messages.success(request, _("Geannuleerd."))
        elif action == "plek-aannemen":
            services.booking_take_offer(booking=booking, actor=user)
            messages.success(request, _("De plek is voor uw klas. De aanbieder beslist nu."))
        elif action in ("afronden", "niet-verschenen"):
            services.booking_close(
                booking=booking,
                actor=user,
                showed_up=action == "afronden",
                by_provider=as_provider,
            )
            messages.success(request, _("Verwerkt."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("bookings:detail", pk=booking.pk)


@login_required
def booking_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = permissions.get_booking_for_user(request.user, pk)
    if booking.starts_at is None:
        raise Http404
    response = HttpResponse(calendar.booking_ics(booking), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="maakstad-{booking.pk}.ics"'
    return response


# --- Asking -------------------------------------------------------------------------------------


@login_required
def booking_request(request: AuthenticatedHttpRequest, offer_pk: int) -> HttpResponse:
    offer = get_offer_for_user(request.user, offer_pk)
    schools = Organisation.objects.filter(pk__in=school_ids_as_staff(request.user)).order_by("name")
    if not schools.exists():
        raise PermissionDenied
    slots = selectors.upcoming_slots(offer)
    form = forms.BookingForm(request.POST or None, offer=offer, schools=schools, slots=slots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_request(
                offer=offer,
                school=data["school"],
                actor=request.user,
                class_name=data["class_name"],
                pupils_count=data["pupils_count"],
                leerjaar=data.get("leerjaar"),
                groep=data.get("groep"),
                teacher=data.get("teacher"),
                slot=data.get("slot"),
                preferred_dates=form.preferred_dates(),
                remarks=data.get("remarks", ""),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            if booking.status == Status.REQUESTED:
                messages.success(
                    request, _("Uw aanvraag is verstuurd naar %(p)s.") % {"p": offer.provider.label}
                )
            elif booking.status == Status.WAITING:
                messages.warning(request, booking.reason or _("Uw klas staat op de wachtlijst."))
            else:
                messages.error(request, booking.reason)
            return redirect("bookings:detail", pk=booking.pk)
    day = timezone.localdate() + dt.timedelta(days=14)
    if slots:
        day = timezone.localdate(slots[0].starts_at)
    picture = selectors.provider_picture(offer, day, school_id=schools[0].pk)
    estimate = _price_estimate(request, offer, schools, slots, day)
    return render(
        request,
        "bookings/request.html",
        {"offer": offer, "form": form, "slots": slots, "picture": picture, "estimate": estimate},
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _price_estimate(
    request: HttpRequest, offer: Any, schools: Any, slots: list[Any], day: dt.date
) -> selectors.PriceEstimate:
    """The price for what is filled in so far (POST, or the GET htmx sends when the number of
    pupils, the school, the moment or the date changes); else for a full group."""
    values = request.POST if request.method == "POST" else request.GET
    school = next((s for s in schools if s.pk == _int(values.get("school"))), schools[0])
    pupils = _int(values.get("pupils_count"))
    if pupils is None or not 0 < pupils <= 500:
        pupils = offer.max_pupils or offer.min_pupils or 25
    slot = next((s for s in slots if s.pk == _int(values.get("slot"))), None)
    if slot is not None:
        day = timezone.localdate(slot.starts_at)
    else:
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(values.get("date_1", ""))
    return selectors.price_estimate(offer, school, pupils_count=pupils, day=day)


# --- Provider: moments, capacity ---------------------------------------------------------------


def _provider_for(request: HttpRequest, provider_id: int) -> Organisation:
    provider = get_object_or_404(Organisation, pk=provider_id)
    if not permissions.may_manage_provider(request.user, provider.pk, provider.region_id):
        raise PermissionDenied
    return provider


@login_required
def slots(request: AuthenticatedHttpRequest, offer_pk: int) -> HttpResponse:
    offer = get_offer_for_user(request.user, offer_pk)
    _provider_for(request, offer.provider_id)
    form = forms.SlotForm(request.POST or None, offer=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_save(
                offer=offer,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                unit=data["unit"],
                location=data.get("location"),
                notes=data.get("notes", ""),
                actor=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Moment toegevoegd."))
            return redirect("bookings:slots", offer_pk=offer.pk)
    rows = Slot.objects.filter(
        offer=offer, starts_at__gte=timezone.now() - dt.timedelta(days=30)
    ).select_related("location")
    return render(request, "bookings/slots.html", {"offer": offer, "form": form, "rows": rows})


@login_required
@require_POST
def slot_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(Slot.objects.select_related("offer", "offer__provider"), pk=pk)
    _provider_for(request, slot.offer.provider_id)
    try:
        n = services.slot_cancel(
            slot=slot, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(
            request, _("Moment geannuleerd; %(n)s boekingen zijn afgezegd.") % {"n": n}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("bookings:slots", offer_pk=slot.offer_id)


@login_required
def capacity(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = sorted(provider_ids(request.user))
    provider_id = int(
        request.GET.get("aanbieder") or request.POST.get("aanbieder") or (own[0] if own else 0)
    )
    if not provider_id:
        raise PermissionDenied
    provider = _provider_for(request, provider_id)
    limit_form = forms.LoadLimitForm(
        request.POST if request.POST.get("soort") == "grens" else None, region_id=provider.region_id
    )
    closed_form = forms.ClosedPeriodForm(
        request.POST if request.POST.get("soort") == "gesloten" else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("soort") == "grens" and limit_form.is_valid():
                services.load_limit_save(
                    provider=provider, actor=request.user, **limit_form.cleaned_data
                )
                messages.success(request, _("Grens opgeslagen."))
                return redirect(f"{request.path}?aanbieder={provider.pk}")
            if request.POST.get("soort") == "gesloten" and closed_form.is_valid():
                services.closed_period_save(
                    provider=provider, actor=request.user, **closed_form.cleaned_data
                )
                messages.success(request, _("Gesloten periode opgeslagen."))
                return redirect(f"{request.path}?aanbieder={provider.pk}")
            if request.POST.get("verwijder-grens"):
                limit = get_object_or_404(
                    LoadLimit, pk=request.POST["verwijder-grens"], provider=provider
                )
                services.load_limit_delete(limit=limit, actor=request.user)
                return redirect(f"{request.path}?aanbieder={provider.pk}")
            if request.POST.get("verwijder-periode"):
                period = get_object_or_404(
                    ClosedPeriod, pk=request.POST["verwijder-periode"], provider=provider
                )
                services.closed_period_delete(period=period, actor=request.user)
                return redirect(f"{request.path}?aanbieder={provider.pk}")
        except ValidationError as error:
            _errors_to_form(
                closed_form if request.POST.get("soort") == "gesloten" else limit_form, error
            )
    return render(
        request,
        "bookings/capacity.html",
        {
            "provider": provider,
            "limits": LoadLimit.objects.filter(provider=provider).select_related("activity_type"),
            "closed": ClosedPeriod.objects.filter(
                provider=provider, ends_on__gte=timezone.localdate()
            ),
            "limit_form": limit_form,
            "closed_form": closed_form,
            "providers": Organisation.objects.filter(pk__in=own).order_by("name"),
        },
    )


# --- Programme office ---------------------------------------------------------------------------


@login_required
def load(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _programme_region(request)
    year = SchoolYear.for_date(timezone.localdate())
    try:
        start = dt.date.fromisoformat(request.GET.get("van", ""))
        end = dt.date.fromisoformat(request.GET.get("tot", ""))
    except ValueError:
        start, end = year.starts_on, year.ends_on
    types = ActivityType.objects.filter(region=region).order_by("name")
    activity_type = next((t for t in types if str(t.pk) == request.GET.get("soort")), None)
    per = "quarter" if request.GET.get("per") == "kwartaal" else "month"
    report = selectors.load_report(
        region, start, end, activity_type_id=activity_type.pk if activity_type else None, per=per
    )
    if request.GET.get("formaat") == "xlsx":
        response = HttpResponse(
            to_xlsx(*report.table()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="belasting-aanbieders.xlsx"'
        return response
    return render(
        request,
        "bookings/load.html",
        {
            "report": report,
            "start": start,
            "end": end,
            "types": types,
            "activity_type": activity_type,
            "per": per,
        },
    )


@login_required
def quotas(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _programme_region(request)
    may_write = is_programme_office(request.user, write=True, region_id=region.pk)
    editing = None
    if request.GET.get("bewerk"):
        editing = get_object_or_404(ProgrammeQuota, pk=request.GET["bewerk"], region=region)
    form = forms.QuotaForm(request.POST or None, instance=editing, region_id=region.pk)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.quota_save(
                    region=region, actor=request.user, quota=editing, **form.cleaned_data
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Quotum opgeslagen."))
                return redirect("bookings:quotas")
    rows = ProgrammeQuota.objects.filter(region=region).select_related("provider")
    return render(
        request,
        "bookings/quotas.html",
        {"rows": rows, "form": form, "may_write": may_write, "editing": editing},
    )


@login_required
def pricing(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _programme_region(request)
    may_write = is_programme_office(request.user, write=True, region_id=region.pk)
    form = forms.PricingStepForm(request.POST or None)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            services.pricing_step_save(
                region=region,
                school_year=form.cleaned_data["school_year"],
                percent=form.cleaned_data["percent"],
                actor=request.user,
            )
            messages.success(request, _("Tarief opgeslagen."))
            return redirect("bookings:pricing")
    year = request.GET.get("schooljaar") or SchoolYear.for_date(timezone.localdate()).name
    header, rows = selectors.owed_by_school(region, year)
    if request.GET.get("formaat") == "xlsx":
        response = HttpResponse(
            to_xlsx(header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="eigen-bijdragen-{year}.xlsx"'
        return response
    return render(
        request,
        "bookings/pricing.html",
        {
            "steps": PricingStep.objects.filter(region=region).select_related("school_year"),
            "form": form,
            "may_write": may_write,
            "year": year,
            "years": SchoolYear.objects.all(),
            "header": header,
            "rows": rows,
        },
    )


# --- Calendar feeds -----------------------------------------------------------------------------


def _feed_owner_orgs(user: Any) -> list[Organisation]:
    ids = school_ids_as_staff(user) | provider_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
def feeds(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = _feed_owner_orgs(request.user)
    if not orgs and not programme_region_ids(request.user):
        raise PermissionDenied
    if request.method == "POST":
        org_id = request.POST.get("organisatie")
        if request.POST.get("intrekken"):
            feed = get_object_or_404(
                CalendarFeed, pk=request.POST["intrekken"], revoked_at__isnull=True
            )
            if feed.user_id != request.user.pk and feed.organisation_id not in {o.pk for o in orgs}:
                raise PermissionDenied
            services.feed_revoke(feed=feed, actor=request.user)
            messages.success(request, _("Het agenda-adres is ingetrokken; het werkt niet meer."))
        elif org_id:
            organisation = next((o for o in orgs if str(o.pk) == org_id), None)
            if organisation is None:
                raise PermissionDenied
            services.feed_create(actor=request.user, organisation=organisation)
            messages.success(
                request, _("Nieuw agenda-adres gemaakt; een eventueel ouder adres werkt niet meer.")
            )
        else:
            services.feed_create(actor=request.user)
            messages.success(
                request, _("Nieuw agenda-adres gemaakt; een eventueel ouder adres werkt niet meer.")
            )
        return redirect("bookings:feeds")
    active = CalendarFeed.objects.filter(revoked_at__isnull=True).filter(
        user=request.user
    ) | CalendarFeed.objects.filter(revoked_at__isnull=True, organisation__in=orgs)
    return render(
        request,
        "bookings/feeds.html",
        {"feeds": active.select_related("organisation"), "orgs": orgs},
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribable calendar: no log-in, the secret address is the key."""
    subscription = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user", "organisation")
        .first()
    )
    if subscription is None:
        raise Http404
    shown = [Status.ACCEPTED, Status.CONFIRMED, Status.COMPLETED]
    if subscription.organisation_id:
        org = subscription.organisation
        bookings = Booking.objects.filter(status__in=shown).filter(
            school_id=org.pk  # type: ignore[union-attr]
        ) | Booking.objects.filter(status__in=shown, provider_id=org.pk)  # type: ignore[union-attr]
        name = f"Maakstad – {org.label}"  # type: ignore[union-attr]
    else:
        user = subscription.user
        if user is None or not user.is_active:
            raise Http404
        bookings = permissions.bookings_for_user(user).filter(status__in=shown)
        bookings = bookings.filter(teacher=user) | bookings.filter(
            provider_id__in=provider_ids(user)
        )
        name = "Maakstad"
    since = timezone.now() - dt.timedelta(days=60)
    rows = bookings.filter(starts_at__gte=since).select_related(
        "offer", "offer__location", "provider", "school", "slot", "slot__location"
    )
    return HttpResponse(calendar.feed_ics(rows[:1000], name), content_type="text/calendar")
