from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maakstad.catalogue.dates import format_dates, parse_dates
from maakstad.catalogue.models import AUDIENCE_KINDS, ActivityType, Offer
from maakstad.core.bitmask import choices_to_mask, from_mask, mask_to_choices, to_mask
from maakstad.organisations.models import Location, Membership, Organisation, OrganisationKind, Term

WEEKDAYS = [
    (0, _("maandag")),
    (1, _("dinsdag")),
    (2, _("woensdag")),
    (3, _("donderdag")),
    (4, _("vrijdag")),
]
MASKS = {
    "school_kinds": "school_kinds_mask",
    "leerjaren": "leerjaren_mask",
    "groepen": "groepen_mask",
    "weekdays": "weekdays_mask",
}


def _terms(queryset: Any, label: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=queryset, required=False, label=label, widget=forms.CheckboxSelectMultiple
    )


class OfferForm(forms.ModelForm):  # type: ignore[type-arg]
    provider = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Aanbieder"))
    school_kinds = forms.MultipleChoiceField(
        label=_("Schoolsoorten (leeg = alle)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, OrganisationKind(k).label) for k in AUDIENCE_KINDS],
    )
    leerjaren = forms.TypedMultipleChoiceField(
        label=_("Leerjaren (vo)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(i, str(i)) for i in range(1, 5)],
    )
    groepen = forms.TypedMultipleChoiceField(
        label=_("Groepen (po)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(i, str(i)) for i in range(5, 9)],
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdagen"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=WEEKDAYS,
    )
    dates = forms.CharField(
        label=_("Losse data"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Vaste dagen waarop het aanbod plaatsvindt, als dd-mm-jjjj, gescheiden door komma's "
            "of op aparte regels, bijvoorbeeld 14-01-2027, 11-03-2027. Een korte toelichting mag "
            "achter de datum: 14-01-2027 open dag."
        ),
    )
    leerwegen = _terms(Term.objects.leerwegen(), _("Leerwegen (leeg = alle)"))
    profiles = _terms(Term.objects.profiles(), _("Profielen (leeg = alle)"))
    worlds = _terms(Term.objects.worlds(), _("7 werelden"))
    themes = _terms(Term.objects.themes(), _("Thema's"))
    mentalities = _terms(Term.objects.mentalities(), _("Bèta & Tech-types"))

    class Meta:
        model = Offer
        fields = [
            "provider",
            "activity_type",
            "location",
            "title",
            "summary",
            "description",
            "pupil_activities",
            "min_pupils",
            "max_pupils",
            "duration_minutes",
            "available_from",
            "available_until",
            "dates",
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
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "pupil_activities": forms.Textarea(attrs={"rows": 4}),
            "travel_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, providers: Any, region_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # type: ignore[assignment]
        fields["provider"].queryset = providers
        fields["activity_type"].queryset = ActivityType.objects.filter(
            region_id__in=region_ids, is_active=True
        )
        fields["location"].queryset = Location.objects.filter(
            organisation__in=providers
        ).select_related("organisation")
        self.fields["location"].label_from_instance = lambda loc: (  # type: ignore[attr-defined]
            f"{loc.organisation.name} – {loc.name}, {loc.street}, {loc.city}"
        )
        user_ids = Membership.objects.filter(organisation__in=providers).values("user_id")
        from django.contrib.auth import get_user_model

        fields["contact"].queryset = get_user_model().objects.filter(pk__in=user_ids)
        if self.instance.pk:
            self.fields["provider"].disabled = True
            self.initial["provider"] = self.instance.provider_id
            self.initial["school_kinds"] = mask_to_choices(
                self.instance.school_kinds_mask, AUDIENCE_KINDS
            )
            for name in ("leerjaren", "groepen", "weekdays"):
                self.initial[name] = from_mask(getattr(self.instance, MASKS[name]))
            self.initial["dates"] = format_dates(
                self.instance.dates.order_by("date").values_list("date", "note")
            )
        elif providers.count() == 1:
            self.initial["provider"] = providers.first()

    def clean_dates(self) -> list[tuple[dt.date, str]]:
        # Only the format here; past dates and duplicates are the service's job.
        return parse_dates(self.cleaned_data.get("dates") or "")

    def _post_clean(self) -> None:
        # Validation is the service's job (it raises Dutch errors keyed by field).
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("provider", None)
        data["school_kinds_mask"] = choices_to_mask(data.pop("school_kinds", []), AUDIENCE_KINDS)
        for name in ("leerjaren", "groepen", "weekdays"):
            data[MASKS[name]] = to_mask(data.pop(name, []))
        for name in ("cost_amount", "own_contribution_amount"):
            if data.get(name) is None:
                data[name] = 0
        return data


class ActivityTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActivityType
        fields = [
            "name",
            "definition",
            "explanation",
            "conditions",
            "insurance_default",
            "is_active",
        ]

    def _post_clean(self) -> None:
        pass


class NewActivityTypeForm(ActivityTypeForm):
    class Meta(ActivityTypeForm.Meta):
        fields = ["code", *ActivityTypeForm.Meta.fields]
