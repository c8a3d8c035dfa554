import pytest

from maakstad.organisations.models import Term


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", [1, 2])
def test_reference_terms_survive_transactional_tests(attempt: int) -> None:
    # The second run follows a flush of the first; the terms must be back.
    assert Term.objects.profiles().filter(is_technical=True).count() == 5
    assert Term.objects.worlds().count() == 7
