from django import forms
from django.utils.translation import gettext_lazy as _

from maakstad.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=100,
        help_text=_("Waarvoor is de sleutel, bv. 'Koppeling roosterpakket'."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geef alleen de rechten die de koppeling nodig heeft."),
    )
