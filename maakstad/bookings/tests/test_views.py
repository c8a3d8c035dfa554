import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook

from maakstad.bookings import services
from maakstad.bookings.models import Booking, CalendarFeed, LoadLimit, Status
from maakstad.bookings.testing import book_class, make_slot, on_request_offer, scheduled_offer
from maakstad.catalogue.models import CostUnit, Offer, OfferDate


@pytest.mark.django_db
def test_teacher_books_a_slot_through_the_form_and_sees_errors_at_the_field(world, client):
    offer = scheduled_offer(world.company)
    slot = make_slot(offer, capacity=40)
    client.force_login(world.user("teacher_a"))
    url = reverse("bookings:request", args=[offer.pk])
    page = client.get(url).content.decode()
    assert "Wat Bedrijf C al heeft" in page and "40 vrij" in page
    data = {
        "school": world.school_a.pk,
        "class_name": "3K",
        "pupils_count": 45,
        "leerjaar": 3,
        "slot": slot.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Hoogstens 30 leerlingen per groep" in response.content.decode()
    assert not Booking.objects.exists()
    response = client.post(url, {**data, "pupils_count": 24})
    booking = Booking.objects.get()
    assert response.headers["Location"] == reverse("bookings:detail", args=[booking.pk])
    assert booking.status == Status.REQUESTED and booking.seats == 24


@pytest.mark.django_db
def test_on_request_form_names_the_offers_specific_dates(world, client):
    offer = on_request_offer(world.company)
    day = timezone.localdate() + dt.timedelta(days=30)
    OfferDate.objects.create(offer=offer, date=day)
    OfferDate.objects.create(offer=offer, date=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(world.user("teacher_a"))
    url = reverse("bookings:request", args=[offer.pk])
    page = client.get(url).content.decode()
    assert f"Alleen op deze data: {date_format(day, 'l j F Y')}." in page
    Offer.objects.filter(pk=offer.pk).update(weekdays_mask=0b11111)
    page = client.get(url).content.decode()
    assert f"Vaste data van dit aanbod: {date_format(day, 'l j F Y')}." in page
    response = client.post(
        url,
        {
            "school": world.school_a.pk,
            "class_name": "3K",
            "pupils_count": 20,
            "leerjaar": 3,
            "date_1": day.isoformat(),
        },
    )
    assert response.status_code == 302 and Booking.objects.get().ask_date == day


@pytest.mark.django_db
def test_on_request_form_needs_a_date_and_provider_accepts_with_a_moment(world, client):
    offer = on_request_offer(world.company)
    client.force_login(world.user("teacher_a"))
    url = reverse("bookings:request", args=[offer.pk])
    base = {"school": world.school_a.pk, "class_name": "3K", "pupils_count": 20, "leerjaar": 3}
    response = client.post(url, base)
    assert "Geef minstens één voorkeursdatum op" in response.content.decode()
    day = timezone.localdate() + dt.timedelta(days=21)
    client.post(url, {**base, "date_1": day.isoformat()})
    booking = Booking.objects.get()
    client.force_login(world.user("company"))
    queue = client.get(reverse("bookings:list")).content.decode()
    assert "3K" in queue and offer.title in queue
    action = reverse("bookings:action", args=[booking.pk, "accepteren"])
    client.post(action, {})
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED  # no moment given: refused with a message
    client.post(action, {"starts_at": f"{day.isoformat()}T09:30"})
    booking.refresh_from_db()
    assert booking.status == Status.ACCEPTED and timezone.localtime(booking.starts_at).hour == 9
    # The other school cannot act on it.
    client.force_login(world.user("teacher_b"))
    assert (
        client.post(reverse("bookings:action", args=[booking.pk, "bevestigen"])).status_code == 404
    )
    client.force_login(world.user("teacher_a"))
    client.post(reverse("bookings:action", args=[booking.pk, "bevestigen"]), {"pupils_count": 19})
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.pupils_count == 19
    ics = client.get(reverse("bookings:ics", args=[booking.pk]))
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VEVENT" in ics.content


@pytest.mark.django_db
def test_school_cannot_take_provider_actions(world, client):
    booking = book_class(world)
    client.force_login(world.user("teacher_a"))
    assert (
        client.post(reverse("bookings:action", args=[booking.pk, "accepteren"])).status_code == 403
    )


@pytest.mark.django_db
def test_capacity_page_saves_a_limit(world, client):
    client.force_login(world.user("company"))
    url = reverse("bookings:capacity")
    client.post(
        url,
        {
            "soort": "grens",
            "aanbieder": world.company.pk,
            "per": "quarter",
            "max_requests": 6,
            "overflow": "refuse",
        },
    )
    limit = LoadLimit.objects.get(provider=world.company)
    assert (limit.per, limit.max_requests, limit.activity_type) == ("quarter", 6, None)
    response = client.post(
        url,
        {
            "soort": "gesloten",
            "aanbieder": world.company.pk,
            "starts_on": "2026-12-20",
            "ends_on": "2026-12-01",
            "reason": "x",
        },
    )
    assert "De einddatum ligt vóór de begindatum" in response.content.decode()


@pytest.mark.django_db
def test_load_report_and_owed_export(world, client):
    offer = on_request_offer(
        world.company,
        cost_unit=CostUnit.PER_GROUP,
        cost_amount=Decimal("150"),
        own_contribution_amount=Decimal("25"),
    )
    day = timezone.localdate() + dt.timedelta(days=15)
    booking = services.booking_request(
        offer=offer,
        school=world.school_a,
        actor=None,
        class_name="3K",
        pupils_count=20,
        leerjaar=3,
        preferred_dates=[day],
    )
    services.booking_accept(
        booking=booking, actor=None, starts_at=timezone.now() + dt.timedelta(days=15)
    )
    client.force_login(world.user("programme"))
    page = client.get(reverse("bookings:load")).content.decode()
    assert "Bedrijf C" in page
    assert booking.school_year is not None
    year = booking.school_year.name
    xlsx = client.get(reverse("bookings:pricing") + f"?schooljaar={year}&formaat=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "School" and rows[1][0] == "Vmbo A" and float(str(rows[1][4])) == 25.0


@pytest.mark.django_db
def test_calendar_feed_lists_bookings_and_dies_when_revoked(world, client):
    booking = book_class(world)
    services.booking_accept(booking=booking, actor=None)
    client.force_login(world.user("teacher_a"))
    client.post(reverse("bookings:feeds"), {"organisatie": world.school_a.pk})
    feed = CalendarFeed.objects.get(organisation=world.school_a)
    client.logout()
    url = reverse("bookings:feed", args=[feed.token])
    body = client.get(url).content.decode()
    assert "BEGIN:VEVENT" in body and booking.offer.title in body
    client.force_login(world.user("teacher_a"))
    client.post(reverse("bookings:feeds"), {"intrekken": feed.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_offer_page_shows_the_booking_panel(world, client):
    offer = scheduled_offer(world.company)
    make_slot(offer, capacity=25)
    client.force_login(world.user("teacher_a"))
    page = client.get(reverse("catalogue:detail", args=[offer.pk])).content.decode()
    assert "Aanvragen voor een klas" in page and "25 vrij" in page


@pytest.mark.django_db
def test_request_form_requires_leerjaar_when_the_offer_restricts_it(world, client):
    offer = scheduled_offer(world.company, leerjaren_mask=0b1000)
    slot = make_slot(offer, capacity=40)
    client.force_login(world.user("teacher_a"))
    url = reverse("bookings:request", args=[offer.pk])
    data = {"school": world.school_a.pk, "class_name": "3K", "pupils_count": 20, "slot": slot.pk}
    response = client.post(url, data)
    assert response.status_code == 200 and not Booking.objects.exists()
    assert "leerjaar" in response.context["form"].errors
    response = client.post(url, {**data, "leerjaar": 3})
    assert response.status_code == 302 and Booking.objects.get().leerjaar == 3


@pytest.mark.django_db
def test_request_form_shows_the_price_before_submitting_and_follows_the_number(world, client):
    offer = scheduled_offer(
        world.company,
        cost_unit=CostUnit.PER_PUPIL,
        cost_amount=Decimal("12.50"),
        own_contribution_amount=Decimal("2.00"),
    )
    make_slot(offer, capacity=40)
    client.force_login(world.user("teacher_a"))
    url = reverse("bookings:request", args=[offer.pk])
    estimate = client.get(url).context["estimate"]
    assert (estimate.pupils_count, estimate.total, estimate.due) == (
        30,
        Decimal("375.00"),
        Decimal("60.00"),
    )
    # What htmx sends when the number of pupils changes: the same page, the price for 20.
    page = client.get(url, {"pupils_count": "20"}, headers={"HX-Request": "true"})
    body = page.content.decode()
    assert "Voor 20 leerlingen: € 250,00; eigen bijdrage school € 40,00." in body
    assert 'hx-select="#price"' in body


@pytest.mark.django_db
def test_personal_calendar_feed_shows_only_the_users_bookings(world, client):
    mine = book_class(world, scheduled_offer(world.company, title="Mijn gastles"))
    services.booking_accept(booking=mine, actor=None)
    other_offer = scheduled_offer(world.company, title="Andermans gastles")
    theirs = services.booking_request(
        offer=other_offer,
        school=world.school_b,
        actor=world.user("teacher_b"),
        class_name="3B",
        pupils_count=20,
        leerjaar=3,
        slot=make_slot(other_offer),
    )
    services.booking_accept(booking=theirs, actor=None)
    unanswered = book_class(world, scheduled_offer(world.company, title="Nog niet geaccepteerd"))
    assert unanswered.status == Status.REQUESTED
    client.force_login(world.user("teacher_a"))
    client.post(reverse("bookings:feeds"), {})
    feed = CalendarFeed.objects.get(user=world.user("teacher_a"), revoked_at__isnull=True)
    client.logout()
    url = reverse("bookings:feed", args=[feed.token])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1
    assert "Mijn gastles" in body
    assert "Andermans gastles" not in body and "Nog niet geaccepteerd" not in body
    # Revoked: the address no longer works; a made-up one never did.
    services.feed_revoke(feed=feed, actor=world.user("teacher_a"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("bookings:feed", args=["nietbestaand"])).status_code == 404


def _weekday(days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.mark.django_db
def test_load_report_filters_by_activity_type_breaks_down_per_period_and_lists_unasked(
    world, client
):
    from maakstad.bookings import selectors
    from maakstad.catalogue.testing import ActivityTypeFactory
    from maakstad.core.testing.factories import OrganisationFactory
    from maakstad.organisations.models import OrganisationKind

    gastles = ActivityTypeFactory.create(region=world.region, code="t-gastles", name="Gastles")
    excursie = ActivityTypeFactory.create(region=world.region, code="t-excursie", name="Excursie")
    asked = on_request_offer(world.company, activity_type=gastles)
    quiet = OrganisationFactory.create(
        region=world.region, kind=OrganisationKind.COMPANY, name="Stil BV"
    )
    on_request_offer(quiet, activity_type=excursie)
    first, second = _weekday(20), _weekday(70)
    for school, user, day in (
        (world.school_a, "teacher_a", first),
        (world.school_b, "teacher_b", first),
        (world.school_a, "teacher_a", second),
    ):
        services.booking_request(
            offer=asked,
            school=school,
            actor=world.user(user),
            class_name=f"3{day.day}",
            pupils_count=20,
            leerjaar=3,
            preferred_dates=[day],
        )
    start, end = timezone.localdate(), timezone.localdate() + dt.timedelta(days=120)
    report = selectors.load_report(world.region, start, end)
    assert dict(report.least_asked)["Stil BV"] == 0 and report.least_asked[0][0] == "Stil BV"
    assert dict(report.least_asked)["Bedrijf C"] == 3
    months = {(d.year, d.month): asks for d, asks, _granted, _declined in report.periods}
    assert months == {(first.year, first.month): 2, (second.year, second.month): 1}
    quarters = selectors.load_report(world.region, start, end, per="quarter").periods
    assert sum(asks for _d, asks, _g, _x in quarters) == 3
    assert all(d.month in (1, 4, 7, 10) and d.day == 1 for d, *_rest in quarters)
    # The view: only excursions; Bedrijf C has none of those and drops out of the table.
    client.force_login(world.user("programme"))
    query = {"van": start.isoformat(), "tot": end.isoformat(), "soort": excursie.pk}
    response = client.get(reverse("bookings:load"), query)
    filtered = response.context["report"]
    assert filtered.rows == [] and dict(filtered.least_asked) == {"Stil BV": 0}
    assert filtered.never_asked == 1
    response = client.get(reverse("bookings:load"), {**query, "soort": gastles.pk})
    assert [(r.provider, r.asks) for r in response.context["report"].rows] == [("Bedrijf C", 3)]
    response = client.get(
        reverse("bookings:load"),
        {"van": start.isoformat(), "tot": end.isoformat(), "per": "kwartaal"},
    )
    assert response.context["per"] == "quarter" and 'id="periods"' in response.content.decode()
    assert f"{first.year}-Q{(first.month - 1) // 3 + 1}" in response.content.decode()
