"""Address → coordinates through the PDOK Locatieserver (the Dutch government's free geocoder).

Used only when `settings.MAAKSTAD_GEOCODING` is on (off in tests and without network); every
failure (timeout, HTTP error, unexpected JSON, no hit) returns None so the caller falls back to
letting the user place the pin on the map. The response field `centroide_ll` holds
"POINT(lon lat)" in WGS84.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
POINT = re.compile(r"^\s*POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$")
FIELDS = "weergavenaam,centroide_ll,postcode,woonplaatsnaam,straatnaam,huisnummer,type,score"


@dataclass(frozen=True)
class GeocodeResult:
    latitude: Decimal
    longitude: Decimal
    label: str
    postcode: str
    city: str


def parse_point(text: str) -> tuple[Decimal, Decimal] | None:
    """'POINT(4.47917 51.9225)' → (latitude, longitude), rounded to 6 decimals."""
    match = POINT.match(text or "")
    if not match:
        return None
    lon, lat = Decimal(match.group(1)), Decimal(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def parse_response(data: Any) -> GeocodeResult | None:
    """The best hit of a Locatieserver `free` response, or None."""
    try:
        docs = data["response"]["docs"]
    except (KeyError, TypeError):
        return None
    for doc in docs if isinstance(docs, list) else []:
        point = parse_point(str(doc.get("centroide_ll", "")))
        if point is None:
            continue
        return GeocodeResult(
            latitude=point[0],
            longitude=point[1],
            label=str(doc.get("weergavenaam", "")),
            postcode=str(doc.get("postcode", "")),
            city=str(doc.get("woonplaatsnaam", "")),
        )
    return None


def geocode(
    *, street: str = "", postcode: str = "", city: str = "", client: httpx.Client | None = None
) -> GeocodeResult | None:
    """Coordinates of an address, or None when geocoding is off, fails or finds nothing."""
    if not getattr(settings, "MAAKSTAD_GEOCODING", False):
        return None
    query = " ".join(part.strip() for part in (street, postcode, city) if part and part.strip())
    if not query:
        return None
    params = {"q": query, "fq": "type:adres", "rows": "1", "fl": FIELDS}
    owned = client is None
    http = client or httpx.Client(timeout=TIMEOUT, headers={"User-Agent": "Maakstad/1.0"})
    try:
        response = http.get(settings.MAAKSTAD_GEOCODER_URL, params=params)
        response.raise_for_status()
        return parse_response(response.json())
    except (httpx.HTTPError, ValueError) as error:
        # No address in the log line: it may be a person's.
        logger.warning("PDOK geocoding failed: %s", type(error).__name__)
        return None
    finally:
        if owned:
            http.close()
