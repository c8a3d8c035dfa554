"""Every write to the menukaart (DESIGN.md §4.1): activity types and offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.catalogue import activity_types as codes
from maakstad.catalogue import permissions
from maakstad.catalogue.models import (
    NOTE_MAX_LENGTH,
    TRANSITIONS,
    ActivityType,
    CostUnit,
    Offer,
    OfferDate,
    OfferStatus,
)
from maakstad.core import audit
from maakstad.organisations.models import Location, Membership, Organisation, Region, Term

# (code, definition, explanation, conditions, insurance by default). Wording after the
# kadernotitie of the region's LOB programme.
DEFAULTS: dict[str, tuple[str, str, str, bool]] = {
    codes.GASTLES: (
        "Een medewerker van een bedrijf of instelling geeft op school een les over zijn of haar "
        "vak, bedrijf of beroep.",
        "De gastdocent sluit aan bij het lesprogramma; leerlingen bereiden vragen voor en "
        "verwerken de les na. Geschikt voor de hele klas.",
        "Lokaal met beamer op school; een docent is bij de les aanwezig.",
        False,
    ),
    codes.BEDRIJFSBEZOEK: (
        "Een klas of groep bezoekt een bedrijf en krijgt een rondleiding en uitleg over het werk.",
        "Duurt meestal een dagdeel. Leerlingen zien de werkvloer, spreken medewerkers en doen "
        "waar het kan zelf iets.",
        "Begeleiding door de school (1 begeleider per 10-15 leerlingen), vervoer regelt de "
        "school, veiligheidsinstructie van het bedrijf volgen.",
        False,
    ),
    codes.MEELOOPDAG: (
        "Een leerling loopt een (halve) dag mee met een vakman of -vrouw: een snuffelstage.",
        "Bedoeld voor oriëntatie in de onderbouw of bij de profielkeuze; de leerling kijkt mee "
        "en helpt bij eenvoudige taken.",
        "Toestemming van ouders/verzorgers, een contactpersoon bij het bedrijf, "
        "verzekering via de school.",
        True,
    ),
    codes.BLIKSEMSTAGE: (
        "Een bedrijfsbezoek van ongeveer een halve dag met veel doe-elementen, waarin leerlingen "
        "kennismaken met de beroepen van het bedrijf.",
        "In kleine groepen doen leerlingen opdrachten op verschillende afdelingen; in de regio "
        "georganiseerd met JINC, in onder- en bovenbouw.",
        "Groepjes van 4-8 leerlingen, begeleiding door de school, kleding en schoenen volgens "
        "de instructie van het bedrijf.",
        False,
    ),
    codes.VERDIEPENDE_STAGE: (
        "Een verdiepende beroepsstage van 2 tot 5 dagen bij een technisch bedrijf, verspreid "
        "door het schooljaar.",
        "Voor bovenbouwleerlingen (ook pro en vso) die zich willen verdiepen in een beroep; "
        "naast de reguliere stage. Loopt via de stagemodule (aanmelding, akkoord mentor en "
        "ouders, overeenkomst).",
        "Stageovereenkomst, toestemming van ouders/verzorgers, verzekering, een begeleider bij "
        "het bedrijf.",
        True,
    ),
    codes.EXTERN_KEUZEVAK: (
        "Een beroepsgericht keuzevak dat leerlingen buiten de eigen school volgen, bij een "
        "mbo-college, een bedrijf of een andere vmbo-school (extern leren).",
        "Wekelijks op een vast dagdeel in een periode; de aanbieder verzorgt de lessen en de "
        "school toetst en registreert het keuzevak.",
        "Vaste dag en periode, vervoer volgens afspraak, verzekering via de school, "
        "aanwezigheid wordt geregistreerd.",
        True,
    ),
    codes.WORKSHOP: (
        "Een praktische activiteit van een of enkele uren waarin leerlingen zelf iets maken, "
        "onderzoeken of ontwerpen.",
        "Op school of bij de aanbieder. Sluit vaak aan bij een thema (energie, digitalisering, "
        "bouwen, mobiliteit, vergroening).",
        "Materiaal van de aanbieder; een docent is aanwezig.",
        False,
    ),
    codes.TECHNIEKLES_PO: (
        "Een techniekles voor groep 5 tot en met 8 van de basisschool, in een techniekhuis, in "
        "de techniekbus of op een vmbo-school.",
        "Leerlingen ontdekken techniek door te doen; de lessen worden op vaste momenten "
        "ingeroosterd. In 2025-2026 gratis, vanaf 2026-2027 met een eigen bijdrage.",
        "Hele groep met leerkracht, vervoer naar de locatie door de school (niet bij de "
        "techniekbus).",
        False,
    ),
    codes.PRAKTIJKOPDRACHT: (
        "Een echte opdracht van een externe opdrachtgever die leerlingen in het praktijkgerichte "
        "programma (pgp) van gl en tl uitvoeren.",
        "De opdrachtgever stelt de vraag, is aanspreekpunt en beoordeelt het resultaat mee; de "
        "opdracht duurt meestal enkele weken.",
        "Een vaste contactpersoon, een begin- en eindpresentatie.",
        False,
    ),
    codes.CHALLENGE: (
        "Een wedstrijd of challenge waarin teams van leerlingen een technisch probleem oplossen.",
        "Met een opdracht, een jury en een finale; soms regionaal tussen scholen.",
        "Inschrijving per team, begeleiding door de school tijdens de finale.",
        False,
    ),
    codes.MASTERCLASS_DOCENTEN: (
        "Een bijeenkomst of korte stage voor docenten bij een bedrijf of mbo om actuele "
        "techniek en beroepen te leren kennen.",
        "Voor docenten, mentoren en decanen; versterkt de kennis van de beroepspraktijk "
        "(docentenstages).",
        "Aanmelding door de docent, vrijstelling van lessen door de school.",
        False,
    ),
    codes.OUDERACTIVITEIT: (
        "Een activiteit voor ouders en verzorgers over techniek, technische opleidingen en "
        "beroepen, zoals een ouderavond of een bedrijfsbezoek met ouders.",
        "Helpt ouders hun kind te begeleiden bij de studiekeuze; vaak 's avonds.",
        "Georganiseerd met de school; ruimte voor de groep ouders.",
        False,
    ),
    codes.PROEFSTUDEREN_MBO: (
        "Leerlingen volgen een dag of dagdeel lessen bij een mbo-opleiding: proefstuderen of "
        "een meeloopdag op het mbo.",
        "Voor leerlingen in leerjaar 3 en 4 die een vervolgopleiding kiezen; ze doen mee met "
        "praktijklessen en spreken mbo-studenten.",
        "Aanmelding via de decaan, verzekering via de school.",
        True,
    ),
}

M2M_FIELDS = ("leerwegen", "profiles", "worlds", "themes", "mentalities")
# Specific dates: `fields["dates"]` is a list of dates or (date, note) pairs and replaces the
# offer's dates; without the key they stay as they are.
DATES_FIELD = "dates"
MAX_DATES = 100
OFFER_FIELDS = (
    "location",
    "activity_type",
    "title",
    "summary",
    "description",
    "pupil_activities",
    "school_kinds_mask",
    "leerjaren_mask",
    "groepen_mask",
    "min_pupils",
    "max_pupils",
    "duration_minutes",
    "weekdays_mask",
    "available_from",
    "available_until",
    "availability_notes",
    "booking_mode",
    "cost_unit",
    "cost_amount",
    "own_contribution_amount",
    "insurance_required",
    "supervision_required",
    "supervision_notes",
    "travel_notes",
    "contact",
)


# --- Activity types ---------------------------------------------------------------------------


@transaction.atomic
def activity_types_ensure_defaults(region: Region) -> list[ActivityType]:
    """Create the 13 standard types of the region; fill empty texts of existing ones."""
    result = []
    for position, (code, name) in enumerate(codes.STANDARD):
        definition, explanation, conditions, insurance = DEFAULTS[code]
        found, created = ActivityType.objects.get_or_create(
            region=region,
            code=code,
            defaults={
                "name": name,
                "definition": definition,
                "explanation": explanation,
                "conditions": conditions,
                "insurance_default": insurance,
                "position": position,
            },
        )
        if not created:
            changed = []
            for field, value in (
                ("definition", definition),
                ("explanation", explanation),
                ("conditions", conditions),
            ):
                if not getattr(found, field):
                    setattr(found, field, value)
                    changed.append(field)
            if changed:
                found.save(update_fields=changed)
        result.append(found)
    return result


def _require_curator(actor: Any, region_id: int) -> None:
    if not permissions.can_curate(actor, region_id):
        raise ValidationError(_("Alleen het programmabureau van de regio kan dit wijzigen."))


@transaction.atomic
def activity_type_create(
    *,
    region: Region,
    code: str,
    name: str,
    definition: str = "",
    explanation: str = "",
    conditions: str = "",
    insurance_default: bool = False,
    actor: Any,
) -> ActivityType:
    _require_curator(actor, region.pk)
    if not name.strip():
        raise ValidationError({"name": _("Geef de soort activiteit een naam.")})
    if ActivityType.objects.filter(region=region, code=code).exists():
        raise ValidationError({"code": _("Deze code bestaat al in de regio.")})
    position = ActivityType.objects.filter(region=region).count()
    found = ActivityType(
        region=region,
        code=code,
        name=name.strip(),
        definition=definition,
        explanation=explanation,
        conditions=conditions,
        insurance_default=insurance_default,
        position=position,
    )
    found.full_clean()
    found.save()
    audit.record(
        action="catalogue.activity_type.create",
        obj=found,
        actor=actor,
        after=audit.snapshot(found),
        region_id=region.pk,
    )
    return found


@transaction.atomic
def activity_type_update(
    *, activity_type: ActivityType, fields: dict[str, Any], actor: Any
) -> ActivityType:
    _require_curator(actor, activity_type.region_id)
    allowed = {
        "name",
        "definition",
        "explanation",
        "conditions",
        "insurance_default",
        "is_active",
        "position",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Deze velden kunnen niet worden gewijzigd: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(activity_type)
    for name, value in fields.items():
        setattr(activity_type, name, value)
    if not activity_type.name.strip():
        raise ValidationError({"name": _("Geef de soort activiteit een naam.")})
    activity_type.full_clean()
    activity_type.save()
    audit.record(
        action="catalogue.activity_type.update",
        obj=activity_type,
        actor=actor,
        before=before,
        after=audit.snapshot(activity_type),
        region_id=activity_type.region_id,
    )
    return activity_type


# --- Offers -----------------------------------------------------------------------------------


DateInput = dt.date | tuple[dt.date, str]


def _clean_dates(
    values: Iterable[DateInput], *, existing: set[dt.date], errors: dict[str, list[str]]
) -> list[tuple[dt.date, str]]:
    """Sorted (date, note) pairs, duplicates merged (the first non-empty note wins); a date in the
    past is refused unless the offer already had it. Problems go into `errors["dates"]`."""
    merged: dict[dt.date, str] = {}
    for value in values:
        day, note = value if isinstance(value, tuple) else (value, "")
        note = " ".join((note or "").split())
        if not merged.get(day):
            merged[day] = note
    today = timezone.localdate()
    messages = []
    for day, note in sorted(merged.items()):
        shown = f"{day:%d-%m-%Y}"
        if day < today and day not in existing:
            messages.append(_("‘%(date)s’ ligt in het verleden.") % {"date": shown})
        if len(note) > NOTE_MAX_LENGTH:
            messages.append(
                _("De toelichting bij ‘%(date)s’ is te lang (hoogstens %(n)s tekens).")
                % {"date": shown, "n": NOTE_MAX_LENGTH}
            )
    if len(merged) > MAX_DATES:
        messages.append(_("Geef hoogstens %(n)s losse data op.") % {"n": MAX_DATES})
    if messages:
        errors.setdefault(DATES_FIELD, []).extend(messages)
    return sorted(merged.items())


def _validate(
    offer: Offer,
    m2m: dict[str, list[Term]],
    *,
    changed_dates: set[str],
    actor: Any,
    dates: Sequence[DateInput] | None = None,
    existing_dates: set[dt.date] | None = None,
) -> list[tuple[dt.date, str]] | None:
    """Raise every problem at once, keyed by field; the cleaned specific dates (None: leave
    the offer's dates as they are)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    cleaned = (
        None
        if dates is None
        else _clean_dates(dates, existing=existing_dates or set(), errors=errors)
    )

    provider = offer.provider
    if not offer.title or not offer.title.strip():
        add("title", _("Geef het aanbod een titel."))
    if offer.activity_type_id is None:
        add("activity_type", _("Kies een soort activiteit."))
    else:
        if offer.activity_type.region_id != provider.region_id:
            add(
                "activity_type",
                _("Deze soort activiteit hoort niet bij de regio van de aanbieder."),
            )
        elif not permissions.can_offer_type(provider, offer.activity_type):
            add("activity_type", _("Een vmbo-school biedt alleen technieklessen voor het po aan."))
    if offer.location is not None and offer.location.organisation_id != provider.pk:
        add("location", _("Deze locatie hoort niet bij de aanbieder."))
    if (
        offer.min_pupils is not None
        and offer.max_pupils is not None
        and offer.max_pupils < offer.min_pupils
    ):
        add("max_pupils", _("Het maximum aantal leerlingen mag niet kleiner zijn dan het minimum."))
    if offer.max_pupils == 0:
        add("max_pupils", _("Het maximum aantal leerlingen moet minstens 1 zijn."))
    if offer.duration_minutes == 0:
        add("duration_minutes", _("De duur moet minstens 1 minuut zijn."))
    today = timezone.localdate()
    for field in ("available_from", "available_until"):
        value: dt.date | None = getattr(offer, field)
        if field in changed_dates and value is not None and value < today:
            add(field, _("Deze datum ligt in het verleden."))
    if (
        offer.available_from
        and offer.available_until
        and offer.available_until < offer.available_from
    ):
        add("available_until", _("De einddatum ligt vóór de begindatum."))
    cost = offer.cost_amount or Decimal(0)
    own = offer.own_contribution_amount or Decimal(0)
    if cost < 0:
        add("cost_amount", _("Het bedrag kan niet negatief zijn."))
    if own < 0:
        add("own_contribution_amount", _("De eigen bijdrage kan niet negatief zijn."))
    if offer.cost_unit == CostUnit.FREE:
        if cost > 0:
            add(
                "cost_amount", _("Gratis aanbod heeft geen bedrag; kies per leerling of per groep.")
            )
        if own > 0:
            add("own_contribution_amount", _("Gratis aanbod heeft geen eigen bijdrage."))
    else:
        if cost <= 0:
            add("cost_amount", _("Vul het bedrag in, of kies ‘Gratis’."))
        elif own > cost:
            add("own_contribution_amount", _("De eigen bijdrage is hoger dan de kosten."))
    if (
        offer.contact_id is not None
        and not Membership.objects.filter(user_id=offer.contact_id, organisation=provider).exists()
    ):
        add("contact", _("De contactpersoon werkt niet bij de aanbieder."))
    for name, terms in m2m.items():
        taxonomy = Offer._meta.get_field(name).remote_field.limit_choices_to["taxonomy"]  # type: ignore[union-attr, index]
        if any(term.taxonomy != taxonomy for term in terms):
            add(name, _("Kies alleen waarden uit de lijst."))
    if errors:
        raise ValidationError(errors)
    try:
        offer.full_clean(exclude=["provider", "activity_type", "location", "contact"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    return cleaned


def _split(
    fields: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, list[Term]], list[DateInput] | None]:
    plain = {k: v for k, v in fields.items() if k not in M2M_FIELDS and k != DATES_FIELD}
    m2m = {k: list(v) for k, v in fields.items() if k in M2M_FIELDS}
    dates = list(fields[DATES_FIELD] or []) if DATES_FIELD in fields else None
    unknown = set(plain) - set(OFFER_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    return plain, m2m, dates


def _save_dates(offer: Offer, dates: list[tuple[dt.date, str]]) -> None:
    """Make the offer's specific dates exactly `dates` (deletes, note changes, additions)."""
    wanted = dict(dates)
    current = {row.date: row for row in offer.dates.all()}
    gone = [row.pk for day, row in current.items() if day not in wanted]
    if gone:
        OfferDate.objects.filter(pk__in=gone).delete()
    changed = []
    for day, note in wanted.items():
        row = current.get(day)
        if row is not None and row.note != note:
            row.note = note
            changed.append(row)
    if changed:
        OfferDate.objects.bulk_update(changed, ["note"])
    OfferDate.objects.bulk_create(
        [
            OfferDate(offer=offer, date=day, note=note)
            for day, note in wanted.items()
            if day not in current
        ]
    )


def _snapshot(offer: Offer) -> dict[str, Any]:
    data = audit.snapshot(offer)
    if offer.pk:
        for name in M2M_FIELDS:
            data[name] = sorted(getattr(offer, name).values_list("pk", flat=True))
        data[DATES_FIELD] = [
            {"date": day.isoformat(), "note": note}
            for day, note in offer.dates.order_by("date").values_list("date", "note")
        ]
    return data


@transaction.atomic
def offer_create(*, provider: Organisation, fields: dict[str, Any], actor: Any) -> Offer:
    """A new offer, as a draft (concept), for a provider the actor may publish for."""
    if not permissions.provider_organisations(actor).filter(pk=provider.pk).exists():
        raise ValidationError(_("U kunt geen aanbod plaatsen voor deze organisatie."))
    plain, m2m, dates = _split(fields)
    offer = Offer(provider=provider, status=OfferStatus.DRAFT, **plain)
    if offer.location_id is None:
        offer.location = provider.locations.order_by("-is_main", "pk").first()
    cleaned = _validate(
        offer,
        m2m,
        changed_dates={"available_from", "available_until"},
        actor=actor,
        dates=dates,
    )
    offer.confirmed_at = timezone.now()
    offer.save()
    for name, terms in m2m.items():
        getattr(offer, name).set(terms)
    if cleaned:
        _save_dates(offer, cleaned)
    audit.record(
        action="catalogue.offer.create",
        obj=offer,
        actor=actor,
        after=_snapshot(offer),
        region_id=provider.region_id,
    )
    return offer


def _require_edit(actor: Any, offer: Offer) -> None:
    if not permissions.can_edit(actor, offer):
        raise ValidationError(_("U kunt dit aanbod niet wijzigen."))


@transaction.atomic
def offer_update(*, offer: Offer, fields: dict[str, Any], actor: Any) -> Offer:
    """Change an offer; saving it counts as confirming that it is correct."""
    _require_edit(actor, offer)
    plain, m2m, dates = _split(fields)
    before = _snapshot(offer)
    changed_dates: set[str] = {
        name
        for name in ("available_from", "available_until")
        if name in plain and plain[name] != getattr(offer, name)
    }
    for name, value in plain.items():
        setattr(offer, name, value)
    cleaned = _validate(
        offer,
        m2m,
        changed_dates=changed_dates,
        actor=actor,
        dates=dates,
        existing_dates={dt.date.fromisoformat(row["date"]) for row in before[DATES_FIELD]},
    )
    offer.confirmed_at = timezone.now()
    offer.save()
    for name, terms in m2m.items():
        getattr(offer, name).set(terms)
    if cleaned is not None:
        _save_dates(offer, cleaned)
    audit.record(
        action="catalogue.offer.update",
        obj=offer,
        actor=actor,
        before=before,
        after=_snapshot(offer),
        region_id=offer.provider.region_id,
    )
    return offer


def _transition(offer: Offer, target: str, *, actor: Any, action: str) -> Offer:
    _require_edit(actor, offer)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if target not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("Een aanbod met status ‘%(from)s’ kan niet naar ‘%(to)s’.")
            % {"from": locked.get_status_display(), "to": OfferStatus(target).label}
        )
    before = {"status": locked.status}
    now = timezone.now()
    offer.status = target
    update = ["status", "updated_at"]
    if target == OfferStatus.PUBLISHED:
        offer.published_at = now
        offer.confirmed_at = now
        update += ["published_at", "confirmed_at"]
    offer.save(update_fields=update)
    audit.record(
        action=action,
        obj=offer,
        actor=actor,
        before=before,
        after={"status": target},
        region_id=offer.provider.region_id,
    )
    return offer


@transaction.atomic
def offer_publish(*, offer: Offer, actor: Any) -> Offer:
    _validate(offer, {}, changed_dates=set(), actor=actor)
    return _transition(offer, OfferStatus.PUBLISHED, actor=actor, action="catalogue.offer.publish")


@transaction.atomic
def offer_archive(*, offer: Offer, actor: Any) -> Offer:
    return _transition(offer, OfferStatus.ARCHIVED, actor=actor, action="catalogue.offer.archive")


@transaction.atomic
def offer_unpublish(*, offer: Offer, actor: Any) -> Offer:
    """Back to concept (e.g. to rework an offer or a reopened archived one)."""
    return _transition(offer, OfferStatus.DRAFT, actor=actor, action="catalogue.offer.draft")


@transaction.atomic
def offer_confirm(*, offer: Offer, actor: Any, actor_label: str = "") -> Offer:
    """The provider says the offer is still correct ("nog steeds juist")."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        _require_edit(actor, offer)
    before = {"confirmed_at": offer.confirmed_at}
    offer.confirmed_at = timezone.now()
    offer.save(update_fields=["confirmed_at", "updated_at"])
    audit.record(
        action="catalogue.offer.confirm",
        obj=offer,
        actor=actor,
        actor_label=actor_label,
        before=before,
        after={"confirmed_at": offer.confirmed_at},
        region_id=offer.provider.region_id,
    )
    return offer


@transaction.atomic
def offer_mark_programme(*, offer: Offer, is_programme_offer: bool, actor: Any) -> Offer:
    """The programme office marks an offer as a TechTown offer (paid for by the programme)."""
    _require_curator(actor, offer.provider.region_id)
    before = {"is_programme_offer": offer.is_programme_offer}
    offer.is_programme_offer = is_programme_offer
    offer.save(update_fields=["is_programme_offer", "updated_at"])
    audit.record(
        action="catalogue.offer.programme",
        obj=offer,
        actor=actor,
        before=before,
        after={"is_programme_offer": is_programme_offer},
        region_id=offer.provider.region_id,
    )
    return offer


def location_of(provider: Organisation, pk: int | None) -> Location | None:
    if pk is None:
        return None
    return provider.locations.filter(pk=pk).first()
