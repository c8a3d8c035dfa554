from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from maakstad.catalogue import activity_types as codes
from maakstad.catalogue.models import ActivityType, Offer, OfferStatus
from maakstad.catalogue.selectors import bounding_box, haversine_km
from maakstad.catalogue.testing import OfferFactory
from maakstad.core.testing.factories import LocationFactory, OrganisationFactory
from maakstad.organisations.models import OrganisationKind, Term

pytestmark = pytest.mark.django_db


def _offer_at(world: Any, lat: str, lon: str, **kwargs: Any) -> Offer:
    provider = kwargs.pop("provider", None) or OrganisationFactory.create(
        region=world.region, kind=OrganisationKind.COMPANY
    )
    location = LocationFactory.create(
        organisation=provider, latitude=Decimal(lat), longitude=Decimal(lon)
    )
    return OfferFactory.create(provider=provider, location=location, **kwargs)


def _ids(response: Any) -> list[int]:
    return [o.pk for o in response.context["result"].page]


def test_haversine_and_box() -> None:
    # Rotterdam Centraal to Den Haag Centraal is about 20 km as the crow flies.
    d = haversine_km(51.9244, 4.4690, 52.0802, 4.3247)
    assert 19.5 < d < 20.5
    lat_min, lat_max, lon_min, lon_max = bounding_box(51.92, 4.48, 10)
    assert lat_min < 51.84 and lat_max > 52.0 and lon_min < 4.34 and lon_max > 4.62
    # Every point within 10 km lies in the box.
    assert haversine_km(51.92, 4.48, 51.92, lon_min) >= 10


def test_filters_profile_distance_and_sort(client: Any, world: Any, types: Any) -> None:
    school_location = world.school_a.locations.get()  # 51.92, 4.48
    pie = Term.objects.profiles().get(code="PIE")
    bwi = Term.objects.profiles().get(code="BWI")
    near_pie = _offer_at(world, "51.930000", "4.490000", title="Dichtbij PIE")
    near_pie.profiles.set([pie])
    far_pie = _offer_at(world, "52.080000", "4.320000", title="Den Haag PIE")
    far_pie.profiles.set([pie])
    near_bwi = _offer_at(world, "51.925000", "4.485000", title="Dichtbij BWI")
    near_bwi.profiles.set([bwi])
    open_to_all = _offer_at(world, "51.950000", "4.500000", title="Voor iedereen")
    client.force_login(world.user("teacher_a"))
    url = reverse("catalogue:menukaart")
    response = client.get(url, {"profiel": "PIE"})
    assert set(_ids(response)) == {near_pie.pk, far_pie.pk, open_to_all.pk}
    response = client.get(
        url, {"profiel": "PIE", "vanaf": school_location.pk, "km": "10", "sorteer": "afstand"}
    )
    assert _ids(response) == [near_pie.pk, open_to_all.pk]
    assert b"km" in response.content
    data = json.loads(
        client.get(
            reverse("catalogue:geojson"),
            {"profiel": "PIE", "vanaf": school_location.pk, "km": "10"},
        ).content
    )
    assert {f["id"] for f in data["features"]} == {near_pie.pk, open_to_all.pk}


def test_other_filters(client: Any, world: Any, types: Any) -> None:
    gastles = types[codes.GASTLES]
    a = _offer_at(
        world,
        "51.9",
        "4.4",
        activity_type=gastles,
        weekdays_mask=0b10,
        insurance_required=True,
        is_programme_offer=True,
        school_kinds_mask=0b100,
        leerjaren_mask=1 << 3,
    )
    b = _offer_at(
        world,
        "51.9",
        "4.4",
        activity_type=types[codes.WORKSHOP],
        cost_unit="per_pupil",
        cost_amount=Decimal("10"),
        own_contribution_amount=Decimal("5"),
        title="Drone bouwen",
    )
    c = _offer_at(
        world, "51.9", "4.4", provider=world.mbo, activity_type=types[codes.PROEFSTUDEREN_MBO]
    )
    energie = Term.objects.themes().first()
    assert energie is not None
    b.themes.set([energie])
    client.force_login(world.user("teacher_a"))
    url = reverse("catalogue:menukaart")
    assert set(_ids(client.get(url, {"soort": "gastles"}))) == {a.pk}
    assert set(_ids(client.get(url, {"weekdag": "1"}))) == {a.pk, b.pk, c.pk}  # 0 = any day
    assert set(_ids(client.get(url, {"verzekering": "ja"}))) == {a.pk}
    assert set(_ids(client.get(url, {"techtown": "1"}))) == {a.pk}
    assert set(_ids(client.get(url, {"kosten": "betaald"}))) == {b.pk}
    assert set(_ids(client.get(url, {"thema": energie.code}))) == {b.pk}
    assert set(_ids(client.get(url, {"q": "drone"}))) == {b.pk}
    assert set(_ids(client.get(url, {"schoolsoort": "pro"}))) == {a.pk, b.pk, c.pk}
    assert set(_ids(client.get(url, {"schoolsoort": "vso"}))) == {b.pk, c.pk}
    assert set(_ids(client.get(url, {"leerjaar": "2"}))) == {b.pk, c.pk}
    assert set(_ids(client.get(url, {"aanbieder": "mbo"}))) == {c.pk}
    # The mbo menukaart preselects mbo providers.
    response = client.get(reverse("catalogue:menukaart_mbo"))
    assert set(_ids(response)) == {c.pk}
    assert b'value="mbo" checked' in response.content


def test_stale_offers_sink_and_carry_a_badge(client: Any, world: Any, settings: Any) -> None:
    settings.MAAKSTAD_STALE_AFTER_DAYS = 30
    old = _offer_at(
        world,
        "51.9",
        "4.4",
        title="Oud aanbod",
        confirmed_at=timezone.now() - dt.timedelta(days=60),
        published_at=timezone.now(),
    )
    fresh = _offer_at(
        world,
        "51.9",
        "4.4",
        title="Vers aanbod",
        published_at=timezone.now() - dt.timedelta(days=10),
    )
    client.force_login(world.user("teacher_a"))
    response = client.get(reverse("catalogue:menukaart"))
    assert _ids(response) == [fresh.pk, old.pk]
    assert "mogelijk verouderd" in response.content.decode()


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"vanaf": "x", "km": "25", "sorteer": "afstand"},
        {"leerlingen": "25", "duur": "120", "zonder-begeleiding": "1"},
        {"beschikbaar-vanaf": "2020-01-01"},
    ],
)
def test_query_count_does_not_grow(
    client: Any, world: Any, django_assert_num_queries: Any, extra: dict[str, str]
) -> None:
    client.force_login(world.user("teacher_a"))
    params = {**extra}
    if "vanaf" in params:
        params["vanaf"] = str(world.school_a.locations.get().pk)
    pie = Term.objects.profiles().get(code="PIE")

    def make(n: int) -> None:
        for _ in range(n):
            offer = _offer_at(
                world,
                "51.93",
                "4.49",
                min_pupils=10,
                max_pupils=30,
                duration_minutes=90,
                supervision_required=False,
            )
            offer.profiles.set([pie])
            offer.worlds.set(Term.objects.worlds()[:2])

    make(2)
    client.get(reverse("catalogue:menukaart"), params)
    # ... 12 and the upcoming specific dates of the offers on the page.
    with django_assert_num_queries(13) as small:
        client.get(reverse("catalogue:menukaart"), params)
    make(20)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("catalogue:menukaart"), params)
    assert len(response.context["result"].page) == 20
    # session, user, memberships, term lookup, (origin location,) the features.
    with django_assert_num_queries(6 if "vanaf" in params else 5):
        client.get(reverse("catalogue:geojson"), {**params, "profiel": "PIE"})


def test_htmx_returns_only_the_results(client: Any, world: Any) -> None:
    _offer_at(world, "51.9", "4.4", title="Lassen")
    client.force_login(world.user("teacher_a"))
    response = client.get(reverse("catalogue:menukaart"), {"q": "lassen"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="mk-results"' in body and "<html" not in body and "Lassen" in body
    assert 'data-geojson="/menukaart/kaart.geojson?q=lassen"' in body


def test_scripts_in_descriptions_are_never_rendered(client: Any, world: Any) -> None:
    offer = _offer_at(
        world,
        "51.9",
        "4.4",
        title="<script>alert(1)</script>Les",
        summary="<img src=x onerror=alert(2)>",
        description="**Vet** <script>alert(3)</script> [x](javascript:alert(4))",
        pupil_activities="<iframe src='https://evil.example'></iframe>",
    )
    client.force_login(world.user("teacher_b"))
    for response in (
        client.get(reverse("catalogue:detail", args=[offer.pk])),
        client.get(reverse("catalogue:menukaart")),
    ):
        body = response.content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "<iframe" not in body
        assert "javascript:alert" not in body
    assert (
        "<strong>Vet</strong>"
        in client.get(reverse("catalogue:detail", args=[offer.pk])).content.decode()
    )


def test_detail_shows_conditions_contact_and_materials(client: Any, world: Any, types: Any) -> None:
    from maakstad.knowledge.models import OfferMaterial
    from maakstad.knowledge.testing import make_resource

    offer = _offer_at(
        world,
        "51.9",
        "4.4",
        activity_type=types[codes.BEDRIJFSBEZOEK],
        min_pupils=8,
        max_pupils=24,
        travel_notes="Metro Zuidplein",
    )
    resource = make_resource(world)
    OfferMaterial.objects.create(offer=offer, resource=resource, role="preparation")
    client.force_login(world.user("teacher_a"))
    body = client.get(reverse("catalogue:detail", args=[offer.pk])).content.decode()
    assert "8 – 24" in body and "Metro Zuidplein" in body and resource.title in body
    assert 'id="org-map"' in body
    # Material that is archived later is no longer listed.
    from maakstad.knowledge import services as knowledge_services

    knowledge_services.resource_set_status(
        resource=resource, status="archived", actor=world.user("teacher_a")
    )
    body = client.get(reverse("catalogue:detail", args=[offer.pk])).content.decode()
    assert resource.title not in body


def test_draft_hidden_from_schools(client: Any, world: Any) -> None:
    draft = OfferFactory.create(provider=world.company, status=OfferStatus.DRAFT)
    client.force_login(world.user("teacher_a"))
    assert client.get(reverse("catalogue:detail", args=[draft.pk])).status_code == 404


def test_provider_creates_offer_through_the_form(client: Any, world: Any, types: Any) -> None:
    client.force_login(world.user("company"))
    location = world.company.locations.get()
    data = {
        "provider": world.company.pk,
        "activity_type": types[codes.GASTLES].pk,
        "location": location.pk,
        "title": "Gastles installatietechniek",
        "min_pupils": "20",
        "max_pupils": "10",
        "booking_mode": "on_request",
        "cost_unit": "free",
        "cost_amount": "0",
        "own_contribution_amount": "0",
        "supervision_required": "on",
    }
    response = client.post(reverse("catalogue:create"), data)
    assert response.status_code == 400
    assert "niet kleiner zijn dan het minimum" in response.content.decode()
    data["max_pupils"] = "30"
    response = client.post(reverse("catalogue:create"), data)
    offer = Offer.objects.get(title="Gastles installatietechniek")
    assert response.status_code == 302 and offer.status == OfferStatus.DRAFT
    client.post(reverse("catalogue:status", args=[offer.pk]), {"actie": "publiceren"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    assert "Gastles installatietechniek" in client.get(reverse("catalogue:mine")).content.decode()


def test_activity_type_page_lists_definitions(client: Any, world: Any, types: Any) -> None:
    client.force_login(world.user("teacher_a"))
    body = client.get(reverse("catalogue:activity_types")).content.decode()
    assert "Bliksemstage" in body and "doe-elementen" in body
    assert ActivityType.objects.count() == 13


def test_programme_office_marks_techtown_offers(client: Any, world: Any) -> None:
    offer = OfferFactory.create(provider=world.company)
    url = reverse("catalogue:status", args=[offer.pk])
    client.force_login(world.user("company"))
    assert client.post(url, {"actie": "techtown", "waarde": "1"}).status_code == 403
    client.force_login(world.user("programme"))
    assert client.post(url, {"actie": "techtown", "waarde": "1"}).status_code == 302
    offer.refresh_from_db()
    assert offer.is_programme_offer
    response = client.get(reverse("catalogue:menukaart"), {"techtown": "1"})
    assert _ids(response) == [offer.pk]


def test_programme_office_edits_activity_types(client: Any, world: Any, types: Any) -> None:
    item = types[codes.BLIKSEMSTAGE]
    client.force_login(world.user("programme"))
    response = client.post(
        reverse("catalogue:activity_type_edit", args=[item.pk]),
        {"name": "Bliksemstage (JINC)", "definition": "Halve dag doen.", "is_active": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "Bliksemstage (JINC)" and item.definition == "Halve dag doen."
    response = client.post(
        reverse("catalogue:activity_type_create"),
        {"code": "hackathon", "name": "Hackathon", "is_active": "on"},
    )
    assert response.status_code == 302
    assert ActivityType.objects.filter(region=world.region, code="hackathon").exists()
    response = client.post(
        reverse("catalogue:activity_type_create"), {"code": "hackathon", "name": "Nog een"}
    )
    assert response.status_code == 200 and "bestaat al" in response.content.decode()


def test_mbo_staff_publish_the_mbo_menukaart(client: Any, world: Any, types: Any) -> None:
    from maakstad.core.testing.factories import MembershipFactory, UserFactory
    from maakstad.organisations.models import Role

    staff = UserFactory.create(email="staf@mbo.test")
    MembershipFactory.create(user=staff, organisation=world.mbo, role=Role.MBO_STAFF)
    client.force_login(staff)
    response = client.post(
        reverse("catalogue:create"),
        {
            "provider": world.mbo.pk,
            "activity_type": types[codes.PROEFSTUDEREN_MBO].pk,
            "title": "Proefstuderen installatietechniek",
            "booking_mode": "scheduled",
            "cost_unit": "free",
            "cost_amount": "0",
            "own_contribution_amount": "0",
            "school_kinds": ["vmbo", "pro"],
            "leerjaren": ["3", "4"],
            "weekdays": ["2"],
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(title="Proefstuderen installatietechniek")
    assert offer.school_kinds == ["vmbo", "pro"] and offer.leerjaren == [3, 4]
    assert offer.weekdays == [2] and offer.location == world.mbo.locations.first()
    # A company contact cannot publish for the mbo college.
    client.force_login(world.user("company"))
    response = client.post(
        reverse("catalogue:create"),
        {"provider": world.mbo.pk, "activity_type": types[codes.WORKSHOP].pk, "title": "x"},
    )
    assert response.status_code == 400
    assert not Offer.objects.filter(title="x").exists()


def test_group_size_duration_and_supervision_filters(client: Any, world: Any) -> None:
    small = _offer_at(world, "51.9", "4.4", min_pupils=5, max_pupils=15, duration_minutes=60)
    large = _offer_at(
        world,
        "51.9",
        "4.4",
        min_pupils=20,
        max_pupils=32,
        duration_minutes=240,
        supervision_required=False,
    )
    open_ended = _offer_at(
        world, "51.9", "4.4", min_pupils=None, max_pupils=None, duration_minutes=None
    )
    client.force_login(world.user("teacher_a"))
    url = reverse("catalogue:menukaart")
    # A class of N fits when min <= N <= max (no bound = no limit on that side).
    assert set(_ids(client.get(url, {"leerlingen": "12"}))) == {small.pk, open_ended.pk}
    assert set(_ids(client.get(url, {"leerlingen": "15"}))) == {small.pk, open_ended.pk}
    assert set(_ids(client.get(url, {"leerlingen": "20"}))) == {large.pk, open_ended.pk}
    assert set(_ids(client.get(url, {"leerlingen": "40"}))) == {open_ended.pk}
    assert set(_ids(client.get(url, {"leerlingen": "abc"}))) == {
        small.pk,
        large.pk,
        open_ended.pk,
    }
    # Duration: at most this long; offers without a known duration are left out.
    assert set(_ids(client.get(url, {"duur": "120"}))) == {small.pk}
    assert set(_ids(client.get(url, {"duur": "240"}))) == {small.pk, large.pk}
    assert set(_ids(client.get(url, {"zonder-begeleiding": "1"}))) == {large.pk}
    page = client.get(url, {"leerlingen": "20", "zonder-begeleiding": "1"})
    assert _ids(page) == [large.pk]
    body = page.content.decode()
    assert 'name="leerlingen"' in body and 'value="20"' in body and 'name="duur"' in body
