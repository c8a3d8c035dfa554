from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from maakstad.accounts import throttle


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Dit e-mailadres en wachtwoord horen niet bij elkaar."),
        "inactive": _("Dit account is niet actief."),
        "throttled": _("Te veel mislukte pogingen. Wacht een kwartier of herstel je wachtwoord."),
    }

    def clean(self) -> dict[str, Any]:
        email = self.data.get("username", "")
        ip = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if throttle.is_locked(email, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.register_failure(email, ip)
            raise
        throttle.reset(email, ip)
        return cleaned
