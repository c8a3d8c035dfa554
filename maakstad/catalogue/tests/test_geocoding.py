from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from maakstad.catalogue.geocoding import geocode, parse_point

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
