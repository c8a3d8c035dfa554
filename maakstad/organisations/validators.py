"""Validators for Dutch identifiers, each with a clear Dutch message."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.nl import brin, postcode

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-()]{7,18}[0-9]$")


def validate_brin(value: str) -> None:
    """BRIN: 4 characters, 2 digits + 2 letters/digits (e.g. 02KP)."""
    if len(value) != 4 or not brin.is_valid(value):
        raise ValidationError(
            _("Een BRIN-nummer bestaat uit 4 tekens, bijvoorbeeld 02KP."), code="brin"
        )


def validate_vestigingscode(value: str) -> None:
    """Vestigingscode: the 4-character BRIN plus a 2-digit location number (e.g. 02KP00)."""
    if len(value) != 6 or not brin.is_valid(value):
        raise ValidationError(
            _("Een vestigingscode bestaat uit 6 tekens: BRIN + 2 cijfers, bijvoorbeeld 02KP00."),
            code="vestigingscode",
        )


def validate_kvk(value: str) -> None:
    if not re.fullmatch(r"\d{8}", value or ""):
        raise ValidationError(_("Een KvK-nummer bestaat uit precies 8 cijfers."), code="kvk")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else value


def validate_postcode(value: str) -> None:
    if not postcode.is_valid(value or ""):
        raise ValidationError(
            _("Vul een geldige Nederlandse postcode in, bijvoorbeeld 3011 AB."), code="postcode"
        )


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(
            _("Vul een geldig telefoonnummer in, bijvoorbeeld 010-1234567 of +31 6 12345678."),
            code="phone",
        )
