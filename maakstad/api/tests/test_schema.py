"""Property-based test of API v1 against its own OpenAPI schema (schemathesis, in-process WSGI).

Every operation is called with generated parameters and a valid token of the programme office
(all scopes): no 5xx, and every response matches the documented status codes and shapes.
Runs in the normal suite; the example budget keeps it well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from config.wsgi import application
from maakstad.api import services
from maakstad.attendance.testing import make_session
from maakstad.bookings import services as booking_services
from maakstad.bookings.testing import make_slot, scheduled_offer
from maakstad.catalogue.testing import OfferFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests go through the real WSGI handler, whose signals would close the database
    connection after each response and with it the test's transaction (PostgreSQL); Django's
    test client switches them off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def secret(world: Any, programme: Any, settings: Any, keep_connection: None) -> str:
    settings.MAAKSTAD_API_RATE_LIMIT = 100_000
    settings.ALLOWED_HOSTS = ["*"]
    OfferFactory.create(provider=world.company)
    offer = scheduled_offer(world.company)
    booking_services.booking_request(
        offer=offer,
        school=world.school_a,
        actor=world.user("teacher_a"),
        class_name="3K",
        pupils_count=20,
        leerjaar=3,
        slot=make_slot(offer),
    )
    make_session(world)
    _token, value = services.token_create(
        organisation=world.programme_office,
        name="schemathesis",
        scopes=["bookings", "internships", "attendance", "cofinancing", "monitoring"],
        actor=None,
    )
    return value


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case: Any, secret: str) -> None:
    # Unknown query parameters are ignored on purpose (clients may send newer ones), which the
    # negative-data check counts as a failure; every other built-in check runs.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        excluded_checks=[negative_data_rejection],
    )
