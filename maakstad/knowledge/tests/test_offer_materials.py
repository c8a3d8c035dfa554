"""Offers link preparation and follow-up material; a booking shows it to the teacher."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maakstad.bookings.testing import book_class, scheduled_offer
from maakstad.core.models import AuditEntry
from maakstad.knowledge import services
from maakstad.knowledge.models import OfferMaterial, ResourceStatus
from maakstad.knowledge.testing import make_many_resources, make_resource


@pytest.mark.django_db
def test_provider_links_material_and_the_booking_shows_it_to_the_teacher(world, client) -> None:
    prep = make_resource(world, title="Wat doet een windturbine?")
    after = make_resource(world, title="Verslag van het bedrijfsbezoek")
    draft = make_resource(world, title="Geheim concept", status=ResourceStatus.DRAFT)
    offer = scheduled_offer(world.company)
    url = reverse("knowledge:offer_materials", args=[offer.pk])

    client.force_login(world.user("company"))
    assert client.get(url).status_code == 200
    # Only published material can be found and chosen.
    found = client.get(url, {"zoek_preparation": "windturbine", "zoek_follow_up": "geheim"})
    assert "Wat doet een windturbine?" in found.text and "Geheim concept" not in found.text
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


def _search(client, offer, text: str, field: str = "preparation", chosen=()):  # type: ignore[no-untyped-def]
    return client.get(
        reverse("knowledge:offer_materials_search", args=[offer.pk]),
        {"veld": field, f"zoek_{field}": text, field: list(chosen)},
        headers={"HX-Request": "true"},
    )


@pytest.mark.django_db
def test_search_box_finds_at_most_twenty_visible_published_resources(world, client) -> None:
    from maakstad.core.testing.factories import RegionFactory

    offer = scheduled_offer(world.company)
    hits = make_many_resources(world, 25, title="Windturbine bouwen {i}")
    make_resource(world, title="Windturbine concept", status=ResourceStatus.DRAFT)
    make_many_resources(
        world, 1, title="Windturbine elders", region=RegionFactory.create(slug="elders")
    )
    client.force_login(world.user("company"))

    response = _search(client, offer, "windturbine", chosen=[hits[0].pk])
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    # The chosen one stays ticked and is not offered again; of the other 24 matches, 20 are shown.
    assert html.count(f'value="{hits[0].pk}" checked') == 1
    assert html.count('<input type="checkbox" name="preparation"') == 21
    assert "24 treffers" in html and "De eerste 20" in html
    assert "Windturbine concept" not in html and "Windturbine elders" not in html

    narrow = _search(client, offer, "windturbine bouwen 17", field="follow_up")
    assert f'name="follow_up" value="{hits[17].pk}"' in narrow.text
    assert "De eerste 20" not in narrow.text
    assert "Niets gevonden" in _search(client, offer, "kernfusie").text
    bad_field = client.get(
        reverse("knowledge:offer_materials_search", args=[offer.pk]), {"veld": "titel"}
    )
    assert bad_field.status_code == 404

    # Teachers may not choose the provider's material, so they may not search for it here either.
    client.force_login(world.user("teacher_a"))
    assert _search(client, offer, "windturbine").status_code == 403


@pytest.mark.django_db
def test_page_does_not_list_the_whole_kennisbank(
    world, client, django_assert_max_num_queries
) -> None:
    offer = scheduled_offer(world.company)
    resources = make_many_resources(world, 300)
    services.offer_materials_set(
        offer=offer,
        preparation=resources[:2],
        follow_up=resources[2:3],
        actor=world.user("company"),
    )
    url = reverse("knowledge:offer_materials", args=[offer.pk])
    client.force_login(world.user("company"))
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.text
    assert page.status_code == 200
    # The three linked resources, ticked; none of the other 297.
    assert html.count("Samenvatting") == 0 and html.count('type="checkbox"') == 3
    assert all(f"Lesbrief {i}<" not in html for i in range(3, 300))
    assert f'name="follow_up" value="{resources[2].pk}" checked' in html
    with django_assert_max_num_queries(15):
        searched = client.get(url, {"zoek_preparation": "lesbrief"})
    assert searched.text.count('name="preparation"') == 2 + 20  # chosen, hits
    assert "298 treffers" in searched.text


@pytest.mark.django_db
def test_saving_ids_replaces_the_links_and_is_audited(world, client) -> None:
    offer = scheduled_offer(world.company)
    first, second, third = make_many_resources(world, 3)
    services.offer_materials_set(
        offer=offer, preparation=[first], follow_up=[], actor=world.user("programme")
    )
    url = reverse("knowledge:offer_materials", args=[offer.pk])
    client.force_login(world.user("company"))
    # `first` is unticked, `second` ticked from the hits, `third` for afterwards.
    response = client.post(url, {"preparation": [str(second.pk)], "follow_up": [str(third.pk)]})
    assert response.status_code == 302
    assert sorted(offer.material_links.values_list("resource_id", "role")) == sorted(
        [(second.pk, "preparation"), (third.pk, "follow_up")]
    )
    entry = AuditEntry.objects.filter(action="offer.materials_set").latest("pk")
    assert entry.actor == world.user("company")


@pytest.mark.django_db
def test_ids_the_user_may_not_link_give_a_dutch_error_and_save_nothing(world, client) -> None:
    from maakstad.core.testing.factories import RegionFactory

    offer = scheduled_offer(world.company)
    linked, other = make_many_resources(world, 2)
    draft = make_resource(world, title="Geheim concept", status=ResourceStatus.DRAFT)
    (elsewhere,) = make_many_resources(world, 1, region=RegionFactory.create(slug="elders"))
    services.offer_materials_set(
        offer=offer, preparation=[linked], follow_up=[], actor=world.user("company")
    )
    audits = AuditEntry.objects.count()
    url = reverse("knowledge:offer_materials", args=[offer.pk])
    client.force_login(world.user("company"))

    for bad in (draft.pk, elsewhere.pk, 999_999):
        response = client.post(url, {"preparation": [other.pk], "follow_up": [bad]})
        assert response.status_code == 200
        assert (
            f"Lesmateriaal nummer {bad} bestaat niet of kun je hier niet koppelen" in response.text
        )
        assert 'id="follow_up-error"' in response.text
        # What was chosen (and may be linked) is still ticked; the bad id is not shown.
        assert f'name="preparation" value="{other.pk}" checked' in response.text
        assert f'value="{bad}"' not in response.text
    for not_an_id in ("abc", "9" * 30):
        response = client.post(url, {"preparation": [not_an_id]})
        assert f"“{not_an_id}” is geen nummer van lesmateriaal." in response.text
    # A search that sends such ids along leaves them out.
    search = _search(client, offer, "lesbrief", chosen=["9" * 30, "abc", str(other.pk)])
    assert search.status_code == 200 and f'value="{other.pk}" checked' in search.text
    assert list(offer.material_links.values_list("resource_id", flat=True)) == [linked.pk]
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_without_javascript_the_search_button_keeps_the_choices(world, client) -> None:
    offer = scheduled_offer(world.company)
    chosen = make_resource(world, title="Zonnepaneel bouwen")
    wanted = make_resource(world, title="Windturbine bouwen")
    url = reverse("knowledge:offer_materials", args=[offer.pk])
    client.force_login(world.user("company"))
    response = client.post(
        url,
        {"preparation": [chosen.pk], "zoek_follow_up": "windturbine", "zoek": "follow_up"},
    )
    assert response.status_code == 200
    assert not offer.material_links.exists()
    assert f'name="preparation" value="{chosen.pk}" checked' in response.text
    assert f'name="follow_up" value="{wanted.pk}">' in response.text
    assert 'value="windturbine"' in response.text
