"""Facets for every metadata field: audience, licence and organisation next to the terms."""

import pytest
from django.urls import reverse

from maakstad.core.bitmask import to_mask
from maakstad.knowledge import selectors
from maakstad.knowledge.models import AUDIENCE_KINDS, Licence
from maakstad.knowledge.selectors import Filters
from maakstad.knowledge.testing import make_resource


def _counts(facet):
    return {row["value"]: row["count"] for row in facet}


@pytest.mark.django_db
def test_audience_licence_and_organisation_facets_count_and_filter(world, client) -> None:
    vmbo = AUDIENCE_KINDS.index("vmbo")
    po = AUDIENCE_KINDS.index("po")
    make_resource(
        world,
        title="Vmbo 1 en 2",
        school_kinds_mask=to_mask([vmbo]),
        leerjaren_mask=to_mask([1, 2]),
    )
    make_resource(
        world,
        title="Groep 7 en 8",
        school_kinds_mask=to_mask([po]),
        groepen_mask=to_mask([7, 8]),
        licence=Licence.CC_BY,
        author_role="company",
    )
    make_resource(world, title="Voor iedereen")  # empty masks: for every audience

    result = selectors.search_resources(world.user("teacher_b"), Filters())
    facets = result.facets
    assert _counts(facets["school_kind"])["vmbo"] == 2
    assert _counts(facets["school_kind"])["po"] == 2
    assert _counts(facets["school_kind"])["mbo"] == 1
    # An empty mask counts for every value, as the filter finds it there too.
    assert _counts(facets["leerjaar"]) == {1: 3, 2: 3, 3: 2, 4: 2}
    assert _counts(facets["groep"])[7] == 3 and _counts(facets["groep"])[1] == 2
    assert _counts(facets["licence"]) == {"cc-by": 1, "cc-by-sa": 2}
    assert _counts(facets["organisation"]) == {world.school_a.pk: 2, world.company.pk: 1}

    # The new filters narrow the result.
    by_licence = selectors.search_resources(world.user("teacher_b"), Filters(licences=["cc-by"]))
    assert [r.title for r in by_licence.page] == ["Groep 7 en 8"]
    by_org = selectors.search_resources(
        world.user("teacher_b"), Filters(organisations=[world.company.pk])
    )
    assert by_org.total == 1
    by_groep = selectors.search_resources(world.user("teacher_b"), Filters(groep=7))
    assert by_groep.total == _counts(facets["groep"])[7]
    by_groep_1 = selectors.search_resources(world.user("teacher_b"), Filters(groep=1))
    assert {r.title for r in by_groep_1.page} == {"Vmbo 1 en 2", "Voor iedereen"}

    # The page shows the counts and the groep field, and reads the new query parameters.
    client.force_login(world.user("teacher_b"))
    page = client.get(reverse("knowledge:list"), {"licence": "cc-by"}).text
    assert 'id="groep"' in page and 'name="organisation"' in page
    assert "1 resultaat" in page
    assert "vmbo (2)" in client.get(reverse("knowledge:list")).text
