import io
import random

import pytest

from maakstad.core.demo import DemoContext
from maakstad.monitoring import demo
from maakstad.monitoring.models import Programme, SchoolReport, Spending


@pytest.mark.django_db
def test_demo_step_is_idempotent(world) -> None:
    ctx = DemoContext(rng=random.Random(3), seed=3, pupil_count=0, stdout=io.StringIO())
    demo.load(ctx)
    programme = Programme.objects.get()
    counts = (programme.milestones.count(), Spending.objects.count(), SchoolReport.objects.count())
    assert counts[0] == 47 and counts[1] > 0 and counts[2] == 2
    assert programme.milestones.filter(achieved_on__isnull=False).exists()
    demo.load(ctx)
    assert (
        programme.milestones.count(),
        Spending.objects.count(),
        SchoolReport.objects.count(),
    ) == counts
