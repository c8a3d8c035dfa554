"""Two-factor log-in with an authenticator app (TOTP) and recovery codes."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from maakstad.accounts import services, twofactor
from maakstad.accounts.models import RecoveryCode, TotpDevice
from maakstad.core.models import AuditEntry
from maakstad.core.testing.world import World

PASSWORD = "maakstad-test"
LOGIN = "/account/inloggen/"
CODE = "/account/inloggen/code/"


def code_for(secret: str, step_offset: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(twofactor.current_step() + step_offset)


def enable(user: Any) -> tuple[str, list[str]]:
    """Turn 2FA on for `user` with a code of the previous step, so the current one is free."""
    secret = twofactor.new_secret()
    codes = services.totp_device_enable(
        user=user, secret=secret, code=code_for(secret, -1), actor=user
    )
    return secret, codes


def password_step(client: Client, email: str, next_url: str = "") -> Any:
    data = {"username": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Services --------------------------------------------------------------------------------


def test_enable_needs_a_valid_code_and_writes_an_audit_entry(world: World) -> None:
    user = world.user("company")
    secret = twofactor.new_secret()
    with pytest.raises(ValidationError):
        services.totp_device_enable(user=user, secret=secret, code="000000", actor=user)
    with pytest.raises(ValidationError):
        services.totp_device_enable(user=user, secret=secret, code="abc", actor=user)
    assert twofactor.confirmed_device(user) is None
    assert not AuditEntry.objects.filter(action="accounts.2fa_enabled").exists()

    codes = services.totp_device_enable(user=user, secret=secret, code=code_for(secret), actor=user)

    device = twofactor.confirmed_device(user)
    assert device is not None and device.last_used_step == twofactor.current_step()
    assert len(codes) == 10 == len(set(codes))
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert stored == {twofactor.hash_recovery_code(c) for c in codes}
    assert not stored & set(codes)  # only hashes are kept
    entry = AuditEntry.objects.get(action="accounts.2fa_enabled")
    assert entry.actor == user and secret not in str(entry.after)


def test_pupil_cannot_enable(world: World) -> None:
    pupil = world.user("pupil")
    secret = twofactor.new_secret()
    assert not twofactor.can_use(pupil)
    with pytest.raises(PermissionDenied):
        services.totp_device_enable(user=pupil, secret=secret, code=code_for(secret), actor=pupil)
    client = Client()
    client.force_login(pupil)
    assert client.get(reverse("accounts:twofactor_setup")).status_code == 403
    assert "Tweestapsverificatie" not in client.get(reverse("accounts:profile")).content.decode()


def test_a_code_is_accepted_once_per_time_step(world: World) -> None:
    user = world.user("teacher_a")
    secret, _ = enable(user)
    code = code_for(secret)
    assert services.second_factor_verify(user=user, code=code) == "totp"
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=user, code=code)
    # An older step than the one used is refused too.
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=user, code=code_for(secret, -1))
    assert services.second_factor_verify(user=user, code=code_for(secret, +1)) == "totp"
    # Two steps away is outside the window.
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=user, code=code_for(secret, +3))


def test_recovery_code_works_once(world: World) -> None:
    user = world.user("teacher_a")
    _, codes = enable(user)
    assert services.second_factor_verify(user=user, code=codes[0].upper()) == "recovery"
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=user, code=codes[0])
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 9
    entry = AuditEntry.objects.get(action="accounts.2fa_recovery_code_used")
    assert entry.after == {"recovery_codes_left": 9}


def test_regenerate_needs_a_current_code_and_replaces_the_codes(world: World) -> None:
    user = world.user("programme")
    secret, old = enable(user)
    with pytest.raises(ValidationError):
        services.recovery_codes_regenerate(user=user, code=old[0], actor=user)
    new = services.recovery_codes_regenerate(user=user, code=code_for(secret), actor=user)
    assert not set(new) & set(old)
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=user, code=old[1])
    assert services.second_factor_verify(user=user, code=new[1]) == "recovery"
    assert AuditEntry.objects.filter(action="accounts.2fa_recovery_codes_regenerated").exists()


def test_disable_needs_password_and_code(world: World) -> None:
    user = world.user("programme")
    secret, _ = enable(user)
    with pytest.raises(ValidationError):
        services.totp_device_disable(user=user, password="fout", code=code_for(secret), actor=user)
    with pytest.raises(ValidationError):
        services.totp_device_disable(user=user, password=PASSWORD, code="123456", actor=user)
    services.totp_device_disable(user=user, password=PASSWORD, code=code_for(secret), actor=user)
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="accounts.2fa_disabled", actor=user).exists()


# --- Log-in ----------------------------------------------------------------------------------


def test_without_a_device_the_password_logs_in(world: World) -> None:
    client = Client()
    response = password_step(client, "contact@c.test")
    assert response.status_code == 302 and response["Location"] == "/"
    assert is_logged_in(client)


def test_login_needs_the_second_step_and_keeps_next(world: World) -> None:
    user = world.user("company")
    secret, _ = enable(user)
    client = Client()
    response = password_step(client, "contact@c.test", next_url="/organisaties/")
    assert response.status_code == 302
    assert response["Location"] == f"{CODE}?next=%2Forganisaties%2F"
    assert not is_logged_in(client)
    # Elsewhere the user is still anonymous.
    assert client.get("/organisaties/")["Location"].startswith(LOGIN)

    page = client.get(response["Location"])
    assert "Code uit je authenticator-app" in page.content.decode()
    wrong = client.post(CODE, {"code": "000000", "next": "/organisaties/"})
    assert wrong.status_code == 200 and not is_logged_in(client)
    assert "Deze code klopt niet" in wrong.content.decode()

    done = client.post(CODE, {"code": code_for(secret), "next": "/organisaties/"})
    assert done.status_code == 302 and done["Location"] == "/organisaties/"
    assert is_logged_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert twofactor.PENDING_KEY not in client.session


def test_unsafe_next_is_dropped(world: World) -> None:
    secret, _ = enable(world.user("company"))
    client = Client()
    response = password_step(client, "contact@c.test", next_url="https://evil.example/")
    assert response["Location"] == CODE
    done = client.post(CODE, {"code": code_for(secret), "next": "https://evil.example/"})
    assert done["Location"] == "/"


def test_replayed_code_is_refused_at_login(world: World) -> None:
    secret, _ = enable(world.user("company"))
    first = Client()
    password_step(first, "contact@c.test")
    code = code_for(secret)
    assert first.post(CODE, {"code": code}).status_code == 302
    second = Client()
    password_step(second, "contact@c.test")
    assert second.post(CODE, {"code": code}).status_code == 200
    assert not is_logged_in(second)


def test_recovery_code_logs_in_once(world: World) -> None:
    _, codes = enable(world.user("company"))
    client = Client()
    password_step(client, "contact@c.test")
    response = client.post(CODE, {"code": codes[3]}, follow=True)
    assert is_logged_in(client)
    assert "nog 9 over" in response.content.decode()
    again = Client()
    password_step(again, "contact@c.test")
    assert again.post(CODE, {"code": codes[3]}).status_code == 200
    assert not is_logged_in(again)


def test_wrong_codes_are_throttled(world: World, settings: Any) -> None:
    settings.MAAKSTAD_LOGIN_ATTEMPTS = 3
    secret, _ = enable(world.user("company"))
    client = Client()
    password_step(client, "contact@c.test")
    for _ in range(3):
        client.post(CODE, {"code": "000000"})
    # A correct password again does not reset the count of wrong codes.
    password_step(client, "contact@c.test")
    response = client.post(CODE, {"code": code_for(secret)})
    assert response.status_code == 200 and not is_logged_in(client)
    assert "Te veel verkeerde codes" in response.content.decode()


def test_pending_login_expires(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    secret, _ = enable(world.user("company"))
    client = Client()
    password_step(client, "contact@c.test")
    code = code_for(secret)
    later = time.time() + twofactor.PENDING_MAX_AGE + 1
    monkeypatch.setattr(time, "time", lambda: later)  # five minutes and a second later
    response = client.post(CODE, {"code": code})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not is_logged_in(client)


def test_code_page_without_password_step_goes_to_login(world: World) -> None:
    response = Client().post(CODE, {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_disabled_device_means_plain_login_again(world: World) -> None:
    user = world.user("company")
    secret, _ = enable(user)
    services.totp_device_disable(user=user, password=PASSWORD, code=code_for(secret), actor=user)
    client = Client()
    password_step(client, "contact@c.test")
    assert is_logged_in(client)


# --- Pages and the required roles ------------------------------------------------------------


def test_setup_page_enables_with_the_shown_secret(world: World) -> None:
    user = world.user("teacher_a")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("accounts:twofactor_setup")).content.decode()
    assert "<svg" in page and "otpauth" not in page.split("<svg")[0]
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert client.post(reverse("accounts:twofactor_setup"), {"code": "000000"}).status_code == 200
    assert twofactor.confirmed_device(user) is None
    response = client.post(reverse("accounts:twofactor_setup"), {"code": code_for(secret)})
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert "no-store" in response["Cache-Control"]
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Staat aan sinds" in profile and secret not in profile.replace(" ", "")
    assert twofactor.SETUP_KEY not in client.session


def test_required_role_is_sent_to_setup_until_enabled(world: World, settings: Any) -> None:
    settings.MAAKSTAD_2FA_REQUIRED_ROLES = ["programme_manager"]
    client = Client()
    response = password_step(client, "programma@test.test")
    assert is_logged_in(client)
    home = client.get(response["Location"])
    assert home.status_code == 302 and home["Location"] == reverse("accounts:twofactor_setup")
    assert client.get(reverse("accounts:twofactor_setup")).status_code == 200
    # Other roles are not affected.
    other = Client()
    other.force_login(world.user("company"))
    assert other.get("/").status_code == 200

    enable(world.user("programme"))
    assert client.get("/").status_code == 200


def test_two_factor_pages_are_translated(world: World) -> None:
    client = Client()
    client.force_login(world.user("company"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:twofactor_setup")).content.decode()
    assert "Set up two-factor authentication" in page
    assert "Code from your authenticator app" in page


def test_profile_regenerates_codes_and_turns_off(world: World) -> None:
    user = world.user("teacher_b")
    secret, old = enable(user)
    client = Client()
    client.force_login(user)
    wrong = client.post(reverse("accounts:twofactor_recovery_codes"), {"recovery-code": "000000"})
    assert wrong.status_code == 200 and "Deze code klopt niet" in wrong.content.decode()
    new = client.post(
        reverse("accounts:twofactor_recovery_codes"), {"recovery-code": code_for(secret)}
    )
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", new.content.decode())
    assert len(codes) == 10 and not set(codes) & set(old)

    refused = client.post(
        reverse("accounts:twofactor_disable"),
        {"disable-password": "fout", "disable-code": code_for(secret, +1)},
    )
    assert refused.status_code == 200 and "Dit wachtwoord klopt niet" in refused.content.decode()
    assert twofactor.confirmed_device(user) is not None
    off = client.post(
        reverse("accounts:twofactor_disable"),
        {"disable-password": PASSWORD, "disable-code": codes[0]},
    )
    assert off.status_code == 302 and twofactor.confirmed_device(user) is None
    assert "Staat uit" in client.get(reverse("accounts:profile")).content.decode()


def test_reset_command_turns_two_factor_off_and_is_audited(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    user = world.user("company")
    enable(user)
    out = StringIO()
    call_command("reset_twofactor", "Contact@C.test", stdout=out)
    assert "staat uit" in out.getvalue()
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="accounts.2fa_reset")
    assert entry.actor is None and "manage.py" in entry.actor_label
    client = Client()
    password_step(client, "contact@c.test")
    assert is_logged_in(client)


def test_secret_is_stored_encrypted_and_moves_to_a_new_secret_key(
    world: World, settings: Any
) -> None:
    user = world.user("company")
    secret, _codes = enable(user)
    device = TotpDevice.objects.get(user=user)
    assert secret not in device.secret_encrypted
    assert device.secret == secret

    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "een-nieuwe-sleutel-" + "z" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert services.second_factor_verify(user=user, code=code_for(secret)) == "totp"
    rewritten = TotpDevice.objects.get(user=user).secret_encrypted
    assert rewritten != device.secret_encrypted
    settings.SECRET_KEY_FALLBACKS = []
    assert TotpDevice.objects.get(user=user).secret == secret
