"""Test configuration shared by every app."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from maakstad.core.testing.world import World, build_world

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MAAKSTAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "maakstad" / "core" / "tests" / "axe.min.js"


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAAKSTAD_GEOCODING = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_terms(request: pytest.FixtureRequest) -> None:
    """Transactional tests (live_server, browser) flush every table after they run, including the
    reference terms the data migration loaded; put them back for tests that use such a database."""
    if {"transactional_db", "live_server"} & set(request.fixturenames) or (
        request.node.get_closest_marker("django_db")
        and request.node.get_closest_marker("django_db").kwargs.get("transaction")
    ):
        request.getfixturevalue("transactional_db")
        from maakstad.organisations.models import Term
        from maakstad.organisations.reference import load_reference_terms

        load_reference_terms(Term)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


# --- Browser tests (Playwright driving Debian's Chromium; never a downloaded browser) ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def axe() -> Any:
    """Run axe-core on a page and return its serious and critical violations."""

    def run(page: Any) -> list[dict[str, Any]]:
        # evaluate() is not subject to the page's Content-Security-Policy; a script tag would be.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
        result = page.evaluate("async () => await axe.run(document)")
        return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return run


@pytest.fixture
def login(live_server: Any) -> Any:
    """Log a Playwright page in through the real log-in form."""

    def do_login(page: Any, email: str, password: str = "maakstad-test") -> None:
        page.goto(f"{live_server.url}/account/inloggen/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.click("button[type=submit] >> text=Inloggen")
        page.wait_for_url(f"{live_server.url}/")

    return do_login
