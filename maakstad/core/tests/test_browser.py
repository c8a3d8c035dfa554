"""Every demo log-in reaches its own home page through the real log-in form, and the main pages
have no serious or critical accessibility violations (axe-core)."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

PASSWORD = "maakstad-demo"
HOMES = [
    ("programma@techtown.demo", "Programmamanager", "Monitoring"),
    ("docent@dehef.demo", "Docent", "Kennisbank"),
    ("mentor@dehef.demo", "Mentor", "Leerlingen"),
    ("leerling@dehef.demo", "Leerling", "Stages"),
    ("contact@lomans.demo", "Contactpersoon bedrijf", "Organisaties"),
    ("mbo@tcr.demo", "Medewerker mbo", "Kennisbank"),
    ("leerkracht@po.demo", "Docent", "Kennisbank"),
]


@pytest.fixture
def demo(transactional_db: Any) -> None:
    call_command("load_demo", "--pupils", "150", "--quiet-logins", stdout=StringIO())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("email", "role", "menu"), HOMES, ids=[h[0] for h in HOMES])
def test_demo_login_reaches_home(
    demo: None, page: Any, live_server: Any, login: Any, email: str, role: str, menu: str
) -> None:
    login(page, email, PASSWORD)
    assert page.locator("h1").inner_text().startswith("Welkom")
    assert role in page.locator("#roles-h + ul").inner_text()
    assert menu in page.locator("nav.main-nav").inner_text()


MAIN_PAGES = [
    ("anonymous", "/account/inloggen/"),
    ("anonymous", "/account/wachtwoord-vergeten/"),
    ("docent@dehef.demo", "/"),
    ("docent@dehef.demo", "/organisaties/"),
    ("docent@dehef.demo", "/organisaties/leerlingen/"),
    ("docent@dehef.demo", "/berichten/"),
    ("docent@dehef.demo", "/kennisbank/?q=zonnepanelen"),
    ("programma@techtown.demo", "/monitoring/"),
    ("programma@techtown.demo", "/monitoring/begroting/"),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violations(
    demo: None, page: Any, live_server: Any, login: Any, axe: Any
) -> None:
    from maakstad.organisations.models import Organisation

    pages = [
        *MAIN_PAGES,
        ("docent@dehef.demo", f"/organisaties/{Organisation.objects.get(name='Lomans').pk}/"),
    ]
    current = None
    problems = {}
    for who, path in sorted(pages, key=lambda p: p[0]):
        if who != current:
            page.context.clear_cookies()
            if who != "anonymous":
                login(page, who, PASSWORD)
            current = who
        page.goto(f"{live_server.url}{path}")
        violations = axe(page)
        if violations:
            problems[path] = [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_is_throttled_with_a_dutch_message(demo: None, page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/account/inloggen/")
    for attempt in range(6):
        page.fill("#id_username", "docent@dehef.demo")
        page.fill("#id_password", "fout-wachtwoord")
        with page.expect_navigation():
            page.click("#main button[type=submit]")
        expected = "horen niet bij elkaar" if attempt < 5 else "Te veel mislukte pogingen"
        assert expected in page.content(), attempt
    # Even the right password is refused while locked.
    page.fill("#id_username", "docent@dehef.demo")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#main button[type=submit]")
    assert "Te veel mislukte pogingen" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_language_switch_to_english(demo: None, page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/account/inloggen/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.select_option("#lang-select", "en")
    page.click(".lang-switch button")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in"
    assert "Forgot your password?" in page.content()
