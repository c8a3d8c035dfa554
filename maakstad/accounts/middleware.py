"""Send users whose role requires two-factor log-in (MAAKSTAD_2FA_REQUIRED_ROLES) to the set-up
page until they have an authenticator app. Costs nothing while the setting is empty. Sessions
started through single sign-on are exempt: the school's identity provider authenticated them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from maakstad.accounts import twofactor


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MAAKSTAD_2FA_REQUIRED_ROLES
            and request.user.is_authenticated
            and not request.session.get(twofactor.SSO_SESSION_KEY)
            and not self._exempt(request.path)
            and twofactor.is_required(request.user)
            and twofactor.confirmed_device(request.user) is None
        ):
            messages.warning(
                request, _("Voor jouw rol is tweestapsverificatie verplicht. Stel het eerst in.")
            )
            return redirect("accounts:twofactor_setup")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (
            reverse("accounts:twofactor_setup"),
            reverse("accounts:logout"),
            "/i18n/",
            settings.STATIC_URL or "/static/",
        )
        return path.startswith(allowed)
