import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client


def test_english_is_a_choice_and_dutch_the_default(db) -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    dutch = client.get("/account/inloggen/")
    assert '<html lang="nl">' in dutch.content.decode()
    assert "Wachtwoord vergeten?" in dutch.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/account/inloggen/"})
    english = client.get("/account/inloggen/")
    assert '<html lang="en">' in english.content.decode()
    assert "Forgot your password?" in english.content.decode()


APPS_DIR = Path(__file__).resolve().parents[2]


def _apps_with_strings() -> list[Path]:
    apps = []
    for app in sorted(p for p in APPS_DIR.iterdir() if (p / "apps.py").exists()):
        code = "".join(f.read_text() for f in app.rglob("*.py") if "tests" not in f.parts)
        if (app / "templates").exists() or "gettext" in code:
            apps.append(app)
    return apps


@pytest.mark.parametrize("app", _apps_with_strings(), ids=lambda app: app.name)
def test_every_string_of_an_app_has_an_english_translation(app: Path, tmp_path: Path) -> None:
    """makemessages over a copy of the app finds no new, untranslated or fuzzy entry."""
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{app.name} has no English translation file"
    subprocess.run(
        [sys.executable, str(APPS_DIR.parent / "manage.py"), "makemessages", "-l", "en"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    # e.g. "301 translated messages." or "299 translated messages, 2 untranslated messages."
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{app.name}: {stats}"
