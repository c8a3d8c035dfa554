"""Tokens on the wire: 401 for missing, unknown or revoked; 403 for a missing scope; 429."""

from __future__ import annotations

import pytest

from maakstad.api import services
from maakstad.api.models import ApiToken, Scope

ORGANISATION_ENDPOINTS = {
    "bookings": Scope.BOOKINGS,
    "internship-applications": Scope.INTERNSHIPS,
    "sessions": Scope.ATTENDANCE,
    "cofinancing": Scope.COFINANCING,
    "monitoring": Scope.MONITORING,
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ORGANISATION_ENDPOINTS)
def test_without_or_with_an_unknown_token_is_401(world, api_get, path) -> None:
    for secret in (None, "mks_unknown", "x" * 500):
        response = api_get(path, secret)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"]


@pytest.mark.django_db
def test_a_session_login_is_not_a_token(world, client, api_get) -> None:
    client.force_login(world.user("teacher_a"))

    assert api_get("bookings").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "scope"), ORGANISATION_ENDPOINTS.items())
def test_each_endpoint_needs_its_scope(world, make_token, api_get, path, scope) -> None:
    office = world.programme_office
    others = [s for s in Scope.values if s != scope]
    without = make_token(office, scopes=others)
    only = make_token(office, scopes=[scope])

    assert api_get(path, without).status_code == 403
    assert api_get(path, only).status_code in (200, 404)  # monitoring: 404 without a programme


@pytest.mark.django_db
def test_a_revoked_token_is_401(world, make_token, api_get) -> None:
    secret = make_token()
    assert api_get("bookings", secret).status_code == 200
    token = ApiToken.objects.get()

    services.token_revoke(token=token, actor=world.user("teacher_a"))

    assert api_get("bookings", secret).status_code == 401


@pytest.mark.django_db
def test_a_token_of_an_inactive_organisation_is_401(world, make_token, api_get) -> None:
    secret = make_token()
    world.school_a.is_active = False
    world.school_a.save()

    assert api_get("bookings", secret).status_code == 401


@pytest.mark.django_db
def test_use_is_remembered(world, make_token, api_get) -> None:
    secret = make_token()
    assert ApiToken.objects.get().last_used_at is None

    api_get("bookings", secret)

    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_rate_limit_per_token(world, make_token, api_get, settings) -> None:
    settings.MAAKSTAD_API_RATE_LIMIT = 3
    secret = make_token()
    other = make_token(world.company)

    statuses = [api_get("bookings", secret).status_code for _ in range(4)]
    limited = api_get("bookings", secret)

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    assert "per minuut" in limited.json()["detail"]
    assert api_get("bookings", other).status_code == 200  # another token has its own budget


@pytest.mark.django_db
def test_the_rate_limit_counts_every_endpoint(world, make_token, api_get, settings) -> None:
    settings.MAAKSTAD_API_RATE_LIMIT = 2
    secret = make_token()

    assert api_get("bookings", secret).status_code == 200
    assert api_get("sessions", secret).status_code == 200
    assert api_get("internship-applications", secret).status_code == 429
