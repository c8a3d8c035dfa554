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


def _code_field(label: Any, *, autofocus: bool = False) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
    if autofocus:
        attrs["autofocus"] = "autofocus"
    return forms.CharField(
        label=label, max_length=20, strip=True, widget=forms.TextInput(attrs=attrs)
    )


class SecondFactorForm(forms.Form):
    """The second step of the log-in: a code from the app or a recovery code."""

    code = _code_field(_("Code uit je authenticator-app"), autofocus=True)
    code.help_text = _("Zes cijfers uit je app, of een van je herstelcodes.")


class TotpConfirmForm(forms.Form):
    code = _code_field(_("Code uit je authenticator-app"))
    code.help_text = _("De zes cijfers die je app nu toont.")


class TotpDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(_("Code uit je authenticator-app of herstelcode"))
