"""Specific dates of an offer ("Open dag op 14 januari en 11 maart"): parsing, the service, the
form, the menukaart filter 'beschikbaar vanaf', the offer page and the list card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from maakstad.catalogue import activity_types as codes
from maakstad.catalogue import services
from maakstad.catalogue.dates import format_dates, parse_date, parse_dates
from maakstad.catalogue.models import ActivityType, Offer, OfferDate
from maakstad.catalogue.testing import OfferFactory
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import LocationFactory, OrganisationFactory
from maakstad.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def _in(days: int) -> dt.date:
    return _today() + dt.timedelta(days=days)


def _nl(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


def _dates(offer: Offer) -> list[tuple[dt.date, str]]:
    return list(offer.dates.order_by("date").values_list("date", "note"))


def _fields(types: dict[str, ActivityType], **extra: Any) -> dict[str, Any]:
    return {"activity_type": types[codes.CHALLENGE], "title": "Drone-challenge", **extra}


# --- Parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (" \n ", []),
        ("14-01-2027, 11-03-2027", [(dt.date(2027, 1, 14), ""), (dt.date(2027, 3, 11), "")]),
        ("2027-01-14; 1-3-2027", [(dt.date(2027, 1, 14), ""), (dt.date(2027, 3, 1), "")]),
        ("14/01/2027\n11.03.2027", [(dt.date(2027, 1, 14), ""), (dt.date(2027, 3, 11), "")]),
        (
            "14-01-2027 open dag,  11-03-2027   finale in de   aula ",
            [(dt.date(2027, 1, 14), "open dag"), (dt.date(2027, 3, 11), "finale in de aula")],
        ),
    ],
)
def test_parse_dates_accepts_dutch_and_iso(text: str, expected: list[Any]) -> None:
    assert parse_dates(text) == expected


def test_parse_dates_names_every_wrong_entry() -> None:
    with pytest.raises(ValidationError) as info:
        parse_dates("14-01-2027, 31-02-2027, morgen, 2027-13-01")
    messages = info.value.messages
    assert len(messages) == 3
    assert "‘31-02-2027’ is geen geldige datum" in messages[0]
    assert "‘morgen’" in messages[1] and "dd-mm-jjjj" in messages[1]
    assert "‘2027-13-01’" in messages[2]


def test_format_and_parse_round_trip() -> None:
    items = [(dt.date(2027, 1, 14), "open dag"), (dt.date(2027, 3, 11), "")]
    assert format_dates(items) == "14-01-2027 open dag\n11-03-2027"
    assert parse_dates(format_dates(items)) == items
    assert parse_date("2027-02-29") is None and parse_date("") is None


# --- Service ----------------------------------------------------------------------------------


def test_create_stores_sorted_merged_dates_and_audits_them(
    world: Any, types: dict[str, ActivityType]
) -> None:
    first, second = _in(30), _in(60)
    offer = services.offer_create(
        provider=world.company,
        fields=_fields(types, dates=[(second, ""), (first, "voorronde"), (second, "finale")]),
        actor=world.user("company"),
    )
    # Duplicates merged; the first non-empty note of a date wins.
    assert _dates(offer) == [(first, "voorronde"), (second, "finale")]
    entry = AuditEntry.objects.get(action="catalogue.offer.create", object_id=str(offer.pk))
    assert entry.after is not None
    assert entry.after["dates"] == [
        {"date": first.isoformat(), "note": "voorronde"},
        {"date": second.isoformat(), "note": "finale"},
    ]


def test_past_dates_refused_for_new_entries_only(
    world: Any, types: dict[str, ActivityType]
) -> None:
    actor = world.user("company")
    with pytest.raises(ValidationError) as info:
        services.offer_create(
            provider=world.company,
            fields=_fields(types, dates=[_in(-1), _in(10)]),
            actor=actor,
        )
    assert info.value.message_dict["dates"] == [f"‘{_nl(_in(-1))}’ ligt in het verleden."]
    assert not Offer.objects.exists() and not OfferDate.objects.exists()
    # Today counts as not in the past.
    offer = services.offer_create(
        provider=world.company, fields=_fields(types, dates=[_today()]), actor=actor
    )
    # A date that has passed since may stay when the offer is saved again ...
    OfferDate.objects.create(offer=offer, date=_in(-20), note="eerste ronde")
    services.offer_update(
        offer=offer,
        fields={"title": "Nieuwe titel", "dates": [(_in(-20), "eerste ronde"), _in(5)]},
        actor=actor,
    )
    assert _dates(offer) == [(_in(-20), "eerste ronde"), (_in(5), "")]
    # ... but another past date cannot be added.
    with pytest.raises(ValidationError) as info:
        services.offer_update(offer=offer, fields={"dates": [_in(-20), _in(-21)]}, actor=actor)
    assert info.value.message_dict["dates"] == [f"‘{_nl(_in(-21))}’ ligt in het verleden."]


def test_nothing_half_saved_when_anything_is_wrong(
    world: Any, types: dict[str, ActivityType]
) -> None:
    actor = world.user("company")
    offer = services.offer_create(
        provider=world.company, fields=_fields(types, dates=[_in(7)]), actor=actor
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        services.offer_update(
            offer=offer,
            fields={"title": "Andere titel", "max_pupils": 0, "dates": [_in(8), _in(9)]},
            actor=actor,
        )
    # Every problem at once; nothing written.
    assert set(info.value.message_dict) == {"max_pupils"}
    assert _dates(Offer.objects.get(pk=offer.pk)) == [(_in(7), "")]
    assert Offer.objects.get(pk=offer.pk).title == "Drone-challenge"
    assert AuditEntry.objects.count() == before
    with pytest.raises(ValidationError) as info:
        services.offer_update(
            offer=Offer.objects.get(pk=offer.pk),
            fields={"title": "  ", "dates": [(_in(8), "x" * 101)]},
            actor=actor,
        )
    assert set(info.value.message_dict) == {"title", "dates"}
    assert "te lang" in info.value.message_dict["dates"][0]
    assert _dates(offer) == [(_in(7), "")]


def test_update_replaces_changes_notes_and_keeps_dates_when_not_given(
    world: Any, types: dict[str, ActivityType]
) -> None:
    actor = world.user("company")
    offer = services.offer_create(
        provider=world.company,
        fields=_fields(types, dates=[_in(7), (_in(14), "open dag"), _in(21)]),
        actor=actor,
    )
    services.offer_update(offer=offer, fields={"title": "Zonder data-veld"}, actor=actor)
    assert len(_dates(offer)) == 3
    services.offer_update(
        offer=offer, fields={"dates": [(_in(14), "open avond"), _in(28)]}, actor=actor
    )
    assert _dates(offer) == [(_in(14), "open avond"), (_in(28), "")]
    entry = AuditEntry.objects.filter(action="catalogue.offer.update").latest("pk")
    assert entry.before is not None and entry.after is not None
    assert [d["date"] for d in entry.before["dates"]] == [
        _in(7).isoformat(),
        _in(14).isoformat(),
        _in(21).isoformat(),
    ]
    assert entry.after["dates"] == [
        {"date": _in(14).isoformat(), "note": "open avond"},
        {"date": _in(28).isoformat(), "note": ""},
    ]
    services.offer_update(offer=offer, fields={"dates": []}, actor=actor)
    assert _dates(offer) == []


def test_too_many_dates(world: Any, types: dict[str, ActivityType]) -> None:
    with pytest.raises(ValidationError) as info:
        services.offer_create(
            provider=world.company,
            fields=_fields(types, dates=[_in(n) for n in range(1, services.MAX_DATES + 2)]),
            actor=world.user("company"),
        )
    assert "hoogstens 100" in info.value.message_dict["dates"][0]


def test_one_row_per_offer_and_date() -> None:
    offer = OfferFactory.create()
    OfferDate.objects.create(offer=offer, date=dt.date(2027, 1, 14))
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferDate.objects.create(offer=offer, date=dt.date(2027, 1, 14))


# --- Form and pages ---------------------------------------------------------------------------


def _post_data(world: Any, types: dict[str, ActivityType], **extra: str) -> dict[str, Any]:
    return {
        "provider": world.company.pk,
        "activity_type": types[codes.CHALLENGE].pk,
        "location": world.company.locations.order_by("pk").first().pk,
        "title": "Drone-challenge",
        "booking_mode": "scheduled",
        "cost_unit": "free",
        "cost_amount": "0",
        "own_contribution_amount": "0",
        **extra,
    }


def test_provider_enters_dates_in_the_form(client: Any, world: Any, types: Any) -> None:
    client.force_login(world.user("company"))
    url = reverse("catalogue:create")
    response = client.post(
        url, _post_data(world, types, dates=f"{_nl(_in(20))}, 31-02-2027, {_nl(_in(40))}")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["dates"]
    assert errors == [
        "‘31-02-2027’ is geen geldige datum. Schrijf dd-mm-jjjj, bijvoorbeeld 14-01-2027."
    ]
    assert 'id="id_dates_error"' in response.content.decode()
    response = client.post(url, _post_data(world, types, dates=f"{_nl(_in(-3))}"))
    assert response.status_code == 400
    assert response.context["form"].errors["dates"] == [f"‘{_nl(_in(-3))}’ ligt in het verleden."]
    assert not Offer.objects.exists()
    text = f"{_nl(_in(40))} finale\n{_in(20).isoformat()} voorronde, {_nl(_in(40))}"
    response = client.post(url, _post_data(world, types, dates=text))
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert _dates(offer) == [(_in(20), "voorronde"), (_in(40), "finale")]
    # The edit form shows them one per line, in Dutch format.
    form = client.get(reverse("catalogue:edit", args=[offer.pk])).context["form"]
    assert form.initial["dates"] == f"{_nl(_in(20))} voorronde\n{_nl(_in(40))} finale"


def test_programme_office_edits_dates(client: Any, world: Any, types: Any) -> None:
    offer = OfferFactory.create(provider=world.company, activity_type=types[codes.CHALLENGE])
    OfferDate.objects.create(offer=offer, date=_in(10))
    client.force_login(world.user("programme"))
    assert offer.location is not None
    data = _post_data(world, types, dates=f"{_nl(_in(11))}, {_nl(_in(12))}")
    data.update(title=offer.title, location=offer.location.pk)
    response = client.post(reverse("catalogue:edit", args=[offer.pk]), data)
    assert response.status_code == 302
    assert [d for d, _n in _dates(offer)] == [_in(11), _in(12)]
    data["dates"] = ""
    client.post(reverse("catalogue:edit", args=[offer.pk]), data)
    assert _dates(offer) == []


def test_detail_and_card_show_upcoming_dates(client: Any, world: Any) -> None:
    offer = OfferFactory.create(provider=world.company, title="Open dag")
    OfferDate.objects.create(offer=offer, date=_in(45), note="open dag")
    OfferDate.objects.create(offer=offer, date=_in(100))
    OfferDate.objects.create(offer=offer, date=_in(-30), note="voorbij")
    client.force_login(world.user("teacher_a"))
    with translation.override("nl"):
        long_ = [date_format(_in(n), "l j F Y") for n in (45, 100, -30)]
        short = [date_format(_in(n), "j M Y") for n in (45, 100, -30)]
    body = client.get(reverse("catalogue:detail", args=[offer.pk])).content.decode()
    assert f"{long_[0]}</time> – open dag" in body
    assert long_[1] in body
    assert "voorbij" not in body and long_[2] not in body
    body = client.get(reverse("catalogue:menukaart")).content.decode()
    assert f'<time datetime="{_in(45).isoformat()}">{short[0]}</time>' in body
    assert short[1] in body and short[2] not in body


def test_detail_says_when_every_date_has_passed(client: Any, world: Any) -> None:
    offer = OfferFactory.create(
        provider=world.company, available_from=None, available_until=None, weekdays_mask=0
    )
    OfferDate.objects.create(offer=offer, date=_in(-3))
    client.force_login(world.user("teacher_a"))
    url = reverse("catalogue:detail", args=[offer.pk])
    assert "Alle data van dit aanbod zijn voorbij." in client.get(url).content.decode()
    OfferDate.objects.create(offer=offer, date=_in(3))
    assert "Alle data van dit aanbod zijn voorbij." not in client.get(url).content.decode()


def test_card_shortens_a_long_list(client: Any, world: Any) -> None:
    offer = OfferFactory.create(provider=world.company)
    OfferDate.objects.bulk_create(OfferDate(offer=offer, date=_in(n)) for n in range(1, 8))
    client.force_login(world.user("teacher_a"))
    body = client.get(reverse("catalogue:menukaart")).content.decode()
    assert "en nog 3 data" in body
    assert f'<time datetime="{_in(4).isoformat()}">' in body
    assert f'<time datetime="{_in(5).isoformat()}">' not in body


# --- The filter 'beschikbaar vanaf' -----------------------------------------------------------


def _ids(response: Any) -> set[int]:
    return {o.pk for o in response.context["result"].page}


def test_available_from_filter(client: Any, world: Any) -> None:
    day = _in(30)
    always = OfferFactory.create(provider=world.company, title="Op aanvraag")
    only_dates_later = OfferFactory.create(provider=world.company, title="Open dag later")
    OfferDate.objects.create(offer=only_dates_later, date=_in(10))
    OfferDate.objects.create(offer=only_dates_later, date=day)  # on the day itself
    only_dates_before = OfferFactory.create(provider=world.company, title="Open dag eerder")
    OfferDate.objects.create(offer=only_dates_before, date=_in(29))
    range_open = OfferFactory.create(provider=world.company, available_until=_in(60))
    range_ended = OfferFactory.create(provider=world.company, available_until=_in(29))
    from_only = OfferFactory.create(provider=world.company, available_from=_in(90))
    # A range that ended, but a specific date after it: available.
    ended_with_date = OfferFactory.create(provider=world.company, available_until=_in(5))
    OfferDate.objects.create(offer=ended_with_date, date=_in(45))
    client.force_login(world.user("teacher_a"))
    url = reverse("catalogue:menukaart")
    everything = {
        always.pk,
        only_dates_later.pk,
        only_dates_before.pk,
        range_open.pk,
        range_ended.pk,
        from_only.pk,
        ended_with_date.pk,
    }
    assert _ids(client.get(url)) == everything
    expected = {always.pk, only_dates_later.pk, range_open.pk, from_only.pk, ended_with_date.pk}
    assert _ids(client.get(url, {"beschikbaar-vanaf": day.isoformat()})) == expected
    # Dutch format works too (typed into a browser without a date picker); nonsense is ignored.
    assert _ids(client.get(url, {"beschikbaar-vanaf": _nl(day)})) == expected
    assert _ids(client.get(url, {"beschikbaar-vanaf": "31-02-2027"})) == everything
    response = client.get(url, {"beschikbaar-vanaf": _in(61).isoformat()})
    assert _ids(response) == {always.pk, from_only.pk}
    assert f'name="beschikbaar-vanaf" value="{_in(61).isoformat()}"' in response.content.decode()
    # The map follows the same filter.
    for offer in Offer.objects.all():
        assert offer.location is not None
        offer.location.latitude, offer.location.longitude = Decimal("51.9"), Decimal("4.4")
        offer.location.save()
    features = client.get(
        reverse("catalogue:geojson"), {"beschikbaar-vanaf": _in(61).isoformat()}
    ).json()["features"]
    assert {f["id"] for f in features} == {always.pk, from_only.pk}


def test_search_with_dates_stays_bounded(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.user("teacher_a"))
    url = reverse("catalogue:menukaart")
    params = {"beschikbaar-vanaf": _in(3).isoformat()}

    def make(n: int) -> None:
        for i in range(n):
            provider = OrganisationFactory.create(
                region=world.region, kind=OrganisationKind.COMPANY
            )
            location = LocationFactory.create(organisation=provider)
            offer = OfferFactory.create(provider=provider, location=location)
            OfferDate.objects.bulk_create(
                OfferDate(offer=offer, date=_in(d)) for d in (i % 5 + 2, 10, 20)
            )

    make(2)
    client.get(url, params)
    with django_assert_max_num_queries(13):
        response = client.get(url, params)
    small = len(response.context["result"].page)
    make(20)
    with django_assert_max_num_queries(13):
        response = client.get(url, params)
    assert len(response.context["result"].page) == 20 > small
    assert all(o.upcoming_dates for o in response.context["result"].page)
