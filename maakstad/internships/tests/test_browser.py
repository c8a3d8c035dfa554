"""The whole chain in Chromium: pupil → mentor → guardian (link from the e-mail) → company → PDF."""

from __future__ import annotations

import re
import subprocess
import tempfile
from typing import Any

import pytest
from django.core import mail

from maakstad.internships.models import Application, DayState, Status
from maakstad.internships.testing import make_ad


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_whole_chain(
    world: Any,
    page: Any,
    browser: Any,
    live_server: Any,
    login: Any,
    axe: Any,
    settings: Any,
) -> None:
    settings.MAAKSTAD_SITE_URL = live_server.url
    ad = make_ad(world.company)
    base = live_server.url

    # The pupil, on a phone, finds the ad and applies.
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "leerling@a.test")
    page.goto(f"{base}/stages/")
    assert axe(page) == []
    page.click("text=Lassen bij ons bedrijf")
    page.click("a.button >> text=Aanmelden")
    assert axe(page) == []
    page.fill("#id_motivation", "Ik wil graag leren lassen.")
    page.locator("input[name=weeks]").first.check()
    page.click("button >> text=Aanmelding versturen")
    page.wait_for_selector("#status")
    assert "Wacht op mentor" in page.inner_text("#status")
    application = Application.objects.get()

    # The mentor approves.
    mentor = browser.new_context().new_page()
    login(mentor, "docent@a.test")
    mentor.goto(f"{base}/stages/aanmeldingen/{application.pk}/")
    assert axe(mentor) == []
    mentor.click("button >> text=Goedkeuren")
    mentor.wait_for_selector("#status")
    assert "Wacht op ouder" in mentor.inner_text("#status")

    # The guardian opens the link from the e-mail, without an account.
    message = next(m for m in mail.outbox if m.to == ["ouder@a.test"])
    url = re.search(r"https?://\S+/stages/ouder/\S+", str(message.body)).group(0)  # type: ignore[union-attr]
    assert "Sanne" not in url
    guardian = browser.new_context().new_page()
    guardian.goto(url)
    assert "Sanne" in guardian.inner_text("main")
    assert axe(guardian) == []
    guardian.check("input[value=approve]")
    guardian.click("button >> text=Besluit versturen")
    assert "vastgelegd" in guardian.inner_text("#guardian-result")

    # The company accepts the preferred week with the suggested days and times.
    company = browser.new_context(accept_downloads=True).new_page()
    login(company, "contact@c.test")
    company.goto(f"{base}/stages/aanmeldingen/{application.pk}/")
    company.click("a.button >> text=Beslissen")
    assert axe(company) == []
    company.click("button >> text=Accepteren")
    company.wait_for_selector("#agreement-link")
    assert "Stage bevestigd" in company.inner_text("#status")
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED

    # The agreement downloads and names the pupil and the dates.
    with company.expect_download() as info:
        company.click("#agreement-link")
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/overeenkomst.pdf"
        info.value.save_as(path)
        text = subprocess.run(
            ["pdftotext", path, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "Sanne" in text
    days = application.days.filter(state=DayState.PLANNED)
    assert days.count() == ad.days
    for day in days:
        assert day.date.strftime("%d-%m-%Y") in text
