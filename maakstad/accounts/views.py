from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from maakstad.accounts import services, throttle, twofactor
from maakstad.accounts.forms import LoginForm, SecondFactorForm, TotpConfirmForm, TotpDisableForm
from maakstad.accounts.models import RecoveryCode
from maakstad.core.http import safe_next_url
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations.selectors import memberships_of

RECOVERY_PREFIX = "recovery"
DISABLE_PREFIX = "disable"


def _safe_next(request: HttpRequest) -> str:
    return safe_next_url(request, request.POST.get("next") or request.GET.get("next"))


class LoginView(auth_views.LoginView):
    """The password step. A user with an authenticator app is not logged in yet: the pending
    log-in is kept (signed, five minutes) for the code step."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.confirmed_device(user) is None:
            return super().form_valid(form)
        twofactor.start_pending_login(self.request.session, user, user.backend)
        url = reverse("accounts:login_code")
        next_url = self.get_redirect_url()  # "" when not safe
        if next_url:
            url += "?" + urlencode({"next": next_url})
        return HttpResponseRedirect(url)


@sensitive_post_parameters("code")
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of the log-in: a code from the app or a recovery code."""
    next_url = _safe_next(request)
    pending = twofactor.pending_login(request.session)
    if pending is None:
        if request.method == "POST":
            messages.error(request, _("Je inlogpoging is verlopen. Log opnieuw in."))
        url = reverse("accounts:login")
        return redirect(url + ("?" + urlencode({"next": next_url}) if next_url else ""))
    user, backend = pending
    ip = request.META.get("REMOTE_ADDR", "")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.is_locked(user.email, ip, scope="2fa"):
            form.add_error(
                None, _("Te veel verkeerde codes. Wacht een kwartier en probeer het opnieuw.")
            )
        else:
            try:
                how = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
            except ValidationError as error:
                throttle.register_failure(user.email, ip, scope="2fa")
                form.add_error("code", error)
            else:
                throttle.reset(user.email, ip, scope="2fa")
                twofactor.clear_pending_login(request.session)
                auth_login(request, user, backend=backend)
                if how == "recovery":
                    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                    messages.warning(
                        request,
                        _(
                            "Je hebt een herstelcode gebruikt; er zijn er nog %(left)s over. "
                            "Maak nieuwe aan op je profielpagina."
                        )
                        % {"left": left},
                    )
                return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/login_code.html", {"form": form, "next": next_url})


def _profile(request: AuthenticatedHttpRequest, **forms: Any) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"memberships": memberships_of(user)}
    if twofactor.can_use(user):
        device = twofactor.confirmed_device(user)
        context["twofactor"] = {
            "device": device,
            "required": twofactor.is_required(user),
            "recovery_left": (
                RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                if device
                else 0
            ),
            "recovery_form": forms.get("recovery_form") or TotpConfirmForm(prefix=RECOVERY_PREFIX),
            "disable_form": forms.get("disable_form") or TotpDisableForm(prefix=DISABLE_PREFIX),
        }
    return render(request, "accounts/profile.html", context)


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _profile(request)


def _require_can_use(request: AuthenticatedHttpRequest) -> None:
    if not twofactor.can_use(request.user):
        raise PermissionDenied


def _recovery_codes_page(request: AuthenticatedHttpRequest, codes: list[str]) -> HttpResponse:
    response = render(request, "accounts/recovery_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("code")
@never_cache
@login_required
def twofactor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up the app: QR code and secret, then a code from the app turns it on. Until then the
    secret lives only in the session; it is never shown again once confirmed."""
    _require_can_use(request)
    user = request.user
    if twofactor.confirmed_device(user) is not None:
        messages.info(request, _("Tweestapsverificatie staat al aan."))
        return redirect("accounts:profile")
    secret = request.session.get(twofactor.SETUP_KEY) or twofactor.new_secret()
    request.session[twofactor.SETUP_KEY] = secret
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_enable(
                user=user, secret=secret, code=form.cleaned_data["code"], actor=user
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.pop(twofactor.SETUP_KEY, None)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return _recovery_codes_page(request, codes)
    return render(
        request,
        "accounts/twofactor_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(secret, user),
            "secret_grouped": twofactor.grouped(secret),
            "required": twofactor.is_required(user),
        },
    )


@sensitive_post_parameters("recovery-code")
@never_cache
@login_required
@require_POST
def twofactor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working) after a current code from the app."""
    _require_can_use(request)
    form = TotpConfirmForm(request.POST, prefix=RECOVERY_PREFIX)
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                user=request.user, code=form.cleaned_data["code"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return _recovery_codes_page(request, codes)
    return _profile(request, recovery_form=form)


@sensitive_post_parameters("disable-password", "disable-code")
@never_cache
@login_required
@require_POST
def twofactor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_can_use(request)
    form = TotpDisableForm(request.POST, prefix=DISABLE_PREFIX)
    if form.is_valid():
        try:
            services.totp_device_disable(
                user=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tweestapsverificatie staat uit."))
            return redirect("accounts:profile")
    return _profile(request, disable_form=form)
