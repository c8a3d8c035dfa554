import pytest

from maakstad.catalogue.models import Offer
from maakstad.catalogue.testing import OfferFactory
from maakstad.core.bitmask import filter_any, from_mask, to_mask


def test_round_trip() -> None:
    assert from_mask(to_mask([1, 3, 4])) == [1, 3, 4]
    assert to_mask([]) == 0
    with pytest.raises(ValueError):
        to_mask([40])


@pytest.mark.django_db
def test_filter_any_on_the_database() -> None:
    first_years = OfferFactory.create(leerjaren_mask=to_mask([1, 2]))
    upper_years = OfferFactory.create(leerjaren_mask=to_mask([3, 4]))
    everyone = OfferFactory.create(leerjaren_mask=0)
    found = set(filter_any(Offer.objects.all(), "leerjaren_mask", [2]))
    assert found == {first_years, everyone}
    strict = set(filter_any(Offer.objects.all(), "leerjaren_mask", [4], empty_means_all=False))
    assert strict == {upper_years}
