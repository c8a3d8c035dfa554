from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maakstad.core.bitmask import to_mask
from maakstad.knowledge.models import AUDIENCE_KINDS, Licence, Resource, ResourceKind, Tool
from maakstad.knowledge.selectors import ID
from maakstad.organisations.models import Organisation, Term

KIND_LABELS = dict(
    po=_("Basisschool (po)"),
    vmbo=_("Vmbo"),
    pro=_("Praktijkonderwijs (pro)"),
    vso=_("Vso"),
    mbo=_("Mbo"),
)


def _terms(queryset: Any, label: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=queryset, required=False, label=label, widget=forms.CheckboxSelectMultiple
    )


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Samenvatting"), max_length=400, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label=_("Inhoud (Markdown)"), required=False, widget=forms.Textarea)
    url = forms.URLField(label=_("Link (video of website)"), required=False)
    client = forms.CharField(label=_("Opdrachtgever (pgp)"), max_length=150, required=False)
    school_kinds = forms.MultipleChoiceField(
        label=_("Schoolsoorten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, KIND_LABELS[k]) for k in AUDIENCE_KINDS],
    )
    leerjaren = forms.TypedMultipleChoiceField(
        label=_("Leerjaren"),
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
    duration_lessons = forms.IntegerField(
        label=_("Duur (lessen)"), required=False, min_value=1, max_value=200
    )
    slo_goals = forms.CharField(
        label=_("SLO-doelen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    licence = forms.ChoiceField(
        label=_("Licentie"), choices=Licence.choices, initial=Licence.CC_BY_SA
    )
    note = forms.CharField(label=_("Wat is er veranderd?"), required=False, max_length=250)

    def __init__(self, *args: Any, resource: Resource | None = None, **kwargs: Any) -> None:
        if resource is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": resource.kind,
                "title": resource.title,
                "summary": resource.summary,
                "body": resource.body,
                "url": resource.url,
                "client": resource.client,
                "school_kinds": resource.school_kinds,
                "leerjaren": resource.leerjaren,
                "groepen": resource.groepen,
                "duration_lessons": resource.duration_lessons,
                "slo_goals": resource.slo_goals,
                "licence": resource.licence,
                "worlds": list(resource.worlds.all()),
                "themes": list(resource.themes.all()),
                "profiles": list(resource.profiles.all()),
                "leerwegen": list(resource.leerwegen.all()),
                "mentalities": list(resource.mentalities.all()),
                "tools": list(resource.tools.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["worlds"] = _terms(Term.objects.worlds(), _("7 werelden"))
        self.fields["themes"] = _terms(Term.objects.themes(), _("Thema's"))
        self.fields["profiles"] = _terms(Term.objects.profiles(), _("Profielen"))
        self.fields["leerwegen"] = _terms(Term.objects.leerwegen(), _("Leerwegen"))
        self.fields["mentalities"] = _terms(Term.objects.mentalities(), _("Bèta & Tech-types"))
        self.fields["tools"] = _terms(Tool.objects.all(), _("Benodigdheden"))
        if resource is None:
            del self.fields["note"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("note", None)
        data["school_kinds_mask"] = to_mask(
            AUDIENCE_KINDS.index(k) for k in data.pop("school_kinds")
        )
        data["leerjaren_mask"] = to_mask(data.pop("leerjaren"))
        data["groepen_mask"] = to_mask(data.pop("groepen"))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, afbeelding (PNG/JPG) of Office-bestand, maximaal 25 MB."),
    )


class UsageForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=Organisation.objects.none())
    leerjaar = forms.TypedChoiceField(
        label=_("Leerjaar"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(i, str(i)) for i in range(1, 5)],
    )
    groep = forms.TypedChoiceField(
        label=_("Groep (po)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(i, str(i)) for i in range(5, 9)],
    )
    used_on = forms.DateField(
        label=_("Datum"), initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Waardering"), coerce=int, choices=[(i, f"{i} ★") for i in range(5, 0, -1)]
    )
    text = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SuggestionForm(forms.Form):
    text = forms.CharField(label=_("Je voorstel"), widget=forms.Textarea(attrs={"rows": 3}))


PICKER_ERRORS = {
    "invalid_choice": _(
        "Lesmateriaal nummer %(value)s bestaat niet of kun je hier niet koppelen. "
        "Kies gepubliceerd lesmateriaal uit de kennisbank van de eigen regio."
    ),
    "invalid_pk_value": _("“%(pk)s” is geen nummer van lesmateriaal."),
    "invalid_list": _("Kies lesmateriaal uit de kennisbank."),
}


class ResourceIdsField(forms.ModelMultipleChoiceField):
    """Resource ids, checked against the queryset in one query. Rendering it never lists the
    choices (hidden inputs: a region has thousands of resources); the page shows the chosen
    resources and the search hits itself."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            # Before the database sees it: a number too large for an id is an error, not a crash.
            if not ID.fullmatch(str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


def _picker_field(label: Any) -> ResourceIdsField:
    return ResourceIdsField(
        queryset=Resource.objects.none(),
        required=False,
        label=label,
        widget=forms.MultipleHiddenInput,
        error_messages=PICKER_ERRORS,
    )


class OfferMaterialsForm(forms.Form):
    """Preparation and follow-up material for an offer, chosen from the region's published set.

    The form takes plain resource ids; validating them is one query, whatever the number of
    resources the user could choose from.
    """

    preparation = _picker_field(_("Voorbereiding (vooraf in de klas)"))
    follow_up = _picker_field(_("Verwerking achteraf"))

    def __init__(self, *args: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preparation"].queryset = resources  # type: ignore[attr-defined]
        self.fields["follow_up"].queryset = resources  # type: ignore[attr-defined]
