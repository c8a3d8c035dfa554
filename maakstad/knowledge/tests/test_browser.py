"""A PDF in the kennisbank opens in Chromium's PDF viewer from the resource page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maakstad.knowledge import services
from maakstad.knowledge.testing import make_resource

# A one-page PDF (200 x 200 points), small but complete enough for PDFium.
PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj
trailer<</Root 1 0 R>>
%%EOF
"""
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"
# The viewer's content frame sizes #sizer to the document once PDFium has laid out its pages.
RENDERED = """() => {
  const embed = document.querySelector('embed[type="application/x-google-chrome-pdf"]');
  const sizer = document.getElementById('sizer');
  return Boolean(embed && sizer && parseInt(sizer.style.width, 10) > 0);
}"""


def _rendered(page: Any) -> bool:
    for frame in page.frames:
        try:
            if frame.evaluate(RENDERED):
                return True
        except Exception:
            continue
    return False


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pdf_preview_renders_in_chromiums_pdf_viewer(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    resource = make_resource(world)
    upload = SimpleUploadedFile("les.pdf", PDF, content_type="application/pdf")
    item = services.resource_file_add(
        resource=resource, upload=upload, actor=world.user("teacher_a")
    )
    login(page, "docent@b.test")
    page.goto(f"{live_server.url}{reverse('knowledge:detail', args=[resource.pk])}")
    with page.context.expect_page() as opened:
        page.click("text=bekijken")
    preview = opened.value
    preview.wait_for_load_state("domcontentloaded")
    assert preview.url.endswith(
        f"{reverse('knowledge:file', args=[resource.pk, item.pk])}?bekijk=1"
    )
    for _attempt in range(100):
        if _rendered(preview):
            break
        preview.wait_for_timeout(100)
    assert any(frame.url.startswith(PDF_VIEWER) for frame in preview.frames)
    assert _rendered(preview), [frame.url for frame in preview.frames]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_finds_material_in_the_search_box_and_links_it(
    world: Any, page: Any, live_server: Any, login: Any, axe: Any
) -> None:
    from maakstad.bookings.testing import scheduled_offer
    from maakstad.knowledge.testing import make_many_resources

    offer = scheduled_offer(world.company)
    make_many_resources(world, 60)
    wanted = make_resource(world, title="Wat doet een windturbine?")
    login(page, "contact@c.test")
    page.goto(f"{live_server.url}{reverse('knowledge:offer_materials', args=[offer.pk])}")
    page.wait_for_selector("#zoek-preparation")
    # Nothing chosen yet, and the 61 resources are not on the page.
    assert page.locator("#materials-form input[type=checkbox]").count() == 0
    assert axe(page) == []

    page.fill("#zoek-preparation", "windturbine")
    hit = f'#keuze-preparation input[name="preparation"][value="{wanted.pk}"]'
    page.wait_for_selector(hit)
    assert "1 treffer" in page.inner_text("#keuze-preparation")
    assert axe(page) == []
    page.check(hit)
    # A new search keeps the ticked hit: it moves to the chosen ones, still ticked.
    page.fill("#zoek-preparation", "lesbrief")
    page.wait_for_selector(f'#keuze-preparation [data-chosen] input[value="{wanted.pk}"]:checked')
    page.wait_for_selector("#keuze-preparation [data-hits]")
    assert "De eerste 20" in page.inner_text("#keuze-preparation")
    page.click("#materials-form button[type=submit] >> text=Opslaan")

    page.wait_for_url(f"{live_server.url}{reverse('catalogue:detail', args=[offer.pk])}")
    link = page.wait_for_selector(f'a[href="{reverse("knowledge:detail", args=[wanted.pk])}"]')
    assert link.inner_text() == "Wat doet een windturbine?"
    assert offer.material_links.get().resource_id == wanted.pk
