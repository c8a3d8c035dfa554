"""In Chromium: a teacher books a company visit for a class, the company contact accepts, the
teacher confirms, sees the confirmation and downloads the .ics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maakstad.bookings.models import Booking, Status
from maakstad.bookings.testing import make_slot, scheduled_offer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_teacher_books_company_accepts_teacher_downloads_ics(
    world: Any, browser: Any, live_server: Any, login: Any, axe: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MAAKSTAD_SITE_URL = live_server.url
    base = live_server.url
    offer = scheduled_offer(world.company, title="Bedrijfsbezoek aan de werkplaats")
    slot = make_slot(offer, capacity=30)

    teacher = browser.new_context(accept_downloads=True).new_page()
    login(teacher, "docent@a.test")
    teacher.goto(f"{base}/menukaart/aanbod/{offer.pk}/")
    teacher.click("a.button >> text=Aanvragen voor een klas")
    assert axe(teacher) == []
    teacher.fill("#id_class_name", "3K")
    teacher.fill("#id_pupils_count", "24")
    teacher.select_option("#id_leerjaar", "3")
    teacher.check(f"input[name=slot][value='{slot.pk}']")
    teacher.click("button >> text=Aanvraag versturen")
    assert "Aangevraagd" in teacher.inner_text("#booking-status")
    booking = Booking.objects.get()

    company = browser.new_context().new_page()
    login(company, "contact@c.test")
    company.goto(f"{base}/boekingen/")
    company.click(f"text={offer.title}")
    assert axe(company) == []
    company.click("button >> text=Accepteren")
    assert "Geaccepteerd" in company.inner_text("#booking-status")

    teacher.goto(f"{base}/boekingen/{booking.pk}/")
    assert "Geaccepteerd" in teacher.inner_text("#booking-status")
    teacher.click("button >> text=Definitief bevestigen")
    assert "Bevestigd" in teacher.inner_text("#booking-status")
    assert axe(teacher) == []
    with teacher.expect_download() as info:
        teacher.click("text=Zet in mijn agenda (.ics)")
    path = tmp_path / "afspraak.ics"
    info.value.save_as(path)
    ics = path.read_text()
    assert "BEGIN:VEVENT" in ics and "Bedrijfsbezoek aan de werkplaats" in ics and "3K" in ics
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
