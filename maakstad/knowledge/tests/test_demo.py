import io
import random

import pytest

from maakstad.core.demo import DemoContext
from maakstad.knowledge import demo, selectors
from maakstad.knowledge.models import Collection, Resource
from maakstad.knowledge.selectors import Filters


@pytest.mark.django_db
def test_demo_resources_are_searchable_and_idempotent(world) -> None:
    ctx = DemoContext(rng=random.Random(1), seed=1, pupil_count=0, stdout=io.StringIO())
    demo.load(ctx)
    count = Resource.objects.count()
    assert count >= 150 + 32
    demo.load(ctx)
    assert Resource.objects.count() == count
    assert Collection.objects.get(is_lesson_kit_programme=True).items.count() == 32
    found = selectors.search_resources(world.user("teacher_b"), Filters(q="zonnepanelen"))
    assert found.total >= 1
