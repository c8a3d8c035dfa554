"""Security checks across apps: stored XSS in every free-text field we render, CSRF on writes,
and `check --deploy` clean with production settings.

Guessing other organisations' object ids is covered by the URL permission matrix (every URL as a
teacher of another school, a company and a pupil); malicious uploads by the kennisbank's tests.
See docs/security.md for what was tried.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maakstad.bookings import services as booking_services
from maakstad.bookings.testing import book_class, make_slot, scheduled_offer
from maakstad.organisations.models import Organisation, Pupil

PAYLOADS = (
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
)


def _assert_escaped(html: str, url: str) -> None:
    for raw in ('<script>alert("xss")</script>', "<img src=x onerror", 'href="javascript:'):
        at = html.find(raw)
        assert at < 0, f"{url}: {raw!r} unescaped in …{html[max(at - 200, 0) : at + 80]}…"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_payloads_render_escaped(world: Any, client: Client, payload: str) -> None:
    offer = scheduled_offer(
        world.company,
        title=f"Bezoek {payload}",
        summary=payload,
        description=f"Tekst [klik]({payload}) {payload}",
        pupil_activities=payload,
        travel_notes=payload,
        availability_notes=payload[:250],
    )
    Organisation.objects.filter(pk=world.company.pk).update(name=f"Bedrijf {payload}"[:150])
    booking = booking_services.booking_request(
        offer=offer,
        school=world.school_a,
        actor=world.user("teacher_a"),
        class_name=payload[:30],
        pupils_count=20,
        leerjaar=3,
        slot=make_slot(offer),
        remarks=payload,
    )
    Pupil.objects.filter(pk=world.pupil.pk).update(first_name=payload[:80])
    pages = {
        "teacher_a": [
            reverse("catalogue:detail", args=[offer.pk]),
            reverse("catalogue:menukaart"),
            reverse("bookings:detail", args=[booking.pk]),
            reverse("bookings:list"),
            reverse("bookings:request", args=[offer.pk]),
            reverse("organisations:pupil", args=[world.pupil.pk]),
            reverse("organisations:pupils"),
        ],
        "company": [
            reverse("bookings:list") + "?weergave=aanbieder",
            reverse("organisations:detail", args=[world.company.pk]),
        ],
        "programme": [reverse("bookings:load")],
    }
    for role, urls in pages.items():
        client.force_login(world.user(role))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_escaped(response.content.decode(), url)


@pytest.mark.django_db
def test_writes_need_the_csrf_token(world: Any) -> None:
    booking = book_class(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("teacher_a"))
    response = client.post(
        reverse("bookings:action", args=[booking.pk, "annuleren"]), {"reason": "x"}
    )
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == "requested"
    response = client.post(
        reverse("organisations:pupil_anonymise", args=[world.pupil.pk]), {"bevestig": "ja"}
    )
    assert response.status_code == 403
    assert Pupil.objects.get(pk=world.pupil.pk).anonymised_at is None


def test_check_deploy_is_clean_with_production_settings() -> None:
    production = {
        "DEBUG": "0",
        "MAAKSTAD_HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "techtown.maakstad.nl",
        "EMAIL_URL": "smtp://mail.example.nl:587",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MAAKSTAD_TASKS": "redis",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[3],
        env={
            # The browser tests' switch is for tests only; production never sets it.
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **production,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
