"""The freshness loop: providers are asked to confirm offers older than the staleness age, and
contact persons their entry in the contact directory.

Each e-mail carries, per offer, a signed link that expires after `LINK_DAYS` days. The token holds
only the offer id and the confirmation time it was made for (no personal data); once the offer has
been confirmed the token no longer matches, so a link works once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.catalogue import selectors, services
from maakstad.catalogue.models import Offer
from maakstad.core.notifications import absolute_url, send_email_on_commit
from maakstad.organisations.models import Membership, Role

LINK_DAYS = 30
REMIND_EVERY = dt.timedelta(days=14)
SALT = "maakstad.catalogue.still-correct"
PROVIDER_CONTACT_ROLES = (Role.COMPANY_CONTACT, Role.MBO_STAFF, Role.ORG_ADMIN)


def _stamp(offer: Offer) -> int:
    return int(offer.confirmed_at.timestamp()) if offer.confirmed_at else 0


def make_token(offer: Offer) -> str:
    return signing.dumps({"o": offer.pk, "c": _stamp(offer)}, salt=SALT, compress=True)


class LinkError(Exception):
    pass


def _link_data(token: str, salt: str) -> dict[str, int]:
    """What a still-correct link carries; LinkError when it is expired or forged."""
    try:
        data: dict[str, int] = signing.loads(token, salt=salt, max_age=dt.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired as error:
        raise LinkError(_("Deze link is verlopen.")) from error
    except signing.BadSignature as error:
        raise LinkError(_("Deze link is ongeldig.")) from error
    return data


def offer_from_token(token: str) -> Offer:
    """The offer a still-correct link is for; LinkError when expired, forged or already used."""
    data = _link_data(token, SALT)
    offer = Offer.objects.select_related("provider", "activity_type").filter(pk=data["o"]).first()
    if offer is None:
        raise LinkError(_("Dit aanbod bestaat niet meer."))
    if _stamp(offer) != data["c"]:
        raise LinkError(_("Dit aanbod is al bevestigd of gewijzigd. U hoeft niets meer te doen."))
    return offer


@transaction.atomic
def confirm_by_token(token: str) -> Offer:
    offer = offer_from_token(token)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if _stamp(locked) != _stamp(offer):
        raise LinkError(_("Dit aanbod is al bevestigd of gewijzigd. U hoeft niets meer te doen."))
    return services.offer_confirm(
        offer=offer, actor=None, actor_label=_("aanbieder via e-maillink")
    )


# --- Contacts: the same mechanism for a person's entry in the contact directory ----------------

CONTACT_SALT = "maakstad.organisations.contact-still-correct"


def _contact_stamp(membership: Membership) -> int:
    return int(membership.confirmed_at.timestamp()) if membership.confirmed_at else 0


def make_contact_token(membership: Membership) -> str:
    return signing.dumps(
        {"m": membership.pk, "c": _contact_stamp(membership)}, salt=CONTACT_SALT, compress=True
    )


def membership_from_token(token: str) -> Membership:
    """The contact a still-correct link is for; LinkError when expired, forged or already used."""
    data = _link_data(token, CONTACT_SALT)
    membership = (
        Membership.objects.select_related("user", "organisation").filter(pk=data["m"]).first()
    )
    if membership is None:
        raise LinkError(_("Deze contactpersoon staat niet meer in de contactgids."))
    if _contact_stamp(membership) != data["c"]:
        raise LinkError(_("Uw gegevens zijn al bevestigd. U hoeft niets meer te doen."))
    return membership


@transaction.atomic
def confirm_contact_by_token(token: str) -> Membership:
    from maakstad.organisations.services import membership_confirm

    membership = membership_from_token(token)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if _contact_stamp(locked) != _contact_stamp(membership):
        raise LinkError(_("Uw gegevens zijn al bevestigd. U hoeft niets meer te doen."))
    return membership_confirm(
        membership=membership, actor=None, actor_label=_("contactpersoon via e-maillink")
    )


def stale_contacts(now: dt.datetime) -> list[Membership]:
    """Contact persons not confirmed within the staleness age and not reminded lately."""
    cutoff = selectors.stale_cutoff()
    return list(
        Membership.objects.filter(is_contact=True, user__is_active=True)
        .exclude(role=Role.PUPIL)
        .exclude(user__email="")
        .filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=cutoff))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
        .select_related("user", "organisation")
        .order_by("pk")
    )


def _contact_lines(membership: Membership) -> list[str]:
    url = absolute_url(
        reverse("catalogue:contact_still_correct", args=[make_contact_token(membership)])
    )
    return [
        _(
            "U staat als contactpersoon van %(org)s in de contactgids van Maakstad "
            "(%(name)s, %(email)s). Kloppen uw gegevens nog?"
        )
        % {
            "org": membership.organisation.label,
            "name": membership.user.full_name or membership.user.email,
            "email": membership.user.email,
        },
        "  " + _("Nog steeds juist: %(url)s") % {"url": url},
    ]


def _recipients(offers: list[Offer]) -> dict[str, list[Offer]]:
    """E-mail address -> offers: the offer's contact person, else the provider's contacts."""
    provider_ids = {o.provider_id for o in offers}
    contacts: dict[int, list[str]] = defaultdict(list)
    for organisation_id, email in (
        Membership.objects.filter(
            organisation_id__in=provider_ids,
            role__in=PROVIDER_CONTACT_ROLES,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("-is_contact", "pk")
        .values_list("organisation_id", "user__email")
    ):
        if email not in contacts[organisation_id]:
            contacts[organisation_id].append(email)
    result: dict[str, list[Offer]] = defaultdict(list)
    for offer in offers:
        if offer.contact is not None and offer.contact.email and offer.contact.is_active:
            result[offer.contact.email].append(offer)
        elif contacts.get(offer.provider_id):
            result[contacts[offer.provider_id][0]].append(offer)
    return result


@transaction.atomic
def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """E-mail providers about their stale published offers (at most every two weeks per offer)."""
    now = now or timezone.now()
    region_ids = list(Offer.objects.values_list("provider__region_id", flat=True).distinct())
    offers = [
        o
        for o in selectors.stale_offers(region_ids).select_related("contact")
        if o.reminded_at is None or o.reminded_at < now - REMIND_EVERY
    ]
    contacts = stale_contacts(now)
    by_email: dict[str, list[Membership]] = defaultdict(list)
    for membership in contacts:
        by_email[membership.user.email].append(membership)
    sent = 0
    for email, items in _recipients(offers).items():
        lines = [
            _(
                "Klopt uw aanbod op de menukaart nog? Het is langer dan %(days)s dagen niet "
                "bevestigd. Klik per aanbod op de link als alles nog juist is, of pas het aan."
            )
            % {"days": selectors.stale_after_days()},
            "",
        ]
        for offer in items:
            lines += [
                f"- {offer.title}",
                "  "
                + _("Nog steeds juist: %(url)s")
                % {
                    "url": absolute_url(
                        reverse("catalogue:still_correct", args=[make_token(offer)])
                    )
                },
                "  "
                + _("Aanpassen: %(url)s")
                % {"url": absolute_url(reverse("catalogue:edit", args=[offer.pk]))},
            ]
        for membership in by_email.pop(email, []):
            lines += ["", *_contact_lines(membership)]
        lines += ["", _("De links zijn %(days)s dagen geldig.") % {"days": LINK_DAYS}]
        send_email_on_commit(
            to=[email],
            subject=_("Klopt uw aanbod op de menukaart nog?"),
            body="\n".join(lines),
        )
        sent += 1
    for email, memberships in by_email.items():
        lines = []
        for membership in memberships:
            lines += [*_contact_lines(membership), ""]
        lines += [
            _("Klopt er iets niet meer? Log in en pas uw profiel aan."),
            _("De links zijn %(days)s dagen geldig.") % {"days": LINK_DAYS},
        ]
        send_email_on_commit(
            to=[email],
            subject=_("Kloppen uw gegevens in de contactgids nog?"),
            body="\n".join(lines),
        )
        sent += 1
    Offer.objects.filter(pk__in=[o.pk for o in offers]).update(reminded_at=now)
    Membership.objects.filter(pk__in=[m.pk for m in contacts]).update(reminded_at=now)
    return {"emails": sent, "offers": len(offers), "contacts": len(contacts)}


def contact_directory(user: Any, *, kind: str = "", q: str = "") -> list[Any]:
    """Partner organisations of the user's regions with their current contact persons."""
    from django.db.models import Prefetch

    from maakstad.organisations.models import Organisation
    from maakstad.organisations.permissions import region_ids

    orgs = Organisation.objects.filter(region_id__in=region_ids(user), is_active=True)
    if kind:
        orgs = orgs.filter(kind=kind)
    if q:
        orgs = orgs.filter(name__icontains=q)
    return list(
        orgs.order_by("name").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_contact=True)
                .exclude(role=Role.PUPIL)
                .select_related("user")
                .order_by("user__full_name"),
                to_attr="contacts",
            ),
            Prefetch("locations", to_attr="all_locations"),
        )
    )
