"""Token management: the service and the page for an organisation's admins."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maakstad.api import services
from maakstad.api.models import ApiToken
from maakstad.core.models import AuditEntry
from maakstad.organisations.models import Role


@pytest.mark.django_db
def test_create_keeps_only_the_hash_and_a_prefix(world) -> None:
    actor = world.user("teacher_a")

    token, secret = services.token_create(
        organisation=world.school_a,
        name="Rooster",
        scopes=["attendance", "bookings", "bookings"],
        actor=actor,
    )

    assert secret.startswith("mks_") and len(secret) > 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) == 12
    assert token.scopes == ["bookings", "attendance"]
    assert token.created_by == actor
    assert all(secret not in str(row) for row in ApiToken.objects.values())
    entry = AuditEntry.objects.get(action="api_token.created")
    assert entry.actor == actor
    assert secret not in str(entry.after)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [("", ["bookings"], "name"), ("X", [], "scopes"), ("X", ["admin"], "scopes")],
)
def test_create_validates(world, name, scopes, field) -> None:
    with pytest.raises(ValidationError) as error:
        services.token_create(organisation=world.school_a, name=name, scopes=scopes, actor=None)
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_revoke_is_audited_and_once(world) -> None:
    token, _secret = services.token_create(
        organisation=world.school_a, name="X", scopes=["bookings"], actor=None
    )
    services.token_revoke(token=token, actor=world.user("teacher_a"))

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
    with pytest.raises(ValidationError):
        services.token_revoke(token=token, actor=None)


def _url(world, organisation=None) -> str:
    return reverse("api:tokens", kwargs={"pk": (organisation or world.school_a).pk})


@pytest.mark.django_db
def test_page_creates_and_shows_the_secret_once(world, client) -> None:
    client.force_login(world.user("teacher_a"))

    created = client.post(_url(world), {"name": "Rooster", "scopes": ["bookings", "attendance"]})

    assert created.status_code == 200
    token = ApiToken.objects.get()
    secret = created.context["secret"]
    assert secret.startswith(token.prefix)
    assert secret in created.content.decode()
    assert "no-store" in created.headers["Cache-Control"]
    listed = client.get(_url(world)).content.decode()
    assert secret not in listed
    assert token.prefix in listed
    assert "Rooster" in listed


@pytest.mark.django_db
def test_page_shows_form_errors(world, client) -> None:
    client.force_login(world.user("teacher_a"))

    response = client.post(_url(world), {"name": "Rooster"})

    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_page_revokes(world, client) -> None:
    token, _secret = services.token_create(
        organisation=world.school_a, name="X", scopes=["bookings"], actor=None
    )
    client.force_login(world.user("teacher_a"))

    response = client.post(_url(world), {"intrekken": token.pk})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(action="api_token.revoked").actor == world.user("teacher_a")


@pytest.mark.django_db
def test_page_cannot_revoke_another_organisations_token(world, client) -> None:
    theirs, _secret = services.token_create(
        organisation=world.school_b, name="X", scopes=["bookings"], actor=None
    )
    client.force_login(world.user("teacher_a"))

    response = client.post(_url(world), {"intrekken": theirs.pk})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@pytest.mark.django_db
def test_page_is_for_the_organisations_admins_only(world, client) -> None:
    services.token_create(
        organisation=world.school_a, name="Geheim", scopes=["bookings"], actor=None
    )
    cases = {
        "teacher_b": 403,  # admin of another school
        "company": 403,
        "programme": 403,  # the programme office does not hold other organisations' keys
        "pupil": 404,
    }
    for role, status in cases.items():
        client.force_login(world.user(role))
        assert client.get(_url(world)).status_code == status, role
        assert client.post(_url(world), {"name": "X", "scopes": ["bookings"]}).status_code == status
    client.logout()
    assert client.get(_url(world)).status_code == 302
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_a_teacher_who_is_not_admin_is_refused(world, client) -> None:
    world.user("teacher_a").memberships.filter(role=Role.ORG_ADMIN).delete()
    client.force_login(world.user("teacher_a"))

    assert client.get(_url(world)).status_code == 403


@pytest.mark.django_db
def test_programme_manager_manages_the_offices_tokens(world, client) -> None:
    client.force_login(world.user("programme"))

    response = client.post(
        _url(world, world.programme_office), {"name": "Dashboard", "scopes": ["monitoring"]}
    )

    assert response.status_code == 200
    assert ApiToken.objects.get().organisation == world.programme_office
