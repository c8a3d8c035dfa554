"""Demo step: a few hundred lesson materials across the 7 werelden, a 32-block lesson-kit
programme, and usage by schools (what milestones 2.1.2 and 2.1.3 count)."""

from __future__ import annotations

import datetime as dt

from maakstad.catalogue.models import Offer, OfferStatus
from maakstad.core.bitmask import to_mask
from maakstad.core.demo import DemoContext
from maakstad.knowledge import search
from maakstad.knowledge.models import (
    AUDIENCE_KINDS,
    Collection,
    CollectionItem,
    OfferMaterial,
    Resource,
    ResourceKind,
    ResourceStatus,
    ResourceVersion,
    Tool,
    Usage,
)
from maakstad.organisations.models import Membership, Organisation, Region, Role, Term

TOOLS = [
    "3D-printer",
    "lasersnijder",
    "micro:bit",
    "Arduino",
    "soldeerbout",
    "multimeter",
    "LEGO Spike",
    "zaag- en boorgereedschap",
    "naaimachine",
    "tablet met camera",
]

TOPICS: dict[str, list[tuple[str, str]]] = {
    "mens-gezondheid": [
        (
            "Een hartslagmeter bouwen",
            "Leerlingen meten hun hartslag met een sensor en maken er een grafiek van.",
        ),
        ("Prothese van karton", "Ontwerp een grijphand voor iemand die een hand mist."),
        ("Hygiëne in het lab", "Waarom steriel werken in de zorgtechniek zo belangrijk is."),
        ("Ergonomisch schoolmeubel", "Meet elkaars lichaamsmaten en ontwerp een betere stoel."),
    ],
    "energie-water-veiligheid": [
        (
            "Zonnepanelen op het schooldak",
            "Rekenen aan de opbrengst van zonnepanelen op je eigen school.",
        ),
        (
            "Windmolen van gerecyclede materialen",
            "Bouw een windmolen en meet hoeveel spanning hij levert.",
        ),
        ("Een waterfilter ontwerpen", "Maak vies water schoon met zand, grind en houtskool."),
        (
            "Elektrisch installeren: een lichtschakeling",
            "Leg een wisselschakeling aan zoals een installateur.",
        ),
        ("Dijken en waterkeringen", "Hoe houdt Rotterdam droge voeten? Bouw een dijkmodel."),
    ],
    "voeding-natuur": [
        (
            "Slimme kas met sensoren",
            "Meet temperatuur en vocht en laat een micro:bit de kas besturen.",
        ),
        ("Voedselverspilling meten", "Onderzoek hoeveel eten er in de kantine wordt weggegooid."),
        (
            "Insectenhotel met de lasersnijder",
            "Ontwerp en snijd een insectenhotel voor het schoolplein.",
        ),
    ],
    "wonen-werken-verkeer": [
        ("Een brug van spaghetti", "Welke constructie draagt het meeste gewicht?"),
        ("Metselen: halfsteensverband", "Oefen met metselen in halfsteensverband, met kalkmortel."),
        (
            "Verkeerslicht programmeren",
            "Programmeer een kruispunt met verkeerslichten op een Arduino.",
        ),
        (
            "Maquette van een duurzame wijk",
            "Ontwerp een wijk die energie opwekt en water vasthoudt.",
        ),
        ("Fietsonderhoud", "Band plakken, remmen stellen en de ketting smeren."),
    ],
    "ontwerp-productie-wereldhandel": [
        ("Lassen voor beginners", "Veilig kennismaken met MIG-lassen onder begeleiding."),
        ("Sleutelhanger met de 3D-printer", "Van schets naar CAD-tekening naar print."),
        ("Van grondstof tot product: de haven", "Volg een container door de Rotterdamse haven."),
        (
            "Verpakking ontwerpen",
            "Ontwerp een verpakking die een ei een val van 2 meter laat overleven.",
        ),
    ],
    "digitaal-media-entertainment": [
        ("Een game maken in Scratch", "Programmeer je eigen platformspel."),
        ("Stop-motionfilm", "Maak een korte animatiefilm met een tablet."),
        (
            "Veilig online: digitale beveiliging",
            "Hoe kraak je een wachtwoord, en hoe voorkom je dat?",
        ),
        ("Netwerkkabel maken en testen", "Krimp een UTP-kabel en test hem met een kabeltester."),
    ],
    "hitech-science": [
        ("Raket op waterdruk", "Bouw een waterraket en onderzoek de ideale hoeveelheid water."),
        ("Robotarm met hydrauliek", "Bouw een grijparm met injectiespuiten en water."),
        ("Licht en lenzen", "Bouw een eenvoudige telescoop."),
        ("Sensoren in de ruimte", "Welke sensoren heeft een satelliet, en waarom?"),
    ],
}
VARIANTS = [
    ("lesson_plan", "Lesplan", [1, 2], ["vmbo", "pro", "vso"], None),
    ("assignment", "Praktijkopdracht", [3, 4], ["vmbo"], "Gemeente Rotterdam"),
    ("presentation", "Presentatie", [1, 2], ["vmbo"], None),
    ("lesson_plan", "Techniekles groep 7-8", [], ["po"], None),
    ("certificate_unit", "Certificaateenheid", [1, 2, 3], ["pro", "vso"], None),
    ("link", "Video", [1, 2, 3, 4], ["vmbo", "pro", "vso", "po"], None),
]


def load(ctx: DemoContext) -> None:
    region = Region.objects.filter(slug="techtown").first()
    if region is None:
        ctx.log("kennisbank: geen regio TechTown, overgeslagen")
        return
    tools = {name: Tool.objects.get_or_create(name=name)[0] for name in TOOLS}
    worlds = {t.code: t for t in Term.objects.worlds()}
    themes = list(Term.objects.themes())
    profiles = list(Term.objects.profiles().filter(is_technical=True))
    authors = list(
        Membership.objects.filter(
            organisation__region=region, role__in=[Role.TEACHER, Role.MBO_STAFF]
        )
        .select_related("organisation", "user")
        .order_by("pk")[:40]
    )
    if not authors:
        ctx.log("kennisbank: geen docenten in de demo, overgeslagen")
        return
    published = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC)
    created: list[Resource] = []
    n = 0
    for world_code, topics in TOPICS.items():
        for title, summary in topics:
            for kind, label, leerjaren, kinds, client in VARIANTS:
                n += 1
                full_title = f"{title} ({label.lower()})"
                author = authors[n % len(authors)]
                resource, is_new = Resource.objects.get_or_create(
                    region=region,
                    title=full_title,
                    defaults={
                        "kind": kind,
                        "summary": summary,
                        "body": (
                            f"## Doel\n{summary}\n\n## Voorbereiding\nZet de materialen klaar en "
                            f"deel de klas in groepjes van drie.\n\n## Uitvoering\n1. Introductie (10 min)\n"
                            f"2. Aan de slag (60 min)\n3. Presenteren en evalueren (20 min)\n"
                        ),
                        "url": "https://www.techniekpact.nl/" if kind == "link" else "",
                        "client": client or "",
                        "school_kinds_mask": to_mask(AUDIENCE_KINDS.index(k) for k in kinds),
                        "leerjaren_mask": to_mask(leerjaren),
                        "groepen_mask": to_mask([7, 8]) if "po" in kinds else 0,
                        "duration_lessons": 1 + n % 6,
                        "author": author.user,
                        "organisation": author.organisation,
                        "status": ResourceStatus.PUBLISHED if n % 17 else ResourceStatus.DRAFT,
                        "published_at": published + dt.timedelta(days=n) if n % 17 else None,
                        "slo_goals": "Kerndoel 45: leerlingen leren een technisch product ontwerpen en maken.",
                    },
                )
                if is_new:
                    resource.worlds.set([worlds[world_code]])
                    resource.themes.set([themes[n % len(themes)]])
                    resource.profiles.set([profiles[n % len(profiles)]])
                    resource.tools.set([list(tools.values())[n % len(tools)]])
                    ResourceVersion.objects.create(
                        resource=resource,
                        number=1,
                        title=resource.title,
                        summary=resource.summary,
                        body=resource.body,
                        note="Eerste versie",
                        changed_by=author.user,
                    )
                    created.append(resource)
    search.index_resources(created)
    _lesson_kits(ctx, region, authors[0], tools)
    _offer_materials(region)
    ctx.log(f"kennisbank: {Resource.objects.filter(region=region).count()} lesmaterialen")


def _offer_materials(region: Region) -> None:
    """Link preparation and follow-up material to the first published offers (once)."""
    offers = list(
        Offer.objects.filter(provider__region=region, status=OfferStatus.PUBLISHED)
        .prefetch_related("worlds")
        .order_by("pk")[:12]
    )
    published = Resource.objects.filter(region=region, status=ResourceStatus.PUBLISHED)
    links = []
    for offer in offers:
        if offer.material_links.exists():
            continue
        world_ids = [w.pk for w in offer.worlds.all()]
        candidates = list(
            (published.filter(worlds__in=world_ids) if world_ids else published)
            .distinct()
            .order_by("pk")[:3]
        )
        if not candidates:
            continue
        links.append(OfferMaterial(offer=offer, resource=candidates[0], role="preparation"))
        links.extend(
            OfferMaterial(offer=offer, resource=r, role="follow_up") for r in candidates[1:]
        )
    OfferMaterial.objects.bulk_create(links, ignore_conflicts=True)


def _lesson_kits(
    ctx: DemoContext, region: Region, author: Membership, tools: dict[str, Tool]
) -> None:
    maker = Organisation.objects.filter(region=region, name="Maakotheek").first()
    collection, _created = Collection.objects.get_or_create(
        region=region,
        title="Leskistprogramma onderbouw vmbo (32 blokken)",
        defaults={
            "description": "Het leskistprogramma van de Maakotheek: 32 blokken techniek voor leerjaar 1 en 2.",
            "organisation": maker,
            "is_lesson_kit_programme": True,
        },
    )
    kits: list[Resource] = []
    new: list[Resource] = []
    for block in range(1, 33):
        kit, is_new = Resource.objects.get_or_create(
            region=region,
            title=f"Leskist blok {block}: {['Hout', 'Metaal', 'Elektro', 'Programmeren'][block % 4]}",
            defaults={
                "kind": ResourceKind.LESSON_KIT,
                "summary": "Handleiding bij de leskist: wat zit erin, hoe bouw je de les op.",
                "body": "## Inhoud van de kist\n- materialen voor 30 leerlingen\n- werkbladen\n",
                "school_kinds_mask": to_mask([AUDIENCE_KINDS.index("vmbo")]),
                "leerjaren_mask": to_mask([1 if block <= 16 else 2]),
                "duration_lessons": 2,
                "author": author.user,
                "organisation": maker or author.organisation,
                "status": ResourceStatus.PUBLISHED,
                "published_at": dt.datetime(2025, 8, 25, tzinfo=dt.UTC),
            },
        )
        if is_new:
            kit.tools.set([tools["zaag- en boorgereedschap"]])
            new.append(kit)
        kits.append(kit)
    search.index_resources(new)
    if not collection.items.exists():
        CollectionItem.objects.bulk_create(
            [
                CollectionItem(collection=collection, resource=kit, position=i)
                for i, kit in enumerate(kits, 1)
            ]
        )
    # Usage: 3 schools use the kits in leerjaar 1 (target 3: achieved), 4 in leerjaar 2 (target 6).
    schools = list(
        Organisation.objects.filter(region=region, kind="vmbo", memberships__role=Role.TEACHER)
        .distinct()
        .order_by("name")[:7]
    )
    if Usage.objects.filter(resource__in=kits).exists() or len(schools) < 7:
        return
    for index, school in enumerate(schools):
        leerjaar = 1 if index < 3 else 2
        teacher = school.memberships.filter(role=Role.TEACHER).select_related("user").first()
        for week in range(4):
            Usage.objects.create(
                resource=kits[
                    (index * 4 + week) % 32 if leerjaar == 1 else 16 + (index + week) % 16
                ],
                user=teacher.user if teacher else None,
                school=school,
                leerjaar=leerjaar,
                used_on=dt.date(2025, 9, 15) + dt.timedelta(weeks=week + index),
            )
