"""Offers link preparation and follow-up material; a booking shows it to the teacher."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maakstad.bookings.testing import book_class, scheduled_offer
from maakstad.core.models import AuditEntry
from maakstad.knowledge import services
from maakstad.knowledge.models import OfferMaterial, ResourceStatus
from maakstad.knowledge.testing import make_resource


@pytest.mark.django_db
def test_provider_links_material_and_the_booking_shows_it_to_the_teacher(world, client) -> None:
    prep = make_resource(world, title="Wat doet een windturbine?")
    after = make_resource(world, title="Verslag van het bedrijfsbezoek")
    draft = make_resource(world, title="Geheim concept", status=ResourceStatus.DRAFT)
    offer = scheduled_offer(world.company)
    url = reverse("knowledge:offer_materials", args=[offer.pk])

    client.force_login(world.user("company"))
    page = client.get(url)
    assert page.status_code == 200
    # Only published material can be chosen.
    assert "Wat doet een windturbine?" in page.text and "Geheim concept" not in page.text
    refused = client.post(url, {"preparation": [draft.pk]})
    assert refused.status_code == 200 and not OfferMaterial.objects.filter(offer=offer).exists()
    response = client.post(url, {"preparation": [prep.pk], "follow_up": [after.pk]})
    assert response.status_code == 302
    assert set(OfferMaterial.objects.filter(offer=offer).values_list("resource_id", "role")) == {
        (prep.pk, "preparation"),
        (after.pk, "follow_up"),
    }
    assert AuditEntry.objects.filter(action="offer.materials_set").exists()
    # The offer page links to the chooser for its provider.
    assert url in client.get(reverse("catalogue:detail", args=[offer.pk])).text

    booking = book_class(world, offer=offer)
    client.force_login(world.user("teacher_a"))
    detail = client.get(reverse("bookings:detail", args=[booking.pk]))
    assert "Lesmateriaal bij dit aanbod" in detail.text
    assert reverse("knowledge:detail", args=[prep.pk]) in detail.text
    assert reverse("knowledge:detail", args=[after.pk]) in detail.text
    # Teachers do not choose the provider's material.
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_programme_office_may_link_but_not_material_of_another_region(world) -> None:
    from maakstad.core.testing.factories import RegionFactory

    offer = scheduled_offer(world.company)
    resource = make_resource(world)
    services.offer_materials_set(
        offer=offer, preparation=[resource], follow_up=[], actor=world.user("programme")
    )
    assert offer.material_links.count() == 1
    resource.region = RegionFactory.create(slug="elders", name="Elders")
    with pytest.raises(ValidationError):
        services.offer_materials_set(
            offer=offer, preparation=[], follow_up=[resource], actor=world.user("programme")
        )
    assert offer.material_links.count() == 1
