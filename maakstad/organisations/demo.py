"""Demo step: the TechTown region with its boards, organisations, locations, staff and pupils.

Everything named in shared/domain (copied to `demo_data/`) is created as written; further schools
and companies with clearly invented names make the region match the plan: 10 vmbo schools with a
hard technical profile, 17 without, 13 pro/vso schools, the mbo colleges, primary schools and 50+
companies across the 7 werelden. Deterministic for a seed; a second run changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

from maakstad.accounts.models import User
from maakstad.core.demo import DEMO_PASSWORD, DemoContext
from maakstad.organisations.demo_data.places import KNOWN, STREETS, SUBREGION_BOXES
from maakstad.organisations.models import (
    Board,
    Guardian,
    Location,
    Membership,
    Organisation,
    OrganisationKind,
    Pupil,
    Region,
    Role,
    SchoolOffering,
    SchoolYear,
    Term,
)

DATA = Path(__file__).resolve().parent / "demo_data"
SUBREGIONS = {"Noord": "noord", "Zuid": "zuid", "Capelle & Oostland": "capelle-oostland", "": ""}
BOARD_OF = {
    "RVC de Hef": "BOOR",
    "Zuiderpark College": "BOOR",
    "Comenius Beroepen College": "CVO",
    "Vakcollege Hillegersberg": "CVO",
    "Beroepencollege De Swaef": "Driestar-Wartburg",
    "Eye College": "CVO",
    "Experience College": "SARO",
    "Avicenna College": "BOOR",
    "STC vmbo college": "STC",
    "Scheepvaart- en Transport College": "STC",
    "Schreuder College Slinge": "BOOR",
    "Calvijn Zuidermavo": "CVO",
    "Grafisch Lyceum Rotterdam": "GLR",
    "Techniek College Rotterdam": "GSR",
}
WORLD_OF_COMPANY = {
    "Stedin": "energie-water-veiligheid",
    "Valk Welding": "ontwerp-productie-wereldhandel",
    "Goflex/Vakwijs": "wonen-werken-verkeer",
    "SPG infra": "wonen-werken-verkeer",
    "Beroepentuin": "wonen-werken-verkeer",
    "Spindler installatietechniek": "energie-water-veiligheid",
    "Lomans": "energie-water-veiligheid",
    "Hollandia Infra": "ontwerp-productie-wereldhandel",
    "Installatiewerk Zuid-Holland": "energie-water-veiligheid",
    "Metalent": "ontwerp-productie-wereldhandel",
    "Vemefa Constructa": "ontwerp-productie-wereldhandel",
    "Bouwplein 010": "wonen-werken-verkeer",
}
INVENTED_COMPANIES = [
    ("Havenkraan Techniek (demo)", "hitech-science", "Havenlogistiek en kraanbouw"),
    ("Maasdelta Elektro (demo)", "energie-water-veiligheid", "Elektrotechnische installaties"),
    ("Zuidwaard Bouw (demo)", "wonen-werken-verkeer", "Woningbouw en renovatie"),
    ("Rijnmond Zorgtechniek (demo)", "mens-gezondheid", "Medische hulpmiddelen"),
    ("Kaap Digitaal (demo)", "digitaal-media-entertainment", "Softwareontwikkeling"),
    ("Groenkas Oostland (demo)", "voeding-natuur", "Glastuinbouwtechniek"),
    ("Stadsmobiel Rotterdam (demo)", "wonen-werken-verkeer", "Elektrische bussen en onderhoud"),
    ("Deltalab Sensoren (demo)", "hitech-science", "Meet- en regeltechniek"),
    ("Vakwerk Meubel (demo)", "ontwerp-productie-wereldhandel", "Meubelmakerij"),
    ("Waterstof Maasvlakte (demo)", "energie-water-veiligheid", "Waterstofproductie"),
    ("Printwerk Noord (demo)", "digitaal-media-entertainment", "Drukkerij en 3D-print"),
    ("Kademuur Infra (demo)", "wonen-werken-verkeer", "Grond-, weg- en waterbouw"),
    ("Zonnedak Capelle (demo)", "energie-water-veiligheid", "Zonnepanelen"),
    ("Robotica Waalhaven (demo)", "hitech-science", "Robotisering"),
    ("Voedselfabriek Spaanse Polder (demo)", "voeding-natuur", "Levensmiddelentechnologie"),
    ("Autoservice Zuidplein (demo)", "wonen-werken-verkeer", "Autotechniek"),
    ("Scheepswerf IJsselmonde (demo)", "ontwerp-productie-wereldhandel", "Scheepsbouw"),
    ("Klimaatwerk Prins Alexander (demo)", "energie-water-veiligheid", "Klimaattechniek"),
    ("GameStudio Katendrecht (demo)", "digitaal-media-entertainment", "Games en animatie"),
    ("Lasbedrijf Pernis (demo)", "ontwerp-productie-wereldhandel", "Constructiewerk"),
    ("Ziekenhuistechniek Zuid (demo)", "mens-gezondheid", "Medische technologie"),
    ("Datacenter Rivium (demo)", "digitaal-media-entertainment", "Netwerken en servers"),
    ("Tuinbouwtechniek Bleiswijk (demo)", "voeding-natuur", "Kasautomatisering"),
    ("Liftbouw Kralingen (demo)", "wonen-werken-verkeer", "Liften en roltrappen"),
    ("Chemielab Botlek (demo)", "hitech-science", "Procestechniek"),
    ("Fietsfabriek Feijenoord (demo)", "ontwerp-productie-wereldhandel", "Fietsproductie"),
    ("Energieslim Ommoord (demo)", "energie-water-veiligheid", "Energieadvies en warmtepompen"),
    ("Brugwachters Maas (demo)", "wonen-werken-verkeer", "Beweegbare bruggen"),
    ("Prothesewerk Rotterdam (demo)", "mens-gezondheid", "Orthopedische techniek"),
    ("Mediawerf Lloyd (demo)", "digitaal-media-entertainment", "Film en licht"),
    ("Aquatech Nesselande (demo)", "voeding-natuur", "Waterzuivering"),
    ("Windpark Maasvlakte (demo)", "energie-water-veiligheid", "Windenergie"),
    ("Timmerfabriek Charlois (demo)", "wonen-werken-verkeer", "Kozijnen en trappen"),
    ("Dronewerk Capelle (demo)", "hitech-science", "Drones en inspectie"),
    ("Staalbouw Hoogvliet (demo)", "ontwerp-productie-wereldhandel", "Staalconstructies"),
    ("Installateur Overschie (demo)", "energie-water-veiligheid", "Loodgieterswerk"),
    ("Smart Home Hillegersberg (demo)", "digitaal-media-entertainment", "Domotica"),
    ("Laboratorium Erasmus (demo)", "mens-gezondheid", "Laboratoriumtechniek"),
    ("Bakkerijtechniek Lombardijen (demo)", "voeding-natuur", "Bakkerijmachines"),
    ("Tramdepot Beverwaard (demo)", "wonen-werken-verkeer", "Railtechniek"),
    ("Composieten Hoek (demo)", "hitech-science", "Composietbouw"),
]
VMBO_PLAIN = [
    "De Maasoever",
    "Het Kralingse Lyceum",
    "De Linie",
    "Het Schiecollege",
    "De Zuidhoek",
    "Het Oostervant",
    "De Brug",
    "Het Park",
    "De Waalhaven",
    "Het Zevenkamp",
    "De Lage Land",
    "Het Charlois",
    "De Nesselande",
    "Het Ommoord",
    "De Capelse Brug",
    "Het Lansingh",
    "De Rotte",
]
PRO_VSO = [
    ("pro", "Praktijkschool De Havens"),
    ("pro", "Praktijkschool Het Anker"),
    ("pro", "Praktijkschool De Sluis"),
    ("pro", "Praktijkschool Capelle"),
    ("pro", "Praktijkschool Zuidwijk"),
    ("pro", "Praktijkschool Oostland"),
    ("vso", "Vso De Kade"),
    ("vso", "Vso Het Baken"),
    ("vso", "Vso De Kompas"),
    ("vso", "Vso Het Dok"),
    ("vso", "Vso De Steiger"),
    ("vso", "Vso Maaszicht"),
]
PO_NAMES = [
    "De Regenboog",
    "De Klimop",
    "Het Kompas",
    "De Vlinder",
    "De Zonnewijzer",
    "Het Palet",
    "De Kameleon",
    "De Wilgen",
    "De Sterrenkijker",
    "Het Mozaïek",
    "De Bolster",
    "De Waterlelie",
    "Het Vogelnest",
    "De Ontdekking",
    "De Vuurtoren",
    "De Notenkraker",
    "Het Anker",
    "De Boomgaard",
    "De Tweemaster",
    "De Horizon",
    "De Margriet",
    "Het Zeeschip",
    "De Meander",
    "De Toverfluit",
    "De Kleine Prins",
]
People = list[tuple[str, str, str]]  # (e-mail local part, role, title)
MBO_STAFF_TITLES = ["Coördinator extern leren", "Docent techniek", "Teamleider"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower()) or "org"


class Builder:
    def __init__(self, ctx: DemoContext, region: Region) -> None:
        self.ctx = ctx
        self.region = region
        self.rng = random.Random(f"{ctx.seed}-organisations")
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(ctx.seed)
        self.password = make_password(DEMO_PASSWORD)
        self.brins: set[str] = set(
            Organisation.objects.exclude(brin="").values_list("brin", flat=True)
        )
        self.terms = {(t.taxonomy, t.code): t for t in Term.objects.all()}

    # --- organisations and places ---

    def organisation(self, name: str, kind: str, **fields: Any) -> Organisation:
        defaults = {"kind": kind, **fields}
        if (
            kind in ("po", "vmbo", "pro", "vso", "mbo")
            and not Organisation.objects.filter(region=self.region, name=name)
            .exclude(brin="")
            .exists()
        ):
            defaults["brin"] = self.new_brin()
        if kind == OrganisationKind.COMPANY and "kvk" not in defaults:
            defaults["kvk"] = f"{self.rng.randint(10000000, 99999999)}"
        org, _created = Organisation.objects.update_or_create(
            region=self.region, name=name, defaults=defaults
        )
        self.locations(org)
        return org

    def new_brin(self) -> str:
        letters = "ABCDEFGHJKLMNPRSTUVWXZ"
        while True:
            brin = f"{self.rng.randint(10, 31)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
            if brin not in self.brins:
                self.brins.add(brin)
                return brin

    def locations(self, org: Organisation) -> None:
        places = KNOWN.get(org.name) or [self.invented_place(org)]
        for index, (loc_name, street, postcode, city, lat, lng) in enumerate(places):
            Location.objects.update_or_create(
                organisation=org,
                name=loc_name,
                defaults={
                    "street": street,
                    "postcode": postcode,
                    "city": city,
                    "latitude": Decimal(f"{lat:.6f}"),
                    "longitude": Decimal(f"{lng:.6f}"),
                    "is_main": index == 0,
                    "vestigingscode": f"{org.brin}{index:02d}" if org.brin else "",
                },
            )

    def invented_place(self, org: Organisation) -> tuple[str, str, str, str, float, float]:
        rng = random.Random(f"{self.ctx.seed}-place-{org.name}")
        box = SUBREGION_BOXES[org.subregion or rng.choice(list(SUBREGION_BOXES))]
        lat_min, lat_max, lng_min, lng_max, city, (pc_min, pc_max) = box
        letters = "ABCEGHJKLMNPRTVWXZ"
        postcode = f"{rng.randint(pc_min, pc_max)} {rng.choice(letters)}{rng.choice(letters)}"
        street = f"{rng.choice(STREETS)} {rng.randint(1, 250)}"
        return (
            "Hoofdlocatie",
            street,
            postcode,
            city,
            rng.uniform(lat_min, lat_max),
            rng.uniform(lng_min, lng_max),
        )

    def offerings(self, org: Organisation, profiles: list[str], leerwegen: list[str]) -> None:
        for code in profiles:
            for leerweg in leerwegen:
                SchoolOffering.objects.get_or_create(
                    organisation=org,
                    profile=self.terms[("profile", code)],
                    leerweg=self.terms[("leerweg", leerweg)],
                )

    # --- people ---

    def staff(self, org: Organisation, people: list[tuple[str, str, str]]) -> None:
        """people: (local part of the e-mail, role, title); one user per e-mail, roles added."""
        domain = f"{slug(org.short_name or org.name)}.demo"
        emails = [f"{local}@{domain}" for local, _role, _title in people]
        existing = {u.email: u for u in User.objects.filter(email__in=emails)}
        new = [
            User(email=email, full_name=self.fake.name(), password=self.password)
            for email in dict.fromkeys(emails)
            if email not in existing
        ]
        for user in User.objects.bulk_create(new):
            existing[user.email] = user
        have = set(Membership.objects.filter(organisation=org).values_list("user__email", "role"))
        contact_roles = (
            Role.COMPANY_CONTACT,
            Role.DECAAN,
            Role.MBO_STAFF,
            Role.STO_COORDINATOR,
            Role.PROGRAMME_MANAGER,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=existing[f"{local}@{domain}"],
                    organisation=org,
                    role=role,
                    title=title,
                    is_contact=role in contact_roles,
                    confirmed_at=self.contact_confirmed_at() if role in contact_roles else None,
                )
                for local, role, title in people
                if (f"{local}@{domain}", role) not in have
            ]
        )

    def contact_confirmed_at(self) -> dt.datetime | None:
        """Most contacts confirmed their details in the last months; one in eight did not."""
        if self.rng.random() < 0.125:
            return None
        return timezone.now() - dt.timedelta(days=self.rng.randint(3, 150))


SCHOOL_STAFF: People = [
    ("docent", Role.TEACHER, "Docent techniek"),
    ("mentor", Role.MENTOR, "Mentor"),
    ("decaan", Role.DECAAN, "Decaan"),
    ("sto", Role.STO_COORDINATOR, "STO-coördinator"),
    ("sto", Role.ORG_ADMIN, "STO-coördinator"),
]
PO_STAFF: People = [
    ("leerkracht", Role.TEACHER, "Leerkracht groep 7/8"),
    ("directie", Role.ORG_ADMIN, "Directeur"),
]
COMPANY_STAFF: People = [
    ("contact", Role.COMPANY_CONTACT, "Contactpersoon onderwijs"),
    ("contact", Role.ORG_ADMIN, "Contactpersoon onderwijs"),
    ("hr", Role.COMPANY_CONTACT, "HR-adviseur"),
]
OFFICE_STAFF: People = [
    ("programma", Role.PROGRAMME_MANAGER, "Programmamanager"),
    ("projectleider1", Role.PROJECT_LEAD, "Projectleider actielijn 1"),
    ("projectleider2", Role.PROJECT_LEAD, "Projectleider actielijn 2"),
    ("projectleider3", Role.PROJECT_LEAD, "Projectleider actielijn 3"),
    ("projectleider4", Role.PROJECT_LEAD, "Projectleider actielijn 4"),
    ("ondersteuning", Role.PROGRAMME_SUPPORT, "Programmaondersteuner"),
    ("controller", Role.CONTROLLER, "Controller"),
    ("stuurgroep", Role.STEERING_MEMBER, "Lid stuurgroep"),
]


def load(ctx: DemoContext) -> None:
    region, _created = Region.objects.update_or_create(
        slug="techtown",
        defaults={
            "name": "TechTown",
            "programme_name": "Sterk Techniekonderwijs TechTown (STO 24056)",
        },
    )
    builder = Builder(ctx, region)
    boards = {}
    with (DATA / "boards.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            boards[row["name"]], _ = Board.objects.update_or_create(
                region=region, name=row["name"], defaults={"notes": row["notes"]}
            )
    schools: list[Organisation] = []
    with (DATA / "organisations.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind = row["kind"]
            org = builder.organisation(
                row["name"],
                kind,
                short_name=row["short_name"],
                subregion=SUBREGIONS.get(row["subregion"], ""),
                description=row["notes"],
                board=boards.get(BOARD_OF.get(row["name"], "")),
                vso_cluster=4 if kind == "vso" else None,
                sectors=WORLD_OF_COMPANY.get(row["name"], "").replace("-", " "),
            )
            profiles = [p for p in row["profiles"].split(";") if p]
            if profiles:
                leerwegen = ["GL", "TL"] if row["name"] == "Calvijn Zuidermavo" else ["BB", "KB"]
                builder.offerings(org, profiles, leerwegen if kind == "vmbo" else ["BB"])
            if org.name in WORLD_OF_COMPANY:
                org.worlds.set([builder.terms[("world", WORLD_OF_COMPANY[org.name])]])
            if kind in ("vmbo", "pro", "vso", "po"):
                schools.append(org)
            builder.staff(org, staff_for(org))
    office = builder.organisation(
        "TechTown programmabureau",
        "partner",
        short_name="TechTown",
        subregion="zuid",
        description="Programmabureau Sterk Techniekonderwijs TechTown (penvoerder Stichting BOOR).",
    )
    builder.staff(office, [(local, role, title) for local, role, title in OFFICE_STAFF])
    # Invented schools and companies (clearly marked "(demo)").
    plain_profiles = ["D&P", "E&O", "Z&W", "HBR", "GR"]
    for index, name in enumerate(VMBO_PLAIN):
        org = builder.organisation(
            f"Vmbo {name} (demo)",
            "vmbo",
            short_name=name,
            subregion=list(SUBREGION_BOXES)[index % 3],
            board=boards[["BOOR", "CVO", "SARO", "BLICK op Onderwijs"][index % 4]],
        )
        builder.offerings(
            org, [plain_profiles[index % 5], plain_profiles[(index + 2) % 5]], ["BB", "KB", "GL"]
        )
        builder.staff(org, SCHOOL_STAFF)
        schools.append(org)
    for index, (kind, name) in enumerate(PRO_VSO):
        org = builder.organisation(
            f"{name} (demo)",
            kind,
            short_name=name.split(" ", 1)[1],
            subregion=list(SUBREGION_BOXES)[index % 3],
            board=boards[["BOOR", "SIVOR", "CVO"][index % 3]],
            vso_cluster=4 if kind == "vso" else None,
        )
        builder.staff(org, SCHOOL_STAFF)
        schools.append(org)
    for index, name in enumerate(PO_NAMES):
        org = builder.organisation(
            f"Basisschool {name} (demo)",
            "po",
            short_name=f"po-{slug(name)}",
            subregion=list(SUBREGION_BOXES)[index % 3],
            board=boards[["BOOR", "SIVOR", "SARO"][index % 3]],
        )
        builder.staff(org, PO_STAFF)
        schools.append(org)
    for name, world, sector in INVENTED_COMPANIES:
        org = builder.organisation(
            name,
            "company",
            short_name=name.replace(" (demo)", ""),
            sectors=sector,
            subregion=list(SUBREGION_BOXES)[len(name) % 3],
        )
        org.worlds.set([builder.terms[("world", world)]])
        builder.staff(org, COMPANY_STAFF)
    demo_logins(builder, region)
    pupils(builder, [s for s in schools if s.kind in ("vmbo", "pro", "vso", "po")])
    ctx.log(
        f"organisaties: {Organisation.objects.filter(region=region).count()}, "
        f"leerlingen: {Pupil.objects.filter(school__region=region).count()}"
    )


def staff_for(org: Organisation) -> People:
    if org.kind in ("vmbo", "pro", "vso"):
        return SCHOOL_STAFF
    if org.kind == "po":
        return PO_STAFF
    if org.kind == "mbo":
        return [
            ("mbo", Role.MBO_STAFF, MBO_STAFF_TITLES[0]),
            ("mbo", Role.ORG_ADMIN, MBO_STAFF_TITLES[0]),
            ("docent", Role.MBO_STAFF, MBO_STAFF_TITLES[1]),
        ]
    if org.kind == "company":
        return COMPANY_STAFF
    return [
        ("info", Role.COMPANY_CONTACT, "Contactpersoon"),
        ("info", Role.ORG_ADMIN, "Contactpersoon"),
    ]


def demo_logins(builder: Builder, region: Region) -> None:
    """The published log-ins (README): make sure each has exactly its role and a recognisable name."""
    dehef = Organisation.objects.get(region=region, name="RVC de Hef")
    names = {
        "programma@techtown.demo": "Petra van Dijk",
        "docent@dehef.demo": "Youssef El Amrani",
        "mentor@dehef.demo": "Sanne de Vries",
        "contact@lomans.demo": "Kees Verbeek",
        "mbo@tcr.demo": "Ayşe Demir",
    }
    for email, full_name in names.items():
        User.objects.filter(email=email).update(full_name=full_name)
    primary = Organisation.objects.filter(region=region, kind="po").order_by("name").first()
    if primary is not None:
        teacher, _created = User.objects.get_or_create(
            email="leerkracht@po.demo",
            defaults={"full_name": "Marieke Jansen", "password": builder.password},
        )
        Membership.objects.get_or_create(
            user=teacher,
            organisation=primary,
            role=Role.TEACHER,
            defaults={"title": "Leerkracht groep 7/8"},
        )
    pupil_user, _created = User.objects.get_or_create(
        email="leerling@dehef.demo",
        defaults={"full_name": "Noah Bakker", "password": builder.password},
    )
    Membership.objects.get_or_create(user=pupil_user, organisation=dehef, role=Role.PUPIL)
    pupil, _created = Pupil.objects.update_or_create(
        school=dehef,
        external_id="DEMO-0001",
        defaults={
            "first_name": "Noah",
            "last_name": "Bakker",
            "last_name_initial": "B",
            "class_name": "3K1",
            "leerjaar": 3,
            "leerweg": builder.terms[("leerweg", "KB")],
            "profile": builder.terms[("profile", "PIE")],
            "user": pupil_user,
        },
    )
    if not pupil.guardians.exists():
        Guardian.objects.create(
            pupil=pupil, name="Linda Bakker", email="ouder@dehef.demo", phone="06 12345678"
        )


def pupils(builder: Builder, schools: list[Organisation]) -> None:
    """About ctx.pupil_count pupils with 1-2 guardians, spread over the schools."""
    if not schools:
        return
    year = SchoolYear.for_date(dt.date.today())
    per_school = max(1, builder.ctx.pupil_count // len(schools))
    offerings: dict[int, list[SchoolOffering]] = {}
    for item in SchoolOffering.objects.filter(organisation__in=schools).select_related(
        "profile", "leerweg"
    ):
        offerings.setdefault(item.organisation_id, []).append(item)
    done = set(
        Pupil.objects.filter(school__in=schools, external_id__startswith="D").values_list(
            "school_id", flat=True
        )
    )
    new_pupils: list[Pupil] = []
    for school in schools:
        if school.pk in done:
            continue
        rng = random.Random(f"{builder.ctx.seed}-pupils-{school.name}")
        fake = Faker("nl_NL")
        fake.seed_instance(f"{builder.ctx.seed}-{school.name}")
        options = offerings.get(school.pk, [])
        for number in range(per_school):
            first, last = fake.first_name(), fake.last_name()
            pupil = Pupil(
                school=school,
                external_id=f"D{number + 1:05d}",
                first_name=first,
                last_name="",
                last_name_initial=last[:1].upper(),
                school_year=year,
            )
            if school.kind == "po":
                pupil.groep = 5 + number % 4
                pupil.class_name = f"Groep {pupil.groep}"
            else:
                pupil.leerjaar = 1 + number % 4
                if school.kind == "vmbo":
                    offering: SchoolOffering | None = (
                        options[number % len(options)] if options else None
                    )
                    pupil.leerweg = (
                        offering.leerweg if offering else builder.terms[("leerweg", "KB")]
                    )
                    if pupil.leerjaar >= 3 and offering:
                        pupil.profile = offering.profile
                    letter = pupil.leerweg.code[0] if pupil.leerweg else "K"
                    pupil.class_name = f"{pupil.leerjaar}{letter}{1 + number % 2}"
                else:
                    pupil.class_name = f"{school.kind.upper()}-{pupil.leerjaar}{'AB'[number % 2]}"
            new_pupils.append(pupil)
    created = Pupil.objects.bulk_create(new_pupils, batch_size=1000)
    guardians: list[Guardian] = []
    rng = random.Random(f"{builder.ctx.seed}-guardians")
    for pupil in created:
        for index in range(1 if rng.random() < 0.45 else 2):
            name = builder.fake.name()
            guardians.append(
                Guardian(
                    pupil=pupil,
                    name=name,
                    email=f"ouder{pupil.pk}-{index + 1}@ouders.demo",
                    phone=f"06 {rng.randint(10000000, 99999999)}",
                )
            )
    Guardian.objects.bulk_create(guardians, batch_size=2000)
