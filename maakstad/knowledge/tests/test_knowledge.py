import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maakstad.knowledge import selectors, services
from maakstad.knowledge.models import ResourceStatus, Tool, Usage
from maakstad.knowledge.selectors import Filters
from maakstad.knowledge.testing import make_resource
from maakstad.organisations.models import Term


def _filters(**kwargs):
    return Filters(**kwargs)


@pytest.mark.django_db
def test_dutch_search_finds_words_ranks_title_first_and_highlights_safely(world) -> None:
    energy = Term.objects.worlds().get(code="energie-water-veiligheid")
    make_resource(
        world,
        title="Windmolens ontwerpen",
        summary="Een windmolen van karton.",
        body="Over windenergie.",
    )
    best = make_resource(
        world,
        title="Zonnepanelen op het schooldak",
        summary="Rekenen aan zonnepanelen.",
        body="<script>alert(1)</script> Hoeveel zonnepanelen passen er op het dak?",
        worlds=[energy],
    )
    make_resource(world, title="Brood bakken", summary="Deeg kneden.", body="Gist laat het rijzen.")
    result = selectors.search_resources(world.user("teacher_b"), _filters(q="zonnepanelen"))
    assert [r.title for r in result.page] == ["Zonnepanelen op het schooldak"]
    snippet = result.snippets[best.pk]
    assert "<mark>" in snippet and "<script>" not in snippet
    # Facets count over the filtered set.
    assert result.facets["worlds"] == [{"value": energy.pk, "label": energy.name, "count": 1}]
    # A facet filter alone, and sorting by newest.
    by_world = selectors.search_resources(
        world.user("teacher_b"), _filters(terms={"worlds": [energy.pk]})
    )
    assert by_world.total == 1
    newest = selectors.search_resources(world.user("teacher_b"), _filters(sort="newest"))
    assert newest.page[0].title == "Brood bakken"
    # Nothing for words that do not occur; FTS syntax in input is harmless.
    assert selectors.search_resources(world.user("teacher_b"), _filters(q="raket")).total == 0
    assert selectors.search_resources(world.user("teacher_b"), _filters(q='"zon* OR (')).total >= 0


@pytest.mark.django_db
def test_search_index_follows_edits(world) -> None:
    resource = make_resource(world, title="Robotarm", summary="Een robotarm bouwen.")
    services.resource_update(
        resource=resource,
        values={"title": "Grijparm van hout"},
        note="titel",
        actor=world.user("teacher_a"),
    )
    assert selectors.search_resources(world.user("teacher_a"), _filters(q="grijparm")).total == 1
    assert (
        selectors.search_resources(world.user("teacher_a"), _filters(q="robotarm")).total == 1
    )  # summary
    resource.refresh_from_db()
    assert resource.version == 2
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]


@pytest.mark.django_db
def test_drafts_and_their_files_are_private(world, client) -> None:
    draft = make_resource(world, title="Geheim concept", status=ResourceStatus.DRAFT)
    upload = SimpleUploadedFile("les.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    item = services.resource_file_add(resource=draft, upload=upload, actor=world.user("teacher_a"))
    url = reverse("knowledge:file", args=[draft.pk, item.pk])
    for role, status in (
        ("teacher_b", 404),
        ("company", 404),
        ("teacher_a", 200),
        ("programme", 200),
    ):
        client.force_login(world.user(role))
        assert client.get(url).status_code == status, role
    assert selectors.search_resources(world.user("teacher_b"), _filters(q="geheim")).total == 0
    client.force_login(world.user("teacher_a"))
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    inline = client.get(url + "?bekijk=1")
    assert inline["Content-Disposition"].startswith("inline")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "niet toegestaan"),
        ("nep.pdf", b"<html><script>alert(1)</script>", "past niet bij de extensie .pdf"),
        ("nep.docx", b"%PDF-1.4", "past niet bij de extensie .docx"),
        ("leeg.png", b"", "leeg"),
    ],
)
def test_rejected_uploads(world, name, content, message) -> None:
    resource = make_resource(world)
    with pytest.raises(ValidationError) as error:
        services.resource_file_add(
            resource=resource,
            upload=SimpleUploadedFile(name, content),
            actor=world.user("teacher_a"),
        )
    assert message in " ".join(error.value.messages)
    assert not resource.files.exists()


@pytest.mark.django_db
def test_too_large_upload_and_accepted_office_file(world, settings) -> None:
    settings.MAAKSTAD_KNOWLEDGE_MAX_UPLOAD_MB = 1
    resource = make_resource(world)
    big = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="te groot"):
        services.resource_file_add(resource=resource, upload=big, actor=world.user("teacher_a"))
    item = services.resource_file_add(
        resource=resource,
        upload=SimpleUploadedFile("werkblad.docx", _docx()),
        actor=world.user("teacher_a"),
    )
    assert item.content_type.endswith("wordprocessingml.document")
    assert item.original_name == "werkblad.docx"
    assert "werkblad" not in str(item.file.name)


@pytest.mark.django_db
def test_usage_is_recorded_for_own_school_only(world) -> None:
    resource = make_resource(world)
    teacher = world.user("teacher_a")
    services.usage_record(
        resource=resource,
        school=world.school_a,
        leerjaar=1,
        groep=None,
        used_on=dt.date.today(),
        actor=teacher,
    )
    with pytest.raises(ValidationError):
        services.usage_record(
            resource=resource,
            school=world.school_b,
            leerjaar=1,
            groep=None,
            used_on=dt.date.today(),
            actor=teacher,
        )
    with pytest.raises(ValidationError):
        services.usage_record(
            resource=resource,
            school=world.school_a,
            leerjaar=None,
            groep=None,
            used_on=dt.date.today(),
            actor=teacher,
        )
    assert Usage.objects.get().leerjaar == 1


@pytest.mark.django_db
def test_validation_and_publishing_rights(world) -> None:
    with pytest.raises(ValidationError) as error:
        make_resource(world, title="", summary="", kind="link")
    assert set(error.value.message_dict) == {"title", "summary", "url"}
    draft = make_resource(world, status=ResourceStatus.DRAFT)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.resource_set_status(
            resource=draft, status="published", actor=world.user("teacher_b")
        )
    services.resource_set_status(resource=draft, status="published", actor=world.user("programme"))


@pytest.mark.django_db
def test_list_page_query_count_and_htmx_partial(
    world, client, django_assert_max_num_queries
) -> None:
    tool = Tool.objects.create(name="micro:bit")
    for i in range(25):
        make_resource(world, title=f"Les {i} zonnecel", tools=[tool])
    client.force_login(world.user("teacher_b"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("knowledge:list"), {"q": "zonnecel", "tools": tool.pk})
    assert response.status_code == 200
    assert "25 resultaten" in response.content.decode()
    partial = client.get(
        reverse("knowledge:list"), {"q": "zonnecel"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.content.decode() and "kb-results" in partial.content.decode()


@pytest.mark.django_db
def test_files_go_through_the_configured_storage(world, client, settings, tmp_path) -> None:
    """Object storage in production: nothing may assume files live on the local disk."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    resource = make_resource(world)
    upload = SimpleUploadedFile("les.pdf", b"%PDF-1.4 in het geheugen")
    item = services.resource_file_add(
        resource=resource, upload=upload, actor=world.user("teacher_a")
    )
    assert not any(tmp_path.iterdir())
    client.force_login(world.user("teacher_a"))
    response = client.get(reverse("knowledge:file", args=[resource.pk, item.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 in het geheugen"
