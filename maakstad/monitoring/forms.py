from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from maakstad.monitoring.indicators import Cuts
from maakstad.monitoring.models import BudgetLine, SchoolReport
from maakstad.organisations.models import Term

REPORT_FORM_FIELDS = [
    "lob_plan_submitted",
    "technology_hours_per_onderbouw_pupil",
    "technical_keuzevakken_offered",
    "parents_evening_held",
    "parents_evening_on",
    "outflow_total",
    "outflow_technical",
    "outflow_technical_girls",
    "remarks",
]


class SchoolReportForm(forms.Form):
    """The standard yearly form; pupils per technical profiel by gender as separate fields.

    A plain form over the model's fields: the rules live in `services.school_report_update`,
    whose field errors the view puts back on this form.
    """

    def __init__(self, *args: Any, instance: SchoolReport, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(instance, fields=REPORT_FORM_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                SchoolReport,
                fields=REPORT_FORM_FIELDS,
                widgets={"parents_evening_on": forms.DateInput(attrs={"type": "date"})},
            )
        )
        current = instance.pupils_per_profile or {}
        self.profile_codes = list(
            Term.objects.profiles().filter(is_technical=True).values_list("code", flat=True)
        )
        for code in self.profile_codes:
            for gender, label in (("girls", _("meisjes")), ("boys", _("jongens"))):
                self.fields[f"profile_{code}_{gender}"] = forms.IntegerField(
                    label=f"{code}: {label}",
                    min_value=0,
                    required=False,
                    initial=current.get(code, {}).get(gender),
                )

    def profile_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (code, self[f"profile_{code}_girls"], self[f"profile_{code}_boys"])
            for code in self.profile_codes
        ]

    def report_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in REPORT_FORM_FIELDS}
        values["pupils_per_profile"] = {
            code: {
                "girls": self.cleaned_data.get(f"profile_{code}_girls") or 0,
                "boys": self.cleaned_data.get(f"profile_{code}_boys") or 0,
            }
            for code in self.profile_codes
            if self.cleaned_data.get(f"profile_{code}_girls") is not None
            or self.cleaned_data.get(f"profile_{code}_boys") is not None
        }
        return values


class ReviewForm(forms.Form):
    review_notes = forms.CharField(label=_("Opmerkingen"), widget=forms.Textarea, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (.csv of .xlsx)"),
        help_text=_(
            "Kolommen: datum, begrotingsregel (regelnummer), bedrag, documentnummer, omschrijving, prognose (ja/nee)."
        ),
    )


class BudgetLineChoiceField(forms.ModelChoiceField[BudgetLine]):
    def label_from_instance(self, obj: BudgetLine) -> str:
        return f"{obj.activity.code} {obj.item}" if obj.activity else obj.item


class SpendingForm(forms.Form):
    """One spending line (or forecast), entered by hand next to the CSV/XLSX import."""

    budget_line = BudgetLineChoiceField(
        label=_("Begrotingsregel"), queryset=BudgetLine.objects.none()
    )
    spent_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Bedrag (€)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    document_reference = forms.CharField(label=_("Documentnummer"), max_length=80)
    description = forms.CharField(label=_("Omschrijving"), max_length=250, required=False)
    is_forecast = forms.BooleanField(label=_("Prognose"), required=False)

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, BudgetLineChoiceField)
        field.queryset = programme.budget_lines.select_related("activity").order_by("position")


class AchievedForm(forms.Form):
    achieved_on = forms.DateField(
        label=_("Behaald op"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_value = forms.DecimalField(
        label=_("Gemelde stand"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class CutsForm(forms.Form):
    """The dashboard's filters: school year, subregion, school kind and school (all optional)."""

    schooljaar = forms.ChoiceField(label=_("Schooljaar"), required=False)
    deelregio = forms.ChoiceField(label=_("Deelregio"), required=False)
    soort = forms.ChoiceField(label=_("Soort school"), required=False)
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        school_years: list[str],
        schools: Any,
        only: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        from maakstad.organisations.models import VO_KINDS, OrganisationKind, Subregion

        super().__init__(*args, **kwargs)
        every: list[tuple[Any, Any]] = [("", _("Alle"))]
        choices: dict[str, list[tuple[Any, Any]]] = {
            "schooljaar": every + [(y, y) for y in school_years],
            "deelregio": every + list(Subregion.choices),
            "soort": every
            + [(kind, OrganisationKind(kind).label) for kind in (OrganisationKind.PO, *VO_KINDS)],
            "school": every + [(s.pk, s.name) for s in schools],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        for name in list(self.fields):
            if only and name not in only:
                del self.fields[name]

    def cuts(self) -> Cuts:
        """The cuts from valid input; an invalid value is ignored rather than an error page."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return Cuts(
            school_year=data.get("schooljaar") or "",
            subregion=data.get("deelregio") or "",
            school_kind=data.get("soort") or "",
            school_id=data.get("school"),
        )
