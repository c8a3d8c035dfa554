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
