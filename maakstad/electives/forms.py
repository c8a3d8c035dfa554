from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maakstad.electives.models import (
    ELIGIBLE_KINDS,
    AnnouncedRule,
    Course,
    ElectivePeriod,
    HalfDay,
    Keuzevak,
    Placement,
    PriorityRule,
    Section,
    Weekday,
)
from maakstad.organisations.models import (
    Location,
    Organisation,
    OrganisationKind,
    SchoolYear,
    Term,
)


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=100)
    periods = forms.ModelMultipleChoiceField(
        label=_("Periodes"),
        queryset=ElectivePeriod.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(label=_("Open vanaf"), widget=DateInput)
    closes_on = forms.DateField(label=_("Sluit op"), widget=DateInput)
    choices_count = forms.IntegerField(
        label=_("Aantal keuzes"), min_value=1, max_value=10, initial=4
    )
    fair_share = forms.BooleanField(
        label=_("Eerlijk deel van de plaatsen per school"), required=False
    )
    max_distance_km = forms.IntegerField(
        label=_("Maximale reisafstand (km)"), min_value=1, required=False
    )
    announced_rule = forms.ChoiceField(
        label=_("Indelingsregel die de leerlingen te zien krijgen"),
        choices=AnnouncedRule.choices,
        initial=AnnouncedRule.LOTTERY,
        widget=forms.RadioSelect,
        help_text=_(
            "Na de ronde zie je de uitkomst van beide; wijk je af van deze regel, dan vragen we "
            "je dat te bevestigen."
        ),
    )
    priority_rules = forms.MultipleChoiceField(
        label=_("Voorrang bij de loting voor"),
        choices=PriorityRule.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periods"].queryset = ElectivePeriod.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id
        ).select_related("school_year")


class RunsStartForm(forms.Form):
    rank_cost = forms.ChoiceField(
        label=_("Kosten per keuze voor het optimum"),
        choices=[
            ("linear", _("lineair (1, 2, 3, 4): zo veel mogelijk hoge keuzes")),
            ("convex", _("kwadratisch (1, 4, 9, 16): zo weinig mogelijk lage keuzes")),
        ],
        initial="linear",
    )


class SecondRoundForm(forms.Form):
    opens_on = forms.DateField(label=_("Open vanaf"), widget=DateInput)
    closes_on = forms.DateField(label=_("Sluit op"), widget=DateInput)


class SectionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        course = obj.course
        return f"{course.title} – {course.provider.label} ({course.when}, {obj.period.name})"


class ChoicesForm(forms.Form):
    """k ranked selects over the sections the pupil may choose."""

    def __init__(
        self,
        *args: Any,
        sections: list[Section],
        count: int,
        initial_sections: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ids = [s.pk for s in sections]
        queryset = (
            Section.objects.filter(pk__in=ids)
            .select_related("course__provider", "period")
            .order_by("period__starts_on", "course__title")
        )
        for i in range(1, count + 1):
            field = SectionChoiceField(
                label=_("Keuze %(n)d") % {"n": i},
                queryset=queryset,
                required=i == 1,
                empty_label=_("— geen —"),
            )
            if len(initial_sections) >= i:
                field.initial = initial_sections[i - 1]
            self.fields[f"choice_{i}"] = field

    def chosen(self) -> list[Section]:
        return [
            self.cleaned_data[name]
            for name in self.fields
            if self.cleaned_data.get(name) is not None
        ]


class PlacementChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pupil.short_name} ({obj.pupil.school.label}) – {obj.section.course.title}"


class MoveForm(forms.Form):
    placement = PlacementChoiceField(label=_("Leerling"), queryset=Placement.objects.none())
    section = SectionChoiceField(label=_("Naar groep"), queryset=Section.objects.none())
    below_minimum = forms.BooleanField(
        label=_("Toch verplaatsen"),
        required=False,
        help_text=_(
            "Ook als de groep die de leerling verlaat dan onder de minimale groepsgrootte komt."
        ),
    )

    def __init__(self, *args: Any, placements: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = placements  # type: ignore[attr-defined]
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]


class SwapForm(forms.Form):
    first = PlacementChoiceField(label=_("Leerling 1"), queryset=Placement.objects.none())
    second = PlacementChoiceField(label=_("Leerling 2"), queryset=Placement.objects.none())

    def __init__(self, *args: Any, placements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = placements  # type: ignore[attr-defined]
        self.fields["second"].queryset = placements  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    school_year = forms.ModelChoiceField(label=_("Schooljaar"), queryset=SchoolYear.objects.all())
    name = forms.CharField(label=_("Naam"), max_length=60)
    starts_on = forms.DateField(label=_("Eerste week"), widget=DateInput)
    ends_on = forms.DateField(label=_("Laatste week"), widget=DateInput)


LEERJAAR_CHOICES = [(i, str(i)) for i in range(1, 5)]


class CourseForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Aanbieder"), queryset=Organisation.objects.none())
    location = forms.ModelChoiceField(
        label=_("Locatie"), queryset=Location.objects.none(), required=False
    )
    title = forms.CharField(label=_("Titel"), max_length=150)
    keuzevak = forms.ModelChoiceField(
        label=_("Keuzevak"), queryset=Keuzevak.objects.none(), required=False
    )
    description = forms.CharField(label=_("Omschrijving"), widget=forms.Textarea, required=False)
    weekday = forms.TypedChoiceField(label=_("Weekdag"), choices=Weekday.choices, coerce=int)
    half_day = forms.ChoiceField(label=_("Dagdeel"), choices=HalfDay.choices)
    leerwegen = forms.ModelMultipleChoiceField(
        label=_("Leerwegen"),
        queryset=Term.objects.leerwegen(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: alle leerwegen."),
    )
    profiles = forms.ModelMultipleChoiceField(
        label=_("Profielen"),
        queryset=Term.objects.profiles(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: alle profielen."),
    )
    is_orienting = forms.BooleanField(
        label=_("Oriënterend: ook voor leerlingen zonder technisch profiel"), required=False
    )
    leerjaren = forms.TypedMultipleChoiceField(
        label=_("Leerjaren"),
        choices=LEERJAAR_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    school_kinds = forms.MultipleChoiceField(
        label=_("Schoolsoorten"),
        choices=[(k, OrganisationKind(k).label) for k in ELIGIBLE_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    worlds = forms.ModelMultipleChoiceField(
        label=_("7 werelden"),
        queryset=Term.objects.worlds(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Term.objects.themes(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id,
            is_active=True,
            kind__in=[OrganisationKind.MBO, OrganisationKind.COMPANY, OrganisationKind.VMBO],
        )
        self.fields["location"].queryset = Location.objects.filter(  # type: ignore[attr-defined]
            organisation__region_id=region_id
        ).select_related("organisation")
        self.fields["keuzevak"].queryset = Keuzevak.objects.filter(  # type: ignore[attr-defined]
            Q(region__isnull=True) | Q(region_id=region_id)
        ).select_related("profile")


class SectionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Cursus"), queryset=Course.objects.none())
    period = forms.ModelChoiceField(label=_("Periode"), queryset=ElectivePeriod.objects.none())
    capacity = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, max_value=500)
    min_size = forms.IntegerField(
        label=_("Minimale groepsgrootte"), min_value=0, max_value=500, initial=0
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id, is_active=True
        ).select_related("provider")
        self.fields["period"].queryset = ElectivePeriod.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id
        ).select_related("school_year")
