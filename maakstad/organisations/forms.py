from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maakstad.organisations.models import Location, Organisation, Role, Term


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "description",
            "website",
            "email",
            "phone",
            "sectors",
            "subregion",
        ]


class LocationForm(forms.ModelForm[Location]):
    class Meta:
        model = Location
        fields = [
            "name",
            "street",
            "postcode",
            "city",
            "vestigingscode",
            "latitude",
            "longitude",
            "is_main",
        ]
        help_texts = {
            "latitude": _("Klik op de kaart om de plek aan te wijzen, of vul de coördinaten in."),
        }


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"))
    title = forms.CharField(label=_("Functie"), max_length=100, required=False)

    def __init__(self, *args: Any, roles: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in roles]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Klassenlijst (.csv of .xlsx)"),
        help_text=_(
            "Eén leerling per regel. Een bestand met fouten wordt in zijn geheel geweigerd."
        ),
    )


class TermForm(forms.ModelForm[Term]):
    class Meta:
        model = Term
        fields = ["taxonomy", "code", "name", "is_technical", "is_active", "position"]
