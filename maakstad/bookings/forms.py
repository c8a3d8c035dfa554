from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maakstad.bookings.models import (
    LoadLimit,
    LoadPer,
    Overflow,
    ProgrammeQuota,
    Slot,
    SlotUnit,
)
from maakstad.catalogue.models import ActivityType, Offer
from maakstad.organisations.models import Organisation, OrganisationKind, SchoolYear

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BookingForm(forms.Form):
    school = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("School"))
    class_name = forms.CharField(label=_("Klas"), max_length=30)
    pupils_count = forms.IntegerField(label=_("Aantal leerlingen"), min_value=1, max_value=500)
    leerjaar = forms.TypedChoiceField(
        label=_("Leerjaar"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(i, str(i)) for i in range(1, 7)],
    )
    groep = forms.TypedChoiceField(
        label=_("Groep (po)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(i, str(i)) for i in range(1, 9)],
    )
    teacher = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), label=_("Begeleidend docent"), required=False
    )
    slot = forms.ModelChoiceField(
        queryset=Slot.objects.none(), label=_("Moment"), required=False, widget=forms.RadioSelect
    )
    date_1 = forms.DateField(label=_("Voorkeursdatum"), required=False, widget=DATE)
    date_2 = forms.DateField(label=_("Tweede voorkeur"), required=False, widget=DATE)
    date_3 = forms.DateField(label=_("Derde voorkeur"), required=False, widget=DATE)
    remarks = forms.CharField(
        label=_("Opmerkingen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, offer: Offer, schools: Any, slots: list[Slot], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()
        self.fields["teacher"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(memberships__organisation__in=schools)
            .distinct()
            .order_by("full_name")
        )
        self.fields["slot"].queryset = Slot.objects.filter(pk__in=[s.pk for s in slots])  # type: ignore[attr-defined]
        self.fields["slot"].label_from_instance = lambda s: (  # type: ignore[attr-defined]
            f"{s.starts_at:%d-%m-%Y %H:%M} – {s.ends_at:%H:%M} · "
            + str(_("%(n)s vrij") % {"n": s.seats_free})
        )
        self.scheduled = offer.booking_mode == "scheduled"
        if self.scheduled:
            for name in ("date_1", "date_2", "date_3"):
                del self.fields[name]
        else:
            del self.fields["slot"]
            upcoming = [d.date for d in offer.dates.filter(date__gt=timezone.localdate())]
            if upcoming:
                days = ", ".join(date_format(d, "l j F Y") for d in upcoming)
                self.fields["date_1"].help_text = (
                    _("Alleen op deze data: %(days)s.")
                    if not offer.has_range_or_weekdays
                    else _("Vaste data van dit aanbod: %(days)s.")
                ) % {"days": days}
        kinds = {s.kind for s in schools}
        if OrganisationKind.PO not in kinds:
            del self.fields["groep"]
        if kinds == {OrganisationKind.PO}:
            del self.fields["leerjaar"]
        elif offer.leerjaren_mask and OrganisationKind.PO not in kinds:
            # The offer is for some leerjaren only: a blank leerjaar would slip past that.
            self.fields["leerjaar"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.scheduled and not data.get("slot"):
            self.add_error("slot", _("Kies een moment."))
        return data

    def preferred_dates(self) -> list[dt.date]:
        return [d for d in (self.cleaned_data.get(f"date_{i}") for i in (1, 2, 3)) if d]


class AcceptForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Datum en begintijd"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(
        label=_("Eindtijd (leeg = volgens de duur)"), required=False, widget=DATETIME
    )


class CounterForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Voorgesteld moment"), widget=DATETIME)
    ends_at = forms.DateTimeField(
        label=_("Einde (leeg = volgens de duur)"), required=False, widget=DATETIME
    )
    message = forms.CharField(
        label=_("Toelichting voor de school"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(forms.Form):
    pupils_count = forms.IntegerField(
        label=_("Definitief aantal leerlingen"), min_value=1, required=False
    )


class SlotForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Slot
        fields = ["starts_at", "ends_at", "unit", "capacity", "location", "notes"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = offer.provider.locations.all()  # type: ignore[attr-defined]
        self.fields["unit"].initial = SlotUnit.PUPILS


class LoadLimitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LoadLimit
        fields = ["activity_type", "per", "max_requests", "overflow"]

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = ActivityType.objects.filter(region_id=region_id, is_active=True)
        self.fields["activity_type"].queryset = types  # type: ignore[attr-defined]
        self.fields["per"].initial = LoadPer.MONTH
        self.fields["overflow"].initial = Overflow.REFUSE

    def validate_unique(self) -> None:  # the service updates an existing limit of the same kind
        pass


class ClosedPeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("Van"), widget=DATE)
    ends_on = forms.DateField(label=_("Tot en met"), widget=DATE)
    reason = forms.CharField(label=_("Reden"), max_length=150)


class QuotaForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProgrammeQuota
        fields = [
            "name",
            "provider",
            "starts_on",
            "ends_on",
            "total",
            "per_school_max",
            "fair_share_until",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "fair_share_until": DATE}

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region_id=region_id,
            kind__in=[
                OrganisationKind.PARTNER,
                OrganisationKind.COMPANY,
                OrganisationKind.MBO,
                OrganisationKind.VMBO,
            ],
        ).order_by("name")


class PricingStepForm(forms.Form):
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.all(), label=_("Schooljaar"))
    percent = forms.DecimalField(
        label=_("Eigen bijdrage (%)"), min_value=0, max_value=100, decimal_places=2
    )
