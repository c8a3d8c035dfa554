"""Demo step: the menukaart of TechTown.

Runs after the organisations step, which creates the region `techtown` and the organisations
named in shared/domain; they are looked up by name and skipped with a log line when absent.
The co-financing companies offer what `cofinancing.csv` says (external electives here; the
deepening internships come from the internships step), every company offers a guest lesson and a
company visit, Spacebuzz and TechMission010 run TechTown workshops, the technology houses and the
Techniekbus give lessons to groep 5-8, each mbo college publishes its mbo menukaart. A few offers
are deliberately stale. Spacebuzz and the mbo colleges' proefstuderen come on specific dates,
a few weeks ahead of the day the demo is loaded. Idempotent: offers are keyed by (provider,
title), and a second run sets the same specific dates again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from maakstad.catalogue import activity_types as codes
from maakstad.catalogue.models import (
    AUDIENCE_KINDS,
    ActivityType,
    BookingMode,
    CostUnit,
    Offer,
    OfferDate,
    OfferStatus,
)
from maakstad.catalogue.services import activity_types_ensure_defaults
from maakstad.core.bitmask import choices_to_mask, to_mask
from maakstad.core.demo import DemoContext
from maakstad.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    Term,
)

VO = ("vmbo", "pro", "vso")
BOVENBOUW = (3, 4)
ONDERBOUW = (1, 2)
# cofinancing.csv: companies with hours for external electives, and what they teach.
ELECTIVES: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "Stedin": (
        "Extern keuzevak Duurzame energie",
        "Leerlingen leggen een huisaansluiting aan, meten spanning en stroom en leren hoe het net van de toekomst werkt.",
        ("PIE",),
        "energie",
    ),
    "Goflex/Vakwijs": (
        "Extern keuzevak Bouwen en onderhoud",
        "Metselen, tegelen en timmeren op de leerwerkplaats, met echte klussen in de wijk.",
        ("BWI",),
        "bouwen",
    ),
    "SPG infra": (
        "Extern keuzevak Infratechniek",
        "Bestraten, rioleren en maatvoeren; leerlingen werken met een echte uitzetploeg buiten.",
        ("BWI",),
        "bouwen",
    ),
    "Beroepentuin": (
        "Extern keuzevak Bouw en installatie in de praktijk",
        "In de Beroepentuin draaien leerlingen mee in bouw- en installatieprojecten, van fundering tot dakgoot.",
        ("BWI", "PIE"),
        "bouwen",
    ),
    "Lomans": (
        "Extern keuzevak Installatietechniek",
        "Elektra, water en verwarming aanleggen in een proefwoning; leerlingen sluiten een warmtepomp aan.",
        ("PIE",),
        "energie",
    ),
    "Hollandia Infra": (
        "Extern keuzevak Staalbouw en bruggen",
        "Lassen, snijden en samenstellen van staalconstructies op de werf aan de Lek.",
        ("PIE", "BWI"),
        "bouwen",
    ),
    "Installatiewerk Zuid-Holland": (
        "Extern keuzevak Elektrotechniek",
        "Schakelingen bouwen, groepenkasten bedraden en storingen zoeken, in het opleidingscentrum.",
        ("PIE",),
        "energie",
    ),
    "Metalent": (
        "Extern keuzevak Metaal en productie",
        "Draaien, frezen en CNC-programmeren; leerlingen maken een eigen werkstuk van tekening tot product.",
        ("PIE",),
        "digitalisering",
    ),
    "Vemefa Constructa": (
        "Extern keuzevak Constructiewerk",
        "Plaatwerk en lassen op de werkvloer van een machinebouwer.",
        ("PIE",),
        "digitalisering",
    ),
    "Bouwplein 010": (
        "Extern keuzevak Bouwplein",
        "Timmeren, metselen en installeren in het praktijkcentrum van de Rotterdamse bouw.",
        ("BWI",),
        "bouwen",
    ),
}
PO_PARTNERS: dict[str, tuple[str, str, int]] = {
    "Techniekhuis op Zuid": (
        "Techniekles in het Techniekhuis op Zuid",
        "In het Techniekhuis bouwen leerlingen een eigen windmolen, programmeren een robotje en ontdekken hoe een stroomkring werkt.",
        0b0010110,
    ),
    "Slagplug": (
        "Techniekles in het Techniekhuis op Noord",
        "Slagplug ontvangt groepen in het Techniekhuis op Noord: solderen, houtbewerken en bouwen met echte materialen.",
        0b0001011,
    ),
    "Techniekbus": (
        "De Techniekbus op het schoolplein",
        "Een mobiel techniekpaleis komt naar de school: leerlingen werken in tweetallen aan opdrachten over energie, bouwen en programmeren.",
        0b0011111,
    ),
}
TECHTOWN_RATES = {"Spacebuzz": Decimal("1000.00"), "TechMission010": Decimal("250.00")}
TECHTOWN: dict[str, tuple[str, str, str]] = {
    "Spacebuzz": (
        "Spacebuzz: de ruimte in met VR",
        "Leerlingen maken in een simulator een virtuele ruimtereis, ervaren het 'overview effect' en werken daarna aan een les over aarde, klimaat en techniek.",
        "hitech-science",
    ),
    "TechMission010": (
        "TechMission010: techniek-escaperoom",
        "In teams lossen leerlingen technische opdrachten op om uit de mobiele escaperoom te komen: stroomkringen, codes en constructies.",
        "digitaal-media-entertainment",
    ),
}
MBO_OFFERS = (
    (
        codes.PROEFSTUDEREN_MBO,
        "Proefstuderen bij {name}",
        "Een dag meedraaien in de praktijklessen van een technische opleiding, met een rondleiding door studenten.",
        (3, 4),
    ),
    (
        codes.WORKSHOP,
        "Workshop techniek bij {name}",
        "Een praktijkworkshop van een dagdeel in de werkplaatsen van het college, voor klassen uit de onderbouw.",
        (1, 2),
    ),
)


def _contact(org: Organisation) -> Any:
    membership = (
        Membership.objects.filter(
            organisation=org, role__in=[Role.COMPANY_CONTACT, Role.MBO_STAFF, Role.ORG_ADMIN]
        )
        .select_related("user")
        .order_by("-is_contact", "pk")
        .first()
    )
    return membership.user if membership else None


def _terms(taxonomy_qs: Any, codes_: tuple[str, ...]) -> list[Term]:
    return list(taxonomy_qs.filter(code__in=codes_))


def _upsert(
    ctx: DemoContext,
    org: Organisation,
    activity: ActivityType,
    title: str,
    *,
    terms: dict[str, list[Term]] | None = None,
    stale: bool = False,
    **fields: Any,
) -> Offer:
    now = timezone.now()
    location = org.locations.order_by("-is_main", "pk").first()
    defaults = {
        "activity_type": activity,
        "location": location,
        "contact": _contact(org),
        "status": OfferStatus.PUBLISHED,
        "published_at": now - dt.timedelta(days=ctx.rng.randint(5, 120)),
        "confirmed_at": now - dt.timedelta(days=ctx.rng.randint(1, 60))
        if not stale
        else now - dt.timedelta(days=250),
        "insurance_required": activity.insurance_default,
        **fields,
    }
    offer, created = Offer.objects.get_or_create(provider=org, title=title, defaults=defaults)
    if not created:
        # Keep publication and confirmation dates stable on a second run.
        for name in ("published_at", "confirmed_at", "contact"):
            defaults.pop(name)
        Offer.objects.filter(pk=offer.pk).update(**defaults)
    for name, values in (terms or {}).items():
        getattr(offer, name).set(values)
    return offer


def _on_weekday(start: dt.date, weekday: int) -> dt.date:
    """The first `weekday` (0 = Monday) on or after `start`."""
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def _set_dates(offer: Offer, dates: list[tuple[dt.date, str]]) -> None:
    """The offer's specific dates become exactly `dates` (idempotent)."""
    OfferDate.objects.filter(offer=offer).exclude(date__in=[d for d, _n in dates]).delete()
    for day, note in dates:
        OfferDate.objects.update_or_create(offer=offer, date=day, defaults={"note": note})


def load(ctx: DemoContext) -> None:
    region = Region.objects.filter(slug="techtown").first()
    if region is None:
        ctx.log("catalogue: regio techtown ontbreekt, overgeslagen")
        return
    types = {t.code: t for t in activity_types_ensure_defaults(region)}
    orgs = {o.name: o for o in Organisation.objects.filter(region=region, is_active=True)}
    vo_mask = choices_to_mask(VO, AUDIENCE_KINDS)
    po_mask = choices_to_mask(("po",), AUDIENCE_KINDS)
    worlds = {t.code: t for t in Term.objects.worlds()}
    themes = {t.code: t for t in Term.objects.themes()}
    made = 0
    today = timezone.localdate()
    school_year_end = dt.date(today.year + (1 if today.month >= 8 else 0), 7, 15)

    for name, (title, text, profiles, theme) in ELECTIVES.items():
        org = orgs.get(name)
        if org is None:
            ctx.log(f"catalogue: '{name}' niet gevonden, overgeslagen")
            continue
        _upsert(
            ctx,
            org,
            types[codes.EXTERN_KEUZEVAK],
            title,
            summary=f"Een beroepsgericht keuzevak bij {name}, een dagdeel per week.",
            description=f"{text}\n\n**Rooster:** elke week hetzelfde dagdeel, in perioden van 8 weken.",
            pupil_activities=text,
            school_kinds_mask=vo_mask,
            leerjaren_mask=to_mask(BOVENBOUW),
            min_pupils=6,
            max_pupils=12,
            duration_minutes=240,
            weekdays_mask=to_mask([ctx.rng.choice([1, 2, 3])]),
            booking_mode=BookingMode.SCHEDULED,
            supervision_required=False,
            travel_notes="De school regelt het vervoer of leerlingen komen met het ov.",
            terms={
                "profiles": _terms(Term.objects.profiles(), profiles),
                "leerwegen": _terms(Term.objects.leerwegen(), ("BB", "KB")),
                "worlds": list(org.worlds.all()),
                "themes": [themes[theme]] if theme in themes else [],
            },
        )
        made += 1

    companies = [o for o in orgs.values() if o.kind == OrganisationKind.COMPANY]
    for index, org in enumerate(sorted(companies, key=lambda o: o.name)):
        sector = org.sectors or "techniek"
        org_worlds = list(org.worlds.all())
        _upsert(
            ctx,
            org,
            types[codes.GASTLES],
            f"Gastles: werken bij {org.name}",
            summary=f"Een vakman of -vrouw van {org.name} vertelt en laat zien wat {sector.lower()} inhoudt.",
            description=f"Een gastles van 50 minuten over {sector.lower()}: wat doen we, hoe ziet een werkdag eruit en welke opleiding past erbij? Met materiaal om vast te pakken.",
            pupil_activities="Vragen stellen, een korte opdracht in tweetallen, beroepen leren kennen.",
            school_kinds_mask=vo_mask,
            min_pupils=10,
            max_pupils=32,
            duration_minutes=50,
            supervision_required=True,
            terms={"worlds": org_worlds},
            stale=index % 9 == 4,
        )
        _upsert(
            ctx,
            org,
            types[codes.BEDRIJFSBEZOEK],
            f"Bedrijfsbezoek {org.name}",
            summary=f"Rondleiding en doe-opdracht op de werkvloer van {org.name}.",
            description="Een dagdeel op bezoek: ontvangst, veiligheidsinstructie, rondleiding langs de afdelingen en een korte praktijkopdracht.",
            pupil_activities="Kijken, vragen, zelf een kleine klus uitvoeren onder begeleiding.",
            school_kinds_mask=vo_mask,
            leerjaren_mask=to_mask((2, 3, 4)),
            min_pupils=8,
            max_pupils=25,
            duration_minutes=180,
            weekdays_mask=to_mask([1, 3]),
            supervision_required=True,
            supervision_notes="1 begeleider per 12 leerlingen.",
            travel_notes="Parkeren voor een bus is mogelijk; met het ov ongeveer 10 minuten lopen.",
            terms={"worlds": org_worlds},
            stale=index % 11 == 7,
        )
        made += 2

    for name, (title, text, world) in TECHTOWN.items():
        org = orgs.get(name)
        if org is None:
            ctx.log(f"catalogue: '{name}' niet gevonden, overgeslagen")
            continue
        offer = _upsert(
            ctx,
            org,
            types[codes.WORKSHOP],
            title,
            summary=text.split(".")[0] + ".",
            description=text,
            pupil_activities=text,
            school_kinds_mask=vo_mask,
            leerjaren_mask=to_mask(ONDERBOUW),
            min_pupils=15,
            max_pupils=30,
            duration_minutes=120,
            booking_mode=BookingMode.SCHEDULED,
            is_programme_offer=True,
            cost_unit=CostUnit.PER_GROUP,
            # What the programme pays per workshop (budget.csv): Spacebuzz €1,000, TM010 €250.
            cost_amount=TECHTOWN_RATES[name],
            own_contribution_amount=Decimal("0.00"),
            availability_notes="Betaald door TechTown; klassen plannen via het programmabureau.",
            terms={"worlds": [worlds[world]] if world in worlds else []},
        )
        if name == "Spacebuzz":
            # The simulator comes to the region on three fixed Tuesdays.
            _set_dates(
                offer,
                [
                    (_on_weekday(today + dt.timedelta(days=weeks * 7), 1), "")
                    for weeks in (3, 7, 11)
                ],
            )
        made += 1

    for name, (title, text, weekdays) in PO_PARTNERS.items():
        org = orgs.get(name)
        if org is None:
            ctx.log(f"catalogue: '{name}' niet gevonden, overgeslagen")
            continue
        _upsert(
            ctx,
            org,
            types[codes.TECHNIEKLES_PO],
            title,
            summary="Een techniekles voor groep 5 tot en met 8.",
            description=f"{text}\n\nIn schooljaar 2025-2026 gratis; vanaf 2026-2027 geldt een eigen bijdrage van 10 %.",
            pupil_activities=text,
            school_kinds_mask=po_mask,
            groepen_mask=to_mask((5, 6, 7, 8)),
            min_pupils=15,
            max_pupils=32,
            duration_minutes=90,
            weekdays_mask=weekdays,
            booking_mode=BookingMode.SCHEDULED,
            available_until=school_year_end,
            supervision_required=True,
            supervision_notes="De leerkracht blijft bij de groep.",
            # The full cost of a lesson; the school pays the programme's own-contribution share.
            cost_unit=CostUnit.PER_GROUP,
            cost_amount=Decimal("150.00"),
            terms={
                "themes": [
                    themes[c] for c in ("energie", "bouwen", "digitalisering") if c in themes
                ]
            },
        )
        made += 1

    for org in sorted(
        (o for o in orgs.values() if o.kind == OrganisationKind.MBO), key=lambda o: o.name
    ):
        for code, title, text, years in MBO_OFFERS:
            offer = _upsert(
                ctx,
                org,
                types[code],
                title.format(name=org.short_name or org.name),
                summary=text,
                description=text,
                pupil_activities="Meedoen met praktijklessen en studenten spreken.",
                school_kinds_mask=vo_mask,
                leerjaren_mask=to_mask(years),
                min_pupils=4 if code == codes.PROEFSTUDEREN_MBO else 12,
                max_pupils=16 if code == codes.PROEFSTUDEREN_MBO else 28,
                duration_minutes=300 if code == codes.PROEFSTUDEREN_MBO else 150,
                weekdays_mask=to_mask([2]),
                booking_mode=BookingMode.SCHEDULED,
                terms={
                    "profiles": _terms(Term.objects.profiles(), ("PIE", "BWI", "M&T", "MaT", "MVI"))
                },
            )
            if code == codes.PROEFSTUDEREN_MBO:
                # Two proefstudeerdagen on Wednesdays, the second one also an open day.
                _set_dates(
                    offer,
                    [
                        (_on_weekday(today + dt.timedelta(days=30), 2), ""),
                        (_on_weekday(today + dt.timedelta(days=90), 2), "ook open dag"),
                    ],
                )
            made += 1
    ctx.log(f"catalogue: {len(types)} soorten activiteiten, {made} aanbiedingen")
