"""What a verified SSO log-in means for Maakstad: which account, which school, which role.

The protocol modules (`saml.py`, `oidc.py`) only verify and extract `Claims`; everything that
writes lives here (DESIGN.md §4.1). Nothing here logs the subject or the attributes.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from maakstad.accounts.models import User
from maakstad.core import audit
from maakstad.organisations.models import SCHOOL_KINDS, Membership, Organisation, Pupil, Role
from maakstad.sso.models import Affiliation, CouplingCode, SsoIdentity

PUPIL_AFFILIATIONS = frozenset({"student"})
STAFF_AFFILIATIONS = frozenset({"employee", "staff", "faculty"})
# A school's own role for a colleague who logs in through SSO for the first time: the one with
# the fewest rights. The school's administrator can give more.
SSO_STAFF_ROLE = Role.TEACHER
PLACEHOLDER_DOMAIN = "sso.invalid"

_BRIN = re.compile(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$")


@dataclass(frozen=True)
class Claims:
    """What a verified assertion or ID token says about the person (the minimum we need)."""

    subject: str
    brin: str = ""
    affiliations: tuple[str, ...] = ()
    email: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class SsoRefused(Exception):
    """A verified log-in that Maakstad does not accept; `message` is shown to the person."""

    MESSAGES = {
        "unknown_school": _(
            "Uw school is (nog) niet aangesloten bij Maakstad. Vraag de contactpersoon Sterk "
            "Techniekonderwijs van uw school om contact op te nemen met het programmabureau."
        ),
        "no_school": _(
            "Uw identiteitsverstrekker heeft niet doorgegeven bij welke school u hoort "
            "(nlEduPersonHomeOrganizationId). Vraag uw school dit attribuut vrij te geven."
        ),
        "no_affiliation": _(
            "Uw identiteitsverstrekker heeft niet doorgegeven of u leerling of medewerker bent "
            "(eduPersonAffiliation). Vraag uw school dit attribuut vrij te geven."
        ),
        "pupil_not_coupled": _(
            "Je account is nog niet gekoppeld aan Maakstad. Je school moet je eerst aanmelden; "
            "vraag het je mentor of decaan."
        ),
        "bad_code": _(
            "Deze koppelcode klopt niet of is verlopen. Controleer de code of vraag je school "
            "om een nieuwe."
        ),
        "too_many_attempts": _(
            "Te vaak een verkeerde koppelcode. Log opnieuw in via je school en probeer het nog eens."
        ),
        "inactive": _("Dit account is niet actief."),
        "no_subject": _(
            "Uw identiteitsverstrekker heeft geen (pseudonieme) gebruikersnaam gegeven."
        ),
        "invalid": _("De inlog kon niet worden gecontroleerd. Probeer het opnieuw."),
    }

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(self.MESSAGES.get(self.code, self.MESSAGES["invalid"]))


def normalise_brin(value: str) -> str:
    """`12AB` or a vestiging `12AB00` (Entree may add the two digits) → `12AB`; else ''."""
    brin = (value or "").strip().upper()
    return brin[:4] if _BRIN.match(brin) else ""


def affiliation_of(values: Iterable[str]) -> str | None:
    """`student` → pupil; employee/staff/faculty → staff. Both: pupil (the fewest rights)."""
    # Scoped values (`student@school.nl`) come from SURFconext's eduPersonScopedAffiliation.
    plain = {v.strip().lower().split("@")[0] for v in values if v and v.strip()}
    if plain & PUPIL_AFFILIATIONS:
        return Affiliation.PUPIL
    if plain & STAFF_AFFILIATIONS:
        return Affiliation.STAFF
    return None


def school_for_brin(brin: str) -> Organisation | None:
    if not brin:
        return None
    return (
        Organisation.objects.active()
        .filter(brin=brin, kind__in=SCHOOL_KINDS)
        .select_related("region")
        .first()
    )


def _new_staff_user(*, school: Organisation, email: str) -> tuple[User, bool]:
    """The account for a colleague's first SSO log-in; an existing e-mail address is only
    reused when that account already works at the same school (no take-over of other accounts)."""
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            email = ""
    if email:
        existing = User.objects.filter(email=email).first()
        if existing is not None:
            if Membership.objects.filter(user=existing, organisation=school).exists():
                return existing, False
            email = ""
        elif email.endswith("@" + PLACEHOLDER_DOMAIN):
            email = ""
    if not email:
        email = f"{secrets.token_hex(12)}@{PLACEHOLDER_DOMAIN}"
    # No password: create_user(password=None) stores an unusable one.
    return User.objects.create_user(email=email, password=None), True


@transaction.atomic
def sso_login_resolve(*, provider: str, claims: Claims) -> User:
    """The account to log in for a verified SSO log-in; creates staff accounts on first use.

    Raises `SsoRefused` for what Maakstad does not accept (unknown school, a pupil whose school
    has not coupled the account, no affiliation).
    """
    if not claims.subject:
        raise SsoRefused("no_subject")
    identity = (
        SsoIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=claims.subject)
        .first()
    )
    if identity is not None:
        if not identity.user.is_active:
            raise SsoRefused("inactive")
        identity.last_login = timezone.now()
        identity.save(update_fields=["last_login"])
        return identity.user

    brin = normalise_brin(claims.brin)
    if not brin:
        raise SsoRefused("no_school")
    school = school_for_brin(brin)
    if school is None:
        raise SsoRefused("unknown_school")
    affiliation = affiliation_of(claims.affiliations)
    if affiliation is None:
        raise SsoRefused("no_affiliation")
    if affiliation == Affiliation.PUPIL:
        # Pupils are minors and the school is the controller: no pupil record from nothing.
        raise SsoRefused("pupil_not_coupled")

    user, created = _new_staff_user(school=school, email=claims.email)
    if not user.is_active:
        raise SsoRefused("inactive")
    actor_label = f"SSO {provider}"
    if created:
        audit.record(
            action="user.created_sso",
            obj=user,
            actor=user,
            actor_label=actor_label,
            after={
                "provider": provider,
                "placeholder_email": user.email.endswith(PLACEHOLDER_DOMAIN),
            },
            region_id=school.region_id,
        )
    if not Membership.objects.filter(user=user, organisation=school).exists():
        membership = Membership.objects.create(user=user, organisation=school, role=SSO_STAFF_ROLE)
        audit.record(
            action="membership.created_sso",
            obj=membership,
            actor=user,
            actor_label=actor_label,
            after={"user": user.pk, "role": SSO_STAFF_ROLE, "provider": provider},
            region_id=school.region_id,
        )
    identity = SsoIdentity.objects.create(
        provider=provider,
        subject=claims.subject,
        user=user,
        organisation=school,
        affiliation=affiliation,
        last_login=timezone.now(),
    )
    audit.record(
        action="sso_identity.linked",
        obj=identity,
        actor=user,
        actor_label=actor_label,
        # Never the subject: it is the person's pseudonym at the identity provider.
        after=audit.snapshot(identity, ["provider", "user_id", "organisation_id", "affiliation"]),
        region_id=school.region_id,
    )
    return user


# --- pupils: the school couples, then the pupil logs in --------------------------------------

COUPLING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
COUPLING_VALIDITY = dt.timedelta(days=14)


def _code_hash(code: str) -> str:
    plain = "".join(c for c in code.upper() if c in COUPLING_ALPHABET)
    return salted_hmac("maakstad.sso.coupling-code", plain, algorithm="sha256").hexdigest()


@transaction.atomic
def coupling_code_create(*, pupil: Pupil, actor: User) -> str:
    """A new one-time code for `pupil` (earlier unused codes stop working); returns it once."""
    CouplingCode.objects.filter(pupil=pupil, used_at__isnull=True).delete()
    raw = "".join(secrets.choice(COUPLING_ALPHABET) for _ in range(10))
    code = f"{raw[:5]}-{raw[5:]}"
    coupling = CouplingCode.objects.create(
        pupil=pupil,
        code_hash=_code_hash(code),
        created_by=actor,
        expires_at=timezone.now() + COUPLING_VALIDITY,
    )
    audit.record(
        action="sso_coupling_code.created",
        obj=pupil,
        actor=actor,
        after={"coupling_code": coupling.pk, "expires_at": coupling.expires_at},
        region_id=pupil.school.region_id,
    )
    return code


@transaction.atomic
def sso_pupil_couple(*, provider: str, claims: Claims, code: str) -> User:
    """Couple a pupil's SSO identity to the pupil record of their school, with the school's code.

    The code must belong to a pupil of the school the identity provider names (BRIN).
    """
    school = school_for_brin(normalise_brin(claims.brin))
    if school is None:
        raise SsoRefused("unknown_school")
    if affiliation_of(claims.affiliations) != Affiliation.PUPIL or not claims.subject:
        raise SsoRefused("invalid")
    coupling = (
        # Lock the code and the pupil (not the pupil's optional user: an outer join).
        CouplingCode.objects.select_for_update(of=("self", "pupil"))
        .select_related("pupil")
        .filter(
            code_hash=_code_hash(code),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            pupil__school=school,
            pupil__anonymised_at__isnull=True,
        )
        .first()
    )
    if coupling is None:
        raise SsoRefused("bad_code")
    if SsoIdentity.objects.filter(provider=provider, subject=claims.subject).exists():
        raise SsoRefused("invalid")
    pupil = coupling.pupil
    user = pupil.user
    if user is None:
        user = User.objects.create_user(
            email=f"{secrets.token_hex(12)}@{PLACEHOLDER_DOMAIN}", password=None
        )
        Pupil.objects.filter(pk=pupil.pk).update(user=user)
    elif not user.is_active:
        raise SsoRefused("inactive")
    Membership.objects.get_or_create(user=user, organisation=school, role=Role.PUPIL)
    coupling.used_at = timezone.now()
    coupling.save(update_fields=["used_at"])
    identity = SsoIdentity.objects.create(
        provider=provider,
        subject=claims.subject,
        user=user,
        organisation=school,
        affiliation=Affiliation.PUPIL,
        last_login=timezone.now(),
    )
    audit.record(
        action="pupil.sso_coupled",
        obj=pupil,
        actor=user,
        actor_label=f"SSO {provider}",
        after={"user": user.pk, "provider": provider, "coupling_code": coupling.pk},
        region_id=school.region_id,
    )
    audit.record(
        action="sso_identity.linked",
        obj=identity,
        actor=user,
        actor_label=f"SSO {provider}",
        after=audit.snapshot(identity, ["provider", "user_id", "organisation_id", "affiliation"]),
        region_id=school.region_id,
    )
    return user
