"""Forms of the internship pages. They only parse input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maakstad.catalogue.models import AUDIENCE_KINDS
from maakstad.internships.models import MAX_DAYS, MIN_DAYS, AdWeek
from maakstad.organisations.models import Location, OrganisationKind, Pupil, Term

WEEKDAYS = [
    (0, _("maandag")),
    (1, _("dinsdag")),
    (2, _("woensdag")),
    (3, _("donderdag")),
    (4, _("vrijdag")),
]
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the matching fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def parse_weeks(text: str) -> list[tuple[dt.date, int]]:
    """Lines like '02-03-2026 2' (Monday of the week, places). Errors name the line."""
    weeks: list[tuple[dt.date, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = line.split()
        try:
            if len(parts) != 2:
                raise ValueError
            day = dt.datetime.strptime(parts[0], "%d-%m-%Y").date()
            places = int(parts[1])
        except ValueError as error:
            raise ValidationError(
                _("Regel %(n)s: schrijf 'dd-mm-jjjj aantal', bijvoorbeeld '02-03-2026 2'."),
                params={"n": number},
            ) from error
        if day.weekday() != 0:
            raise ValidationError(
                _("Regel %(n)s: %(d)s is geen maandag."), params={"n": number, "d": parts[0]}
            )
        if places < 1 or places > 50:
            raise ValidationError(
                _("Regel %(n)s: het aantal plaatsen moet tussen 1 en 50 liggen."),
                params={"n": number},
            )
        weeks.append((day, places))
    if not weeks:
        raise ValidationError(_("Geef minstens één week op."))
    return weeks


class AdForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=150)
    summary = forms.CharField(label=_("Korte omschrijving"), max_length=300)
    pupil_activities = forms.CharField(
        label=_("Wat leerlingen doen en leren"), widget=forms.Textarea(attrs={"rows": 3})
    )
    skills = forms.CharField(label=_("Vaardigheden"), widget=forms.Textarea(attrs={"rows": 3}))
    knowledge = forms.CharField(
        label=_("Kennis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tasks = forms.CharField(label=_("Taken"), widget=forms.Textarea(attrs={"rows": 3}))
    days = forms.IntegerField(label=_("Aantal dagen"), min_value=MIN_DAYS, max_value=MAX_DAYS)
    day_starts = forms.TimeField(label=_("Begintijd"), widget=TIME, initial=dt.time(8, 30))
    day_ends = forms.TimeField(label=_("Eindtijd"), widget=TIME, initial=dt.time(15, 30))
    requirements = forms.CharField(
        label=_("Wat je nodig hebt"),
        required=False,
        help_text=_("Bijvoorbeeld werkschoenen of eigen beschermende kleding."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supervisor_name = forms.CharField(label=_("Begeleider"), max_length=120)
    supervisor_phone = forms.CharField(
        label=_("Telefoon begeleider"), max_length=30, required=False
    )
    how_to_get_there = forms.CharField(
        label=_("Hoe kom je er"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    location = forms.ModelChoiceField(label=_("Vestiging"), queryset=Location.objects.none())
    school_kinds = forms.MultipleChoiceField(
        label=_("Schoolsoorten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (k, OrganisationKind(k).label)
            for k in (OrganisationKind.VMBO, OrganisationKind.PRO, OrganisationKind.VSO)
        ],
        help_text=_("Niets aangevinkt: alle schoolsoorten."),
    )
    leerjaren = forms.TypedMultipleChoiceField(
        label=_("Leerjaren"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(n, str(n)) for n in range(1, 7)],
    )
    leerwegen = forms.ModelMultipleChoiceField(
        label=_("Leerwegen"),
        required=False,
        queryset=Term.objects.leerwegen(),
        widget=forms.CheckboxSelectMultiple,
    )
    profiles = forms.ModelMultipleChoiceField(
        label=_("Profielen"),
        required=False,
        queryset=Term.objects.profiles(),
        widget=forms.CheckboxSelectMultiple,
    )
    weeks = forms.CharField(
        label=_("Weken en plaatsen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eén week per regel: de maandag en het aantal plaatsen, bijv. '02-03-2026 2'."),
    )
    publish = forms.BooleanField(label=_("Publiceren"), required=False, initial=True)

    def __init__(self, *args: Any, provider: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(organisation=provider)  # type: ignore[attr-defined]

    def clean_weeks(self) -> list[tuple[dt.date, int]]:
        return parse_weeks(self.cleaned_data["weeks"])

    def school_kinds_mask(self) -> int:
        mask = 0
        for kind in self.cleaned_data["school_kinds"]:
            mask |= 1 << AUDIENCE_KINDS.index(kind)
        return mask

    def leerjaren_mask(self) -> int:
        mask = 0
        for year in self.cleaned_data["leerjaren"]:
            mask |= 1 << year
        return mask


class WeekChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        left = obj.places_left
        return str(
            _("Week %(n)s (vanaf %(d)s) – %(left)s plaats(en) vrij")
            % {"n": obj.week_number, "d": f"{obj.week_start:%d-%m-%Y}", "left": left}
        )


class ApplyForm(forms.Form):
    pupil = forms.ModelChoiceField(label=_("Leerling"), queryset=Pupil.objects.none())
    motivation = forms.CharField(
        label=_("Waarom wil je deze stage doen?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    weeks = WeekChoiceField(
        label=_("Voorkeursweken"),
        queryset=AdWeek.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, weeks: Any, pupils: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weeks"].queryset = weeks  # type: ignore[attr-defined]
        if pupils is None:
            del self.fields["pupil"]
        else:
            self.fields["pupil"].queryset = pupils  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van annuleren"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompanyDecisionForm(forms.Form):
    week = forms.ModelChoiceField(label=_("Week"), queryset=AdWeek.objects.none(), required=False)
    days = forms.TypedMultipleChoiceField(
        label=_("Dagen"),
        coerce=int,
        required=False,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.TimeField(label=_("Van"), widget=TIME, required=False)
    ends_at = forms.TimeField(label=_("Tot"), widget=TIME, required=False)
    message = forms.CharField(
        label=_("Toelichting (verplicht bij afwijzen)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, weeks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["week"].queryset = weeks  # type: ignore[attr-defined]

    def dates(self) -> list[dt.date]:
        week = self.cleaned_data.get("week")
        if week is None:
            return []
        return [week.week_start + dt.timedelta(days=d) for d in self.cleaned_data.get("days", [])]


class GuardianForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Uw besluit"),
        choices=[("approve", _("Ik geef toestemming")), ("reject", _("Ik geef geen toestemming"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reden (verplicht als u geen toestemming geeft)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReflectionForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Hoe vond je de stage?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    learned = forms.CharField(
        label=_("Wat heb je geleerd?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    would_choose_technology = forms.BooleanField(
        label=_("Ik wil verder in de techniek"), required=False
    )


class AssessmentForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Hoe ging de stage?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    hours = forms.DecimalField(
        label=_("Begeleide uren"), min_value=0, max_digits=5, decimal_places=1
    )
    comments = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SchoolSettingsForm(forms.Form):
    require_all_guardians = forms.BooleanField(
        label=_("Toestemming van alle ouders/verzorgers nodig"), required=False
    )


class AdFilterForm(forms.Form):
    school_kind = forms.ChoiceField(
        label=_("Schoolsoort"),
        required=False,
        choices=[("", _("Alle"))]
        + [
            (k, OrganisationKind(k).label)
            for k in (OrganisationKind.VMBO, OrganisationKind.PRO, OrganisationKind.VSO)
        ],
    )
    leerweg = forms.ModelChoiceField(
        label=_("Leerweg"), required=False, queryset=Term.objects.leerwegen(), empty_label=_("Alle")
    )
    profile = forms.ModelChoiceField(
        label=_("Profiel"), required=False, queryset=Term.objects.profiles(), empty_label=_("Alle")
    )
    leerjaar = forms.TypedChoiceField(
        label=_("Leerjaar"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle"))] + [(n, str(n)) for n in range(1, 7)],
    )
    week = forms.DateField(
        label=_("Week met plaats (datum)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    max_km = forms.IntegerField(
        label=_("Maximale afstand tot school (km)"), required=False, min_value=1, max_value=100
    )
