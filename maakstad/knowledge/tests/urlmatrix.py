from maakstad.core.testing.matrix import DENIED, LOGIN, OK, REDIRECT, Outcomes, expect
from maakstad.core.testing.world import World
from maakstad.knowledge.models import ResourceStatus
from maakstad.knowledge.testing import make_resource

STAFF: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": OK,
    "teacher_b": OK,
    "company": OK,
    "programme": OK,
}


def _published(w: World) -> dict[str, int]:
    return {"pk": make_resource(w).pk}


def _draft(w: World) -> dict[str, int]:
    return {"pk": make_resource(w, status=ResourceStatus.DRAFT).pk}


def _file(w: World) -> dict[str, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maakstad.knowledge import services

    resource = make_resource(w, status=ResourceStatus.DRAFT)
    upload = SimpleUploadedFile("les.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    item = services.resource_file_add(resource=resource, upload=upload, actor=w.user("teacher_a"))
    return {"pk": resource.pk, "file_pk": item.pk}


def _suggestion(w: World) -> dict[str, int]:
    from maakstad.knowledge import services

    resource = make_resource(w)
    suggestion = services.suggestion_create(
        resource=resource, text="Voeg een werkblad toe.", actor=w.user("teacher_b")
    )
    return {"pk": resource.pk, "suggestion_pk": suggestion.pk}


def _collection(w: World) -> dict[str, int]:
    from maakstad.knowledge.models import Collection

    return {"pk": Collection.objects.create(region=w.region, title="Leskist").pk}


POST_EDIT: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": REDIRECT,
    "teacher_b": DENIED,
    "company": DENIED,
    "programme": REDIRECT,
}


def _offer(w: World) -> dict[str, int]:
    from maakstad.catalogue.testing import OfferFactory

    return {"pk": OfferFactory.create(provider=w.company, location=w.company.locations.first()).pk}


EXPECTATIONS = {
    # The offer's provider and the programme office link material to an offer.
    "knowledge:offer_materials": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=OK,
        programme=OK,
        kwargs=_offer,
    ),
    # Its search box (htmx): the same people, the same offer.
    "knowledge:offer_materials_search": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=DENIED,
        teacher_b=DENIED,
        company=OK,
        programme=OK,
        kwargs=_offer,
        query="veld=preparation&zoek_preparation=zonnepaneel",
        setup=make_resource,
    ),
    "knowledge:list": expect(**STAFF),
    "knowledge:create": expect(**STAFF),
    "knowledge:collections": expect(**STAFF),
    "knowledge:collection": expect(**STAFF, kwargs=_collection),
    "knowledge:detail": expect(**STAFF, kwargs=_published),
    # Drafts: the author's school and the programme office only.
    "knowledge:edit": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
        kwargs=_draft,
    ),
    "knowledge:file": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=OK,
        kwargs=_file,
    ),
    "knowledge:status": expect(
        **POST_EDIT, kwargs=_draft, method="post", data=lambda w: {"status": "published"}
    ),
    "knowledge:file_upload": expect(**POST_EDIT, kwargs=_draft, method="post"),
    "knowledge:file_delete": expect(**POST_EDIT, kwargs=_file, method="post"),
    "knowledge:suggestion_resolve": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=DENIED,
        company=DENIED,
        programme=REDIRECT,
        kwargs=_suggestion,
        method="post",
    ),
    "knowledge:usage": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=REDIRECT,
        programme=REDIRECT,
        kwargs=_published,
        method="post",
    ),
    "knowledge:review": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=REDIRECT,
        programme=REDIRECT,
        kwargs=_published,
        method="post",
    ),
    "knowledge:suggest": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=REDIRECT,
        programme=REDIRECT,
        kwargs=_published,
        method="post",
    ),
}
