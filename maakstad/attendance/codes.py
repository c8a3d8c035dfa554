"""Rotating check-in codes. A QR code carries `M1.<handle>.<step>.<mac>`: the session's random
public handle, the 30-second time step and an HMAC with the session's secret. The short code a
pupil can type is derived from the same HMAC. Neither holds a primary key or personal data, and a
code photographed and sent on stops working after at most one minute (current and previous step).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from maakstad.attendance.models import Session

STEP_SECONDS = 30
SHORT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _mac(session: Session, step: int) -> bytes:
    return hmac.new(
        session.secret.encode(), f"{session.handle}:{step}".encode(), hashlib.sha256
    ).digest()


def qr_payload(session: Session, step: int) -> str:
    return f"M1.{session.handle}.{step}.{_mac(session, step)[:12].hex()}"


def short_code(session: Session, step: int) -> str:
    digest = _mac(session, step)
    return "".join(SHORT_ALPHABET[b % len(SHORT_ALPHABET)] for b in digest[20:26])


@dataclass
class ParsedQr:
    handle: str
    step: int
    mac: str


def parse_qr(text: str) -> ParsedQr | None:
    parts = text.strip().split(".")
    if len(parts) != 4 or parts[0] != "M1" or not parts[2].isdigit():
        return None
    return ParsedQr(handle=parts[1], step=int(parts[2]), mac=parts[3])


def qr_is_authentic(session: Session, parsed: ParsedQr) -> bool:
    return hmac.compare_digest(_mac(session, parsed.step)[:12].hex(), parsed.mac)


def step_is_fresh(step: int, now: float | None = None) -> bool:
    """Accepted within a short window: the current step and the one before it."""
    return current_step(now) - 1 <= step <= current_step(now)
