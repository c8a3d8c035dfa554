"""Regions, organisations and their locations, reference data, people and their roles, pupils."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maakstad.core.models import TimeStampedModel
from maakstad.organisations.validators import (
    validate_brin,
    validate_kvk,
    validate_phone,
    validate_postcode,
    validate_vestigingscode,
)


class Region(models.Model):
    """An STO region. Regions share one install and are fully separated."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=100)
    programme_name = models.CharField(_("programma"), max_length=200, blank=True)
    center_latitude = models.DecimalField(max_digits=9, decimal_places=6, default=51.9225)
    center_longitude = models.DecimalField(max_digits=9, decimal_places=6, default=4.47917)
    cofinancing_rate = models.DecimalField(
        _("tarief cofinanciering (€/uur)"), max_digits=7, decimal_places=2, default=60
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subregion(models.TextChoices):
    NOORD = "noord", _("Noord")
    ZUID = "zuid", _("Zuid")
    CAPELLE_OOSTLAND = "capelle-oostland", _("Capelle & Oostland")


class Taxonomy(models.TextChoices):
    WORLD = "world", _("7 werelden van techniek")
    THEME = "theme", _("Thema")
    MENTALITY = "mentality", _("Bèta & Tech-type")
    PROFILE = "profile", _("Profiel")
    LEERWEG = "leerweg", _("Leerweg")


class TermQuerySet(models.QuerySet["Term"]):
    def worlds(self) -> TermQuerySet:
        return self.filter(taxonomy=Taxonomy.WORLD)

    def themes(self) -> TermQuerySet:
        return self.filter(taxonomy=Taxonomy.THEME)

    def mentalities(self) -> TermQuerySet:
        return self.filter(taxonomy=Taxonomy.MENTALITY)

    def profiles(self) -> TermQuerySet:
        return self.filter(taxonomy=Taxonomy.PROFILE)

    def leerwegen(self) -> TermQuerySet:
        return self.filter(taxonomy=Taxonomy.LEERWEG)


class Term(models.Model):
    """Reference data: 7 werelden, themes, Bèta & Tech types, profielen and leerwegen.

    Loaded from `data/taxonomies.csv` by a data migration; the programme office edits them.
    """

    taxonomy = models.CharField(_("lijst"), max_length=20, choices=Taxonomy.choices)
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=120)
    is_technical = models.BooleanField(
        _("technisch profiel"), default=False, help_text=_("Alleen voor profielen.")
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    objects: ClassVar[TermQuerySet] = TermQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("termen")
        ordering = ["taxonomy", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="term_unique_code")
        ]

    def __str__(self) -> str:
        return self.name if self.taxonomy != Taxonomy.PROFILE else f"{self.code}"


class Board(models.Model):
    """A school board (schoolbestuur)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(_("naam"), max_length=150)
    notes = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("bestuur")
        verbose_name_plural = _("besturen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="board_unique_name")]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    PO = "po", _("Basisschool (po)")
    VMBO = "vmbo", _("Vmbo")
    PRO = "pro", _("Praktijkonderwijs (pro)")
    VSO = "vso", _("Voortgezet speciaal onderwijs (vso)")
    MBO = "mbo", _("Mbo")
    COMPANY = "company", _("Bedrijf")
    PARTNER = "partner", _("Partner")


SCHOOL_KINDS = (
    OrganisationKind.PO,
    OrganisationKind.VMBO,
    OrganisationKind.PRO,
    OrganisationKind.VSO,
    OrganisationKind.MBO,
)
VO_KINDS = (OrganisationKind.VMBO, OrganisationKind.PRO, OrganisationKind.VSO)
PROVIDER_KINDS = (
    OrganisationKind.COMPANY,
    OrganisationKind.MBO,
    OrganisationKind.PARTNER,
    OrganisationKind.VMBO,
)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def schools(self) -> OrganisationQuerySet:
        return self.filter(kind__in=SCHOOL_KINDS)

    def companies(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.COMPANY)

    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(TimeStampedModel):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="organisations")
    kind = models.CharField(_("soort"), max_length=10, choices=OrganisationKind.choices)
    name = models.CharField(_("naam"), max_length=150)
    short_name = models.CharField(_("korte naam"), max_length=60, blank=True)
    board = models.ForeignKey(
        Board,
        verbose_name=_("bestuur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    subregion = models.CharField(
        _("deelregio"), max_length=20, choices=Subregion.choices, blank=True
    )
    description = models.TextField(_("omschrijving"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, validators=[validate_phone])
    sectors = models.CharField(_("sectoren"), max_length=250, blank=True)
    worlds = models.ManyToManyField(
        Term,
        verbose_name=_("7 werelden"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.WORLD},
    )
    brin = models.CharField(_("BRIN-nummer"), max_length=4, blank=True, validators=[validate_brin])
    kvk = models.CharField(_("KvK-nummer"), max_length=8, blank=True, validators=[validate_kvk])
    vso_cluster = models.PositiveSmallIntegerField(_("cluster (vso)"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    confirmed_at = models.DateTimeField(_("gegevens bevestigd op"), null=True, blank=True)

    objects: ClassVar[OrganisationQuerySet] = OrganisationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name"),
            models.UniqueConstraint(
                fields=["brin"], condition=~Q(brin=""), name="organisation_unique_brin"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    @property
    def has_technical_profile(self) -> bool:
        """A vmbo/vso school with a 'hard' technical profile (BWI, PIE, M&T, MaT, MVI)."""
        return any(o.profile.is_technical for o in self.offerings.all())


class Location(TimeStampedModel):
    """A vestiging: one address of an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("naam vestiging"), max_length=150)
    street = models.CharField(_("straat en huisnummer"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    city = models.CharField(_("plaats"), max_length=80)
    latitude = models.DecimalField(
        _("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    vestigingscode = models.CharField(
        _("vestigingscode"), max_length=6, blank=True, validators=[validate_vestigingscode]
    )
    is_main = models.BooleanField(_("hoofdvestiging"), default=False)

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["-is_main", "name"]

    def __str__(self) -> str:
        return f"{self.organisation.label} – {self.name}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class SchoolOffering(models.Model):
    """A profiel × leerweg that a vmbo (or vso) school offers."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offerings"
    )
    profile = models.ForeignKey(
        Term,
        verbose_name=_("profiel"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.PROFILE},
    )
    leerweg = models.ForeignKey(
        Term,
        verbose_name=_("leerweg"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"taxonomy": Taxonomy.LEERWEG},
    )

    class Meta:
        verbose_name = _("schoolaanbod")
        verbose_name_plural = _("schoolaanbod")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "profile", "leerweg"], name="offering_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile.code} {self.leerweg.code if self.leerweg else ''}".strip()


class Role(models.TextChoices):
    TEACHER = "teacher", _("Docent")
    MENTOR = "mentor", _("Mentor")
    DECAAN = "decaan", _("Decaan")
    LOB_COORDINATOR = "lob_coordinator", _("LOB-coördinator")
    STO_COORDINATOR = "sto_coordinator", _("STO-coördinator school")
    ORG_ADMIN = "org_admin", _("Beheerder organisatie")
    COMPANY_CONTACT = "company_contact", _("Contactpersoon bedrijf")
    MBO_STAFF = "mbo_staff", _("Medewerker mbo")
    PUPIL = "pupil", _("Leerling")
    PROGRAMME_MANAGER = "programme_manager", _("Programmamanager")
    PROJECT_LEAD = "project_lead", _("Projectleider")
    PROGRAMME_SUPPORT = "programme_support", _("Programmaondersteuner")
    CONTROLLER = "controller", _("Controller")
    STEERING_MEMBER = "steering_member", _("Lid stuurgroep")


PROGRAMME_ROLES = frozenset(
    {
        Role.PROGRAMME_MANAGER,
        Role.PROJECT_LEAD,
        Role.PROGRAMME_SUPPORT,
        Role.CONTROLLER,
        Role.STEERING_MEMBER,
    }
)
# Programme roles that may change data region-wide (the steering group only reads).
PROGRAMME_WRITE_ROLES = frozenset(PROGRAMME_ROLES - {Role.STEERING_MEMBER, Role.CONTROLLER})
SCHOOL_STAFF_ROLES = frozenset(
    {
        Role.TEACHER,
        Role.MENTOR,
        Role.DECAAN,
        Role.LOB_COORDINATOR,
        Role.STO_COORDINATOR,
        Role.ORG_ADMIN,
        Role.MBO_STAFF,
    }
)


class Membership(TimeStampedModel):
    """A user's role in an organisation. One user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    title = models.CharField(_("functie"), max_length=100, blank=True)
    is_contact = models.BooleanField(
        _("contactpersoon"),
        default=False,
        help_text=_("Staat in de contactgids van de regio."),
    )
    confirmed_at = models.DateTimeField(_("gegevens bevestigd op"), null=True, blank=True)
    # When the freshness loop last asked this contact to confirm (catalogue/freshness.py).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation.label})"


class SchoolYear(models.Model):
    """A school year, 1 August to 31 July."""

    name = models.CharField(_("schooljaar"), max_length=9, unique=True)  # "2025-2026"
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def bounds(cls, start_year: int) -> tuple[str, dt.date, dt.date]:
        return (
            f"{start_year}-{start_year + 1}",
            dt.date(start_year, 8, 1),
            dt.date(start_year + 1, 7, 31),
        )

    @classmethod
    def for_date(cls, day: dt.date) -> SchoolYear:
        start_year = day.year if day.month >= 8 else day.year - 1
        name, starts_on, ends_on = cls.bounds(start_year)
        year, _created = cls.objects.get_or_create(
            name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        return year


class Period(models.Model):
    """A school-defined period within a school year (or a region-wide one when no school)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="periods")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="periods")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="periods"
    )
    name = models.CharField(_("naam"), max_length=60)
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periodes")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"


class Pupil(TimeStampedModel):
    """A pupil, with the minimum the programme needs (DESIGN.md §5): no grades, health data or BSN."""

    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pupils")
    # The school's own pupil number: the key that makes a re-import update instead of duplicate.
    external_id = models.CharField(_("leerlingnummer"), max_length=40)
    first_name = models.CharField(_("voornaam"), max_length=80)
    last_name = models.CharField(
        _("achternaam"),
        max_length=120,
        blank=True,
        help_text=_("Alleen als de school die nodig heeft; anders volstaat de voorletter."),
    )
    last_name_initial = models.CharField(_("voorletter achternaam"), max_length=3, blank=True)
    class_name = models.CharField(_("klas"), max_length=20)
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), null=True, blank=True)
    groep = models.PositiveSmallIntegerField(_("groep"), null=True, blank=True)
    leerweg = models.ForeignKey(
        Term,
        verbose_name=_("leerweg"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.LEERWEG},
    )
    profile = models.ForeignKey(
        Term,
        verbose_name=_("profiel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.PROFILE},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupil",
    )
    school_year = models.ForeignKey(
        SchoolYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["class_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "external_id"], name="pupil_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(leerjaar__isnull=True) | Q(leerjaar__gte=1, leerjaar__lte=6),
                name="pupil_leerjaar_range",
            ),
            models.CheckConstraint(
                condition=Q(groep__isnull=True) | Q(groep__gte=1, groep__lte=8),
                name="pupil_groep_range",
            ),
        ]
        indexes = [models.Index(fields=["school", "class_name"])]

    def __str__(self) -> str:
        return self.short_name

    @property
    def initial(self) -> str:
        return self.last_name_initial or (self.last_name[:1] if self.last_name else "")

    @property
    def short_name(self) -> str:
        """First name and initial: what a company may see (DESIGN.md §5)."""
        return f"{self.first_name} {self.initial}.".strip() if self.initial else self.first_name


class Guardian(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
