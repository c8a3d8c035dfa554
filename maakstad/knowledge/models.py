"""The kennisbank: lesson materials and practical assignments, with files, versions and usage."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maakstad.catalogue.models import Offer
from maakstad.core.bitmask import from_mask, mask_to_choices
from maakstad.core.models import TimeStampedModel
from maakstad.organisations.models import Organisation, Region, Taxonomy, Term

AUDIENCE_KINDS: tuple[str, ...] = ("po", "vmbo", "pro", "vso", "mbo")


class ResourceKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesplan")
    ASSIGNMENT = "assignment", _("Praktijkopdracht")
    LESSON_KIT = "lesson_kit", _("Handleiding leskist")
    PRESENTATION = "presentation", _("Presentatie")
    LINK = "link", _("Video of weblink")
    CERTIFICATE_UNIT = "certificate_unit", _("Certificaateenheid pro/vso")


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa", _("CC BY-SA 4.0")
    CC_BY = "cc-by", _("CC BY 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa", _("CC BY-NC-SA 4.0")
    ALL_RIGHTS = "all-rights", _("Alle rechten voorbehouden")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    ARCHIVED = "archived", _("Gearchiveerd")


class Tool(models.Model):
    """Tools and materials a resource needs (3D-printer, lasersnijder, micro:bit, ...)."""

    name = models.CharField(_("naam"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("gereedschap of materiaal")
        verbose_name_plural = _("gereedschap en materialen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> ResourceQuerySet:
        return self.filter(status=ResourceStatus.PUBLISHED)


class Resource(TimeStampedModel):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("soort"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.CharField(_("samenvatting"), max_length=400)
    body = models.TextField(_("inhoud"), blank=True, help_text=_("Markdown."))
    url = models.URLField(_("link (video of website)"), blank=True)
    client = models.CharField(
        _("opdrachtgever"), max_length=150, blank=True, help_text=_("Voor pgp-opdrachten.")
    )
    school_kinds_mask = models.PositiveIntegerField(_("schoolsoorten"), default=0)
    leerjaren_mask = models.PositiveIntegerField(_("leerjaren"), default=0)
    groepen_mask = models.PositiveIntegerField(_("groepen (po)"), default=0)
    leerwegen = models.ManyToManyField(
        Term,
        verbose_name=_("leerwegen"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.LEERWEG},
    )
    profiles = models.ManyToManyField(
        Term,
        verbose_name=_("profielen"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.PROFILE},
    )
    worlds = models.ManyToManyField(
        Term,
        verbose_name=_("7 werelden"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.WORLD},
    )
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("thema's"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.THEME},
    )
    mentalities = models.ManyToManyField(
        Term,
        verbose_name=_("Bèta & Tech-types"),
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy": Taxonomy.MENTALITY},
    )
    tools = models.ManyToManyField(Tool, verbose_name=_("benodigdheden"), blank=True)
    duration_lessons = models.PositiveSmallIntegerField(_("duur (lessen)"), null=True, blank=True)
    slo_goals = models.TextField(_("SLO-doelen"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    licence = models.CharField(
        _("licentie"), max_length=15, choices=Licence.choices, default=Licence.CC_BY_SA
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True, db_index=True)
    offers = models.ManyToManyField(
        Offer, through="OfferMaterial", blank=True, related_name="materials"
    )

    objects: ClassVar[ResourceQuerySet] = ResourceQuerySet.as_manager()  # type: ignore[assignment]
    # Filled in by the selectors for list pages (not database columns).
    rating: float | None = None
    review_count: int = 0
    usage_count: int = 0

    class Meta:
        verbose_name = _("lesmateriaal")
        verbose_name_plural = _("lesmaterialen")
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["region", "status", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def school_kinds(self) -> list[str]:
        return mask_to_choices(self.school_kinds_mask, AUDIENCE_KINDS)

    @property
    def leerjaren(self) -> list[int]:
        return from_mask(self.leerjaren_mask)

    @property
    def groepen(self) -> list[int]:
        return from_mask(self.groepen_mask)


class ResourceVersion(models.Model):
    """A snapshot of a resource's text at each version, for the version history."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    note = models.CharField(_("wat is er veranderd"), max_length=250, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resourceversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


def resource_upload_to(instance: ResourceFile, filename: str) -> str:
    # Random names: nothing about the uploader or pupils ends up in a path or URL.
    return f"kennisbank/{instance.resource_id}/{instance.storage_name}"


class ResourceFile(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=resource_upload_to, max_length=255)
    storage_name = models.CharField(max_length=80)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_name"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_previewable(self) -> bool:
        return self.content_type in {"application/pdf", "image/png", "image/jpeg"}

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MaterialRole(models.TextChoices):
    PREPARATION = "preparation", _("Voorbereiding")
    FOLLOW_UP = "follow_up", _("Verwerking achteraf")


class OfferMaterial(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="material_links")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="offer_links")
    role = models.CharField(_("rol"), max_length=12, choices=MaterialRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "resource", "role"], name="offermaterial_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} → {self.resource_id} ({self.role})"


class Collection(TimeStampedModel):
    """An ordered set of resources, e.g. a lesson-kit programme of 32 blocks."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="collections"
    )
    is_lesson_kit_programme = models.BooleanField(_("leskistprogramma"), default=False)

    class Meta:
        verbose_name = _("collectie")
        verbose_name_plural = _("collecties")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "position"], name="collectionitem_unique_pos"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id} #{self.position}"


class Usage(models.Model):
    """'Ik heb dit gebruikt': what the monitoring counts per school and leerjaar."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="usages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="resource_usages"
    )
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), null=True, blank=True)
    groep = models.PositiveSmallIntegerField(_("groep"), null=True, blank=True)
    used_on = models.DateField(_("gebruikt op"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gebruik")
        verbose_name_plural = _("gebruik")
        ordering = ["-used_on"]
        indexes = [models.Index(fields=["school", "leerjaar"])]

    def __str__(self) -> str:
        return f"{self.resource_id} @ {self.school_id} ({self.used_on})"


class Review(TimeStampedModel):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("waardering (1-5)"))
    text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="review_one_per_user"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_range"
            ),
        ]


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Verwerkt")
    DECLINED = "declined", _("Afgewezen")


class EditSuggestion(TimeStampedModel):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="suggestions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("voorstel"))
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )

    class Meta:
        ordering = ["-created_at"]
