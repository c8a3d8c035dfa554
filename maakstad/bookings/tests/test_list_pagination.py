import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from maakstad.bookings.models import Booking, Status
from maakstad.bookings.testing import scheduled_offer
from maakstad.bookings.views import LIST_PAGE_SIZE


@pytest.mark.django_db
def test_provider_queue_is_paginated_and_keeps_its_filters(world: Any, client: Any) -> None:
    offer = scheduled_offer(world.company)
    today = timezone.localdate()
    total = LIST_PAGE_SIZE + 7
    Booking.objects.bulk_create(
        [
            Booking(
                region=world.region,
                offer=offer,
                provider=world.company,
                activity_type=offer.activity_type,
                school=world.school_a,
                class_name=f"K{i}",
                pupils_count=20,
                status=Status.REQUESTED,
                ask_date=today + dt.timedelta(days=i),
            )
            for i in range(total)
        ]
    )
    client.force_login(world.user("company"))
    url = reverse("bookings:list") + "?weergave=aanbieder&status="

    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["rows"]) == LIST_PAGE_SIZE
    assert first.context["page"].paginator.count == total
    assert "pagina=2" in first.content.decode() and "weergave=aanbieder" in first.content.decode()

    second = client.get(url + "&pagina=2")
    assert [b.class_name for b in second.context["rows"]] == [
        f"K{i}" for i in range(LIST_PAGE_SIZE, total)
    ]
    # A page number out of range shows the last page rather than an error.
    assert client.get(url + "&pagina=99").context["page"].number == 2
