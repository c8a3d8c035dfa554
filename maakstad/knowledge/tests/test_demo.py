import io
import random

import pytest

from maakstad.core.demo import DemoContext
from maakstad.knowledge import demo, selectors
from maakstad.knowledge.models import Collection, Resource
from maakstad.knowledge.selectors import Filters


@pytest.mark.django_db
def test_demo_resources_are_searchable_and_idempotent(world) -> None:
    from maakstad.bookings.testing import scheduled_offer
    from maakstad.catalogue.models import OfferStatus
    from maakstad.knowledge.models import OfferMaterial

    offer = scheduled_offer(world.company, status=OfferStatus.PUBLISHED)
    ctx = DemoContext(rng=random.Random(1), seed=1, pupil_count=0, stdout=io.StringIO())
    demo.load(ctx)
    # Published offers get preparation and follow-up material, once.
    links = OfferMaterial.objects.filter(offer=offer).count()
    assert links >= 1
    assert OfferMaterial.objects.filter(offer=offer, role="preparation").exists()
    count = Resource.objects.count()
    assert count >= 150 + 32
    demo.load(ctx)
    assert Resource.objects.count() == count
    assert OfferMaterial.objects.filter(offer=offer).count() == links
    assert Collection.objects.get(is_lesson_kit_programme=True).items.count() == 32
    found = selectors.search_resources(world.user("teacher_b"), Filters(q="zonnepanelen"))
    assert found.total >= 1
