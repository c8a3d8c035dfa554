"""A teacher filters the menukaart by profiel and distance, list and map agree, opens an offer."""

from __future__ import annotations

import base64
import contextlib
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from maakstad.catalogue.testing import OfferFactory
from maakstad.core.testing.factories import LocationFactory, OrganisationFactory
from maakstad.organisations.models import OrganisationKind, Term

# A 1x1 transparent PNG: every map tile request is answered locally.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _offer(world: Any, title: str, lat: str, lon: str, profile: str | None) -> Any:
    provider = OrganisationFactory.create(region=world.region, kind=OrganisationKind.COMPANY)
    location = LocationFactory.create(
        organisation=provider, latitude=Decimal(lat), longitude=Decimal(lon)
    )
    offer = OfferFactory.create(provider=provider, location=location, title=title)
    if profile:
        offer.profiles.set([Term.objects.profiles().get(code=profile)])
    return offer


MAP_TOTAL = """() => {
  let n = 0;
  document.querySelectorAll('#mk-map .marker-cluster span').forEach(s => n += parseInt(s.textContent, 10));
  n += document.querySelectorAll('#mk-map .leaflet-marker-icon:not(.marker-cluster)').length;
  return n;
}"""


def _map_total(page: Any, expected: int) -> int:
    """Markers on the map: the numbers on the clusters plus the single markers, once the map has
    settled (while fitBounds animates the zoom, the clusters of both zoom levels are shown)."""
    # On a timeout the caller's assertion reports what the map shows.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({MAP_TOTAL})() === {expected}", timeout=10_000)
    return int(page.evaluate(MAP_TOTAL))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_teacher_filters_by_profile_and_distance(
    world: Any, page: Any, live_server: Any, login: Any, axe: Any, settings: Any
) -> None:
    settings.MAAKSTAD_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tiles: list[str] = []

    def answer_tile(route: Any) -> None:
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route("https://tile.openstreetmap.org/**", answer_tile)
    # The school is at 51.92, 4.48 (factory default).
    for i in range(6):
        _offer(world, f"PIE dichtbij {i}", f"51.9{i}1000", f"4.4{i}2000", "PIE")
    _offer(world, "Voor alle profielen", "51.925000", "4.475000", None)
    _offer(world, "BWI dichtbij", "51.921000", "4.481000", "BWI")
    _offer(world, "PIE in Den Haag", "52.080000", "4.320000", "PIE")

    login(page, "docent@a.test")
    page.goto(f"{live_server.url}/menukaart/")
    page.wait_for_selector('#mk-map[data-markers="9"]', state="attached")
    assert axe(page) == []

    page.select_option("#profiel", "PIE")
    page.wait_for_url("**profiel=PIE**")
    page.wait_for_selector('#mk-map[data-markers="8"]', state="attached")
    page.fill("#km", "10")
    page.select_option("#sorteer", "afstand")
    # Both changes are in the URL, no request is under way, and the map has loaded their result.
    page.wait_for_url(lambda url: "km=10" in url and "sorteer=afstand" in url)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_selector('#mk-map[data-markers="7"]:not([aria-busy])', state="attached")
    count = int(page.get_attribute("#mk-results", "data-total") or "0")
    assert count == 7 == page.locator("#mk-list li.mk-offer").count()
    assert _map_total(page, count) == count
    assert "PIE in Den Haag" not in page.inner_text("#mk-list")
    assert "BWI dichtbij" not in page.inner_text("#mk-list")
    assert tiles, "the map asked for tiles"

    # The URL holds the filters: reloading gives the same result without htmx.
    page.reload()
    page.wait_for_selector('#mk-map[data-markers="7"]', state="attached")
    assert page.locator("#mk-list li.mk-offer").count() == 7

    page.click("#mk-list >> text=Voor alle profielen")
    page.wait_for_selector("h1 >> text=Voor alle profielen")
    assert axe(page) == []
