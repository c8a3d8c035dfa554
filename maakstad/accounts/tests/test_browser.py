"""In Chromium: a company contact turns on two-factor log-in from the profile page with the key
shown there, logs out, and logs in again with password and a code from the app."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from maakstad.accounts import twofactor
from maakstad.core.models import AuditEntry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_company_contact_enables_two_factor_and_logs_in_with_a_code(
    world: Any, page: Any, live_server: Any, login: Any, axe: Any
) -> None:
    base = live_server.url
    login(page, "contact@c.test")
    page.goto(f"{base}/account/profiel/")
    assert "Staat uit" in page.inner_text("#twofactor-status")
    page.click("a >> text=Tweestapsverificatie instellen")
    page.wait_for_url(f"{base}/account/tweestapsverificatie/")
    page.wait_for_selector(".totp-qr svg")
    assert page.locator(".totp-qr svg").count() == 1
    assert axe(page) == []
    secret = page.inner_text("#totp-secret").replace(" ", "")
    assert len(secret) == 32

    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("button >> text=Aanzetten")
    page.wait_for_selector("#recovery-codes code")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("a >> text=Ik heb ze bewaard")
    page.wait_for_url(f"{base}/account/profiel/")
    assert "Staat aan sinds" in page.inner_text("#twofactor-status")
    assert secret not in page.content().replace(" ", "")
    assert AuditEntry.objects.filter(action="accounts.2fa_enabled").count() == 1

    page.click("button >> text=Uitloggen")
    page.goto(f"{base}/account/inloggen/?next=/account/profiel/")
    page.fill("#id_username", "contact@c.test")
    page.fill("#id_password", "maakstad-test")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{base}/account/inloggen/code/**")
    assert "Code uit je authenticator-app" in page.content()
    assert axe(page) == []
    # The code of the set-up step was used; the app's next code is within the window.
    page.fill("#id_code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button >> text=Bevestigen")
    page.wait_for_url(f"{base}/account/profiel/")
    assert "Contact C" in page.content()
    assert twofactor.confirmed_device(world.user("company")) is not None
