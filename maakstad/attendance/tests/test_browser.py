"""A pupil checks in by pointing the phone camera at the supervisor's screen: Chromium's fake
camera plays a video made from a real QR code of the session's current code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import segno

from conftest import CHROMIUM, CHROMIUM_ARGS
from maakstad.attendance import codes
from maakstad.attendance.models import Attendance, AttendanceStatus
from maakstad.attendance.testing import make_session


def write_y4m(
    payload: str, path: Path, width: int = 640, height: int = 480, frames: int = 20
) -> None:
    """A grey 640×480 video with the QR code (scale 10, white quiet zone) in the middle."""
    matrix = segno.make(payload, error="m").matrix
    scale, border = 8, 4
    size = (len(matrix) + 2 * border) * scale
    y_plane = bytearray([128]) * (width * height)
    left, top = (width - size) // 2, (height - size) // 2
    for y in range(size):
        row = y // scale - border
        for x in range(size):
            col = x // scale - border
            dark = 0 <= row < len(matrix) and 0 <= col < len(matrix) and matrix[row][col]
            y_plane[(top + y) * width + left + x] = 16 if dark else 235
    chroma = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            handle.write(b"FRAME\n" + bytes(y_plane) + chroma + chroma)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pupil_checks_in_with_the_camera(
    world: Any, live_server: Any, playwright: Any, tmp_path: Path
) -> None:
    session = make_session(world)
    video = tmp_path / "qr.y4m"
    write_y4m(codes.qr_payload(session, codes.current_step()), video)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(
            permissions=["camera"], viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/account/inloggen/")
        page.fill("#id_username", world.user("pupil").email)
        page.fill("#id_password", "maakstad-test")
        page.click("#main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/aanwezigheid/inchecken/")
        # The code is valid for 30-60 s; on a busy machine launching and logging in can take a
        # good part of that. Chromium opens the video when the camera starts: film the code of
        # this moment.
        write_y4m(codes.qr_payload(session, codes.current_step()), video)
        page.click("#start-scan")
        page.wait_for_selector("[data-outcome]", timeout=30_000)
        assert page.locator("[data-outcome]").get_attribute("data-outcome") == "ok", page.locator(
            "#outcome"
        ).inner_text()
        assert "Gelukt" in page.locator("#outcome").inner_text()
    finally:
        browser.close()
    attendance = Attendance.objects.get(session=session, pupil=world.pupil)
    assert attendance.status == AttendanceStatus.PRESENT and attendance.checked_in_at is not None
