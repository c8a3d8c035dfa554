from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from maakstad.organisations.geocoding import geocode, parse_point

RECORDED = Path(__file__).parent / "pdok"


def _client(name: str, seen: list[httpx.Request], status: int = 200) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=json.loads((RECORDED / name).read_text()))

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_parse_point() -> None:
    assert parse_point("POINT(4.47819756 51.92270741)") == (
        Decimal("51.922707"),
        Decimal("4.478198"),
    )
    assert parse_point("POINT(92696.4 437400.6)") is None  # RD coordinates, not WGS84
    assert parse_point("garbage") is None


def test_geocode_replays_a_recorded_pdok_answer(settings: Any) -> None:
    settings.MAAKSTAD_GEOCODING = True
    settings.MAAKSTAD_GEOCODER_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
    seen: list[httpx.Request] = []
    result = geocode(
        street="Coolsingel 40",
        postcode="3011 AD",
        city="Rotterdam",
        client=_client("coolsingel.json", seen),
    )
    assert result is not None
    assert (result.latitude, result.longitude) == (Decimal("51.922707"), Decimal("4.478198"))
    assert result.postcode == "3011AD" and result.city == "Rotterdam"
    assert seen[0].url.params["q"] == "Coolsingel 40 3011 AD Rotterdam"
    assert seen[0].url.params["fq"] == "type:adres"


def test_geocode_no_hit_error_or_switched_off(settings: Any) -> None:
    settings.MAAKSTAD_GEOCODING = True
    assert geocode(street="Nergensweg 1", client=_client("none.json", [])) is None
    assert (
        geocode(street="Coolsingel 40", client=_client("coolsingel.json", [], status=503)) is None
    )

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    assert geocode(street="x", client=httpx.Client(transport=httpx.MockTransport(timeout))) is None
    settings.MAAKSTAD_GEOCODING = False
    seen: list[httpx.Request] = []
    assert geocode(street="Coolsingel 40", client=_client("coolsingel.json", seen)) is None
    assert seen == []


@pytest.mark.django_db
def test_location_without_a_pin_is_geocoded_and_a_moved_address_again(world, settings) -> None:
    from maakstad.organisations import services

    settings.MAAKSTAD_GEOCODING = True
    seen: list[httpx.Request] = []
    values = {
        "name": "Kantoor",
        "street": "Coolsingel 40",
        "postcode": "3011ad",
        "city": "Rotterdam",
    }
    location = services.location_save(
        organisation=world.company,
        location=None,
        values={**values, "latitude": None, "longitude": None},
        actor=None,
        geocoder_client=_client("coolsingel.json", seen),
    )
    assert (location.latitude, location.longitude) == (Decimal("51.922707"), Decimal("4.478198"))
    assert location.postcode == "3011 AD" and len(seen) == 1
    # A pin the user placed is kept as long as the address stays the same.
    pinned = services.location_save(
        organisation=world.company,
        location=location,
        values={**values, "latitude": Decimal("51.9"), "longitude": Decimal("4.4")},
        actor=None,
        geocoder_client=_client("coolsingel.json", seen),
    )
    assert (pinned.latitude, pinned.longitude) == (Decimal("51.9"), Decimal("4.4")) and len(
        seen
    ) == 1
    # Nothing found: saved without coordinates (the page then asks for the pin).
    nowhere = services.location_save(
        organisation=world.company,
        location=None,
        values={**values, "street": "Nergensweg 1", "latitude": None, "longitude": None},
        actor=None,
        geocoder_client=_client("none.json", seen),
    )
    assert nowhere.latitude is None and nowhere.longitude is None
