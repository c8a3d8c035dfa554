from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maakstad.catalogue import freshness
from maakstad.catalogue.testing import OfferFactory
from maakstad.core.models import AuditEntry
from maakstad.core.testing.factories import MembershipFactory, UserFactory
from maakstad.organisations.models import Role

pytestmark = pytest.mark.django_db


def _stale(world: Any, **kwargs: Any) -> Any:
    return OfferFactory.create(
        provider=world.company, confirmed_at=timezone.now() - dt.timedelta(days=200), **kwargs
    )


def test_reminder_link_confirms_once(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    offer = _stale(world, title="Gastles lassen")
    OfferFactory.create(provider=world.company, title="Vers")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_freshness_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contact@c.test"]
    assert "Gastles lassen" in message.body and "Vers" not in message.body
    url = re.search(r"https?://\S+/menukaart/nog-juist/\S+/", str(message.body)).group(0)  # type: ignore[union-attr]
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert "contact" not in path and "@" not in path
    response = client.get("/" + path)
    assert response.status_code == 200 and "Nog steeds juist" in response.content.decode()
    offer.refresh_from_db()
    assert offer.confirmed_at < timezone.now() - dt.timedelta(days=100)  # a GET changes nothing
    response = client.post("/" + path)
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.confirmed_at > timezone.now() - dt.timedelta(minutes=1)
    assert AuditEntry.objects.filter(
        action="catalogue.offer.confirm", object_id=str(offer.pk)
    ).exists()
    assert client.post("/" + path).status_code == 410  # used
    # Reminded offers are not asked again the next day.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert freshness.reminders_send()["offers"] == 0


def test_link_expires_and_cannot_be_forged(client: Any, world: Any, monkeypatch: Any) -> None:
    offer = _stale(world)
    token = freshness.make_token(offer)
    assert client.get(reverse("catalogue:still_correct", args=[token + "x"])).status_code == 410
    signed_at = time.time() - (freshness.LINK_DAYS + 1) * 86400
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: signed_at)
        old = freshness.make_token(offer)
    response = client.get(reverse("catalogue:still_correct", args=[old]))
    assert response.status_code == 410 and "verlopen" in response.content.decode()


def test_offer_contact_gets_the_mail(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory.create(email="planner@c.test")
    MembershipFactory.create(user=person, organisation=world.company, role=Role.COMPANY_CONTACT)
    _stale(world, contact=person)
    with django_capture_on_commit_callbacks(execute=True):
        freshness.reminders_send()
    assert [m.to for m in mail.outbox] == [["planner@c.test"]]


def test_contact_directory(client: Any, world: Any, django_assert_max_num_queries: Any) -> None:
    person = UserFactory.create(email="jan@c.test", full_name="Jan Jansen", phone="010-1234567")
    MembershipFactory.create(
        user=person,
        organisation=world.company,
        role=Role.COMPANY_CONTACT,
        is_contact=True,
        title="Coördinator onderwijs",
        confirmed_at=timezone.now(),
    )
    client.force_login(world.user("teacher_a"))
    # One of them (constant) finds the viewer's own entries for the "bevestig" button.
    with django_assert_max_num_queries(9):
        body = client.get(reverse("catalogue:contacts")).content.decode()
    assert "Jan Jansen" in body and "jan@c.test" in body and "Coördinator onderwijs" in body
    client.force_login(world.user("pupil"))
    assert client.get(reverse("catalogue:contacts")).status_code == 403


def test_stale_overview(client: Any, world: Any) -> None:
    _stale(world, title="Oude gastles")
    OfferFactory.create(provider=world.company, title="Nieuwe gastles")
    client.force_login(world.user("programme"))
    body = client.get(reverse("catalogue:stale")).content.decode()
    assert "Oude gastles" in body and "Nieuwe gastles" not in body


def _contact(world: Any, *, days: int | None, email: str = "jan@c.test") -> Any:
    person = UserFactory.create(email=email, full_name="Jan Jansen")
    return MembershipFactory.create(
        user=person,
        organisation=world.company,
        role=Role.COMPANY_CONTACT,
        is_contact=True,
        confirmed_at=None if days is None else timezone.now() - dt.timedelta(days=days),
    )


def test_stale_contacts_are_asked_to_confirm_once_by_link(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from maakstad.organisations.models import Membership

    Membership.objects.update(confirmed_at=timezone.now())  # the world's own people are fresh
    settings.MAAKSTAD_STALE_AFTER_DAYS = 90
    stale = _contact(world, days=100)
    _contact(world, days=30, email="vers@c.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert freshness.reminders_send()["contacts"] == 1
    assert [m.to for m in mail.outbox] == [["jan@c.test"]]
    body = str(mail.outbox[0].body)
    assert "contactgids" in body and world.company.label in body
    url = re.search(r"https?://\S+/menukaart/contact-juist/\S+/", body).group(0)  # type: ignore[union-attr]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert "jan" not in path and "@" not in path
    assert client.get(path).status_code == 200
    stale.refresh_from_db()
    assert stale.confirmed_at < timezone.now() - dt.timedelta(days=99)  # a GET changes nothing
    assert client.post(path).status_code == 200
    stale.refresh_from_db()
    assert stale.confirmed_at > timezone.now() - dt.timedelta(minutes=1)
    entry = AuditEntry.objects.get(action="organisations.membership.confirm")
    assert entry.object_id == str(stale.pk)
    assert client.post(path).status_code == 410  # single use
    # Not asked again within two weeks, nor once confirmed.
    mail.outbox.clear()
    assert freshness.reminders_send()["contacts"] == 0


def test_contact_confirms_their_own_entry_in_the_directory(client: Any, world: Any) -> None:
    membership = _contact(world, days=None)
    client.force_login(membership.user)
    page = client.get(reverse("catalogue:contacts")).content.decode()
    assert "Bevestig: mijn gegevens kloppen nog" in page
    response = client.post(reverse("catalogue:contacts"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.confirmed_at > timezone.now() - dt.timedelta(minutes=1)
    assert AuditEntry.objects.filter(
        action="organisations.membership.confirm", object_id=str(membership.pk)
    ).exists()
    # Someone who is not a contact has nothing to confirm.
    client.force_login(world.user("teacher_a"))
    if not world.user("teacher_a").memberships.filter(is_contact=True).exists():
        assert client.post(reverse("catalogue:contacts")).status_code == 403


def test_membership_confirm_is_for_the_person_themselves(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from maakstad.organisations.services import membership_confirm

    membership = _contact(world, days=None)
    with pytest.raises(PermissionDenied):
        membership_confirm(membership=membership, actor=world.user("teacher_a"))


def test_stale_age_comes_from_the_environment(monkeypatch: Any) -> None:
    import importlib

    import config.settings

    monkeypatch.setenv("MAAKSTAD_STALE_AFTER_DAYS", "90")
    try:
        assert importlib.reload(config.settings).MAAKSTAD_STALE_AFTER_DAYS == 90
    finally:
        monkeypatch.delenv("MAAKSTAD_STALE_AFTER_DAYS")
        importlib.reload(config.settings)
    assert config.settings.MAAKSTAD_STALE_AFTER_DAYS == 183
