"""Writes for organisations, people and pupils. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from maakstad.accounts.models import User
from maakstad.core import audit
from maakstad.core.notifications import absolute_url, send_email_on_commit
from maakstad.core.tabular import Table
from maakstad.organisations.geocoding import geocode
from maakstad.organisations.models import (
    Guardian,
    Location,
    Membership,
    Organisation,
    Pupil,
    Role,
    Term,
)
from maakstad.organisations.validators import normalise_postcode

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "description",
    "website",
    "email",
    "phone",
    "sectors",
    "subregion",
)
LOCATION_FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "vestigingscode",
    "is_main",
)


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, values: dict[str, Any], actor: Any
) -> Organisation:
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(organisation, name, values[name])
    _full_clean(organisation)
    # Whoever saves the organisation's details has just looked at them: they count as confirmed.
    organisation.confirmed_at = timezone.now()
    organisation.save()
    audit.record(
        action="organisation.updated",
        obj=organisation,
        actor=actor,
        before=before,
        after=audit.snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def location_save(
    *,
    organisation: Organisation,
    location: Location | None,
    values: dict[str, Any],
    actor: Any,
    geocoder_client: httpx.Client | None = None,
) -> Location:
    """Create or update a location; postcode normalised; exactly one main location.

    Without a pin (no coordinates), the address is geocoded with the PDOK Locatieserver when
    `MAAKSTAD_GEOCODING` is on; when that is off or finds nothing the location is saved without
    coordinates and the page asks the user to place the pin.
    """
    created = location is None
    target = location or Location(organisation=organisation)
    before = None if created else audit.snapshot(target, LOCATION_FIELDS)
    for name in LOCATION_FIELDS:
        if name in values:
            setattr(target, name, values[name])
    target.postcode = normalise_postcode(target.postcode)
    if (target.latitude is None) != (target.longitude is None):
        raise ValidationError(
            {"latitude": _("Vul zowel breedte- als lengtegraad in, of geen van beide.")}
        )
    moved = before is not None and any(
        str(before.get(name)) != str(getattr(target, name))
        for name in ("street", "postcode", "city")
    )
    pin_kept = before is not None and all(
        str(before.get(name)) == str(getattr(target, name)) for name in ("latitude", "longitude")
    )
    if target.latitude is None or (moved and pin_kept):
        found = geocode(
            street=target.street,
            postcode=target.postcode,
            city=target.city,
            client=geocoder_client,
        )
        if found is not None:
            target.latitude, target.longitude = found.latitude, found.longitude
    _full_clean(target)
    if not organisation.locations.exclude(pk=target.pk).exists():
        target.is_main = True
    target.save()
    if target.is_main:
        organisation.locations.exclude(pk=target.pk).update(is_main=False)
    audit.record(
        action="location.created" if created else "location.updated",
        obj=target,
        actor=actor,
        before=before,
        after=audit.snapshot(target, LOCATION_FIELDS),
        region_id=organisation.region_id,
    )
    return target


@transaction.atomic
def location_delete(*, location: Location, actor: Any) -> None:
    organisation = location.organisation
    if organisation.locations.count() == 1:
        raise ValidationError(_("Een organisatie houdt minstens één vestiging."))
    before = audit.snapshot(location, LOCATION_FIELDS)
    was_main = location.is_main
    audit.record(
        action="location.deleted",
        obj=location,
        actor=actor,
        before=before,
        region_id=organisation.region_id,
    )
    location.delete()
    if was_main:
        first = organisation.locations.order_by("name").first()
        if first:
            first.is_main = True
            first.save(update_fields=["is_main"])


# --- people ------------------------------------------------------------------------------------

ROLES_BY_KIND = {
    "school": (
        Role.TEACHER,
        Role.MENTOR,
        Role.DECAAN,
        Role.LOB_COORDINATOR,
        Role.STO_COORDINATOR,
        Role.ORG_ADMIN,
    ),
    "mbo": (Role.MBO_STAFF, Role.TEACHER, Role.ORG_ADMIN),
    "company": (Role.COMPANY_CONTACT, Role.ORG_ADMIN),
    "partner": (
        Role.COMPANY_CONTACT,
        Role.ORG_ADMIN,
        Role.PROGRAMME_MANAGER,
        Role.PROJECT_LEAD,
        Role.PROGRAMME_SUPPORT,
        Role.CONTROLLER,
        Role.STEERING_MEMBER,
    ),
}


def roles_for(organisation: Organisation) -> tuple[str, ...]:
    if organisation.kind == "mbo":
        return ROLES_BY_KIND["mbo"]
    if organisation.is_school:
        return ROLES_BY_KIND["school"]
    return ROLES_BY_KIND["company" if organisation.kind == "company" else "partner"]


def _set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    )


@transaction.atomic
def member_invite(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    title: str = "",
    actor: Any,
) -> Membership:
    """Add a colleague with a role; a new user gets an e-mail with a link to set a password."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Vul een geldig e-mailadres in.")}) from error
    if role not in roles_for(organisation):
        raise ValidationError({"role": _("Deze rol past niet bij deze organisatie.")})
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name.strip()}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, new = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"title": title}
    )
    if not new:
        raise ValidationError({"email": _("Deze persoon heeft deze rol al.")})
    audit.record(
        action="membership.invited",
        obj=membership,
        actor=actor,
        after={"user": user.pk, "role": role, "new_user": created},
        region_id=organisation.region_id,
    )
    inviter = getattr(actor, "display_name", "") or "Maakstad"
    body = _("%(inviter)s heeft je toegevoegd aan %(organisation)s in Maakstad als %(role)s.") % {
        "inviter": inviter,
        "organisation": organisation.name,
        "role": membership.get_role_display(),
    }
    if created or not user.has_usable_password():
        body += (
            "\n\n"
            + _("Stel via deze link je wachtwoord in (drie dagen geldig):")
            + "\n"
            + _set_password_link(user)
        )
    else:
        body += (
            "\n\n"
            + _("Log in met je bestaande account:")
            + "\n"
            + absolute_url(reverse("accounts:login"))
        )
    send_email_on_commit(to=[email], subject=_("Je bent uitgenodigd voor Maakstad"), body=body)
    return membership


@transaction.atomic
def membership_confirm(*, membership: Membership, actor: Any, actor_label: str = "") -> Membership:
    """The contact person says their details in the contact directory are still correct."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None and user.pk != membership.user_id:
        raise PermissionDenied
    before = {"confirmed_at": membership.confirmed_at}
    membership.confirmed_at = timezone.now()
    membership.save(update_fields=["confirmed_at", "updated_at"])
    audit.record(
        action="organisations.membership.confirm",
        obj=membership,
        actor=actor,
        actor_label=actor_label,
        before=before,
        after={"confirmed_at": membership.confirmed_at},
        region_id=membership.organisation.region_id,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    organisation = membership.organisation
    if (
        membership.role == Role.ORG_ADMIN
        and not organisation.memberships.filter(role=Role.ORG_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(_("Een organisatie houdt minstens één beheerder."))
    audit.record(
        action="membership.removed",
        obj=membership,
        actor=actor,
        before={"user": membership.user_id, "role": membership.role},
        region_id=organisation.region_id,
    )
    membership.delete()


# --- reference data ----------------------------------------------------------------------------


@transaction.atomic
def term_save(*, term: Term | None, values: dict[str, Any], actor: Any) -> Term:
    created = term is None
    target = term or Term()
    before = None if created else audit.snapshot(target)
    for name in ("taxonomy", "code", "name", "is_technical", "is_active", "position"):
        if name in values:
            setattr(target, name, values[name])
    _full_clean(target)
    target.save()
    audit.record(
        action="term.created" if created else "term.updated",
        obj=target,
        actor=actor,
        before=before,
        after=audit.snapshot(target),
    )
    return target


# --- class lists -------------------------------------------------------------------------------

IMPORT_COLUMNS = ("leerlingnummer", "voornaam", "klas")
OPTIONAL_COLUMNS = (
    "achternaam",
    "voorletter",
    "leerjaar",
    "groep",
    "leerweg",
    "profiel",
    "ouder1 naam",
    "ouder1 e-mail",
    "ouder1 telefoon",
    "ouder2 naam",
    "ouder2 e-mail",
    "ouder2 telefoon",
)
IMPORT_ROLES = (Role.ORG_ADMIN, Role.STO_COORDINATOR, Role.DECAAN, Role.MENTOR)
TEMPLATE_CSV = (
    "leerlingnummer,voornaam,achternaam,voorletter,klas,leerjaar,groep,leerweg,profiel,"
    "ouder1 naam,ouder1 e-mail,ouder1 telefoon,ouder2 naam,ouder2 e-mail,ouder2 telefoon\n"
    "123456,Sanne,,J,3K1,3,,KB,PIE,Anna Jansen,anna@example.nl,06 12345678,,,\n"
)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_pupil_row(
    number: int,
    row: dict[str, str],
    school: Organisation,
    leerwegen: dict[str, Term],
    profiles: dict[str, Term],
) -> tuple[dict[str, Any], list[dict[str, str]], list[str]]:
    problems: list[str] = []
    external_id = row.get("leerlingnummer", "").strip()
    first_name = row.get("voornaam", "").strip()
    class_name = row.get("klas", "").strip()
    if not external_id:
        problems.append(_("leerlingnummer ontbreekt"))
    if not first_name:
        problems.append(_("voornaam ontbreekt"))
    if not class_name:
        problems.append(_("klas ontbreekt"))
    values: dict[str, Any] = {
        "first_name": first_name[:80],
        "last_name": row.get("achternaam", "").strip()[:120],
        "last_name_initial": (
            row.get("voorletter", "").strip() or row.get("achternaam", "").strip()[:1]
        ).upper()[:3],
        "class_name": class_name[:20],
        "leerjaar": None,
        "groep": None,
        "leerweg": None,
        "profile": None,
    }
    for column, low, high, key in (("leerjaar", 1, 6, "leerjaar"), ("groep", 1, 8, "groep")):
        text = row.get(column, "").strip()
        if text:
            if not text.isdigit() or not low <= int(text) <= high:
                problems.append(
                    _("%(column)s '%(value)s' moet een getal van %(low)s tot %(high)s zijn")
                    % {"column": column, "value": text, "low": low, "high": high}
                )
            else:
                values[key] = int(text)
    if school.kind == "po" and values["groep"] is None and not problems:
        problems.append(_("groep ontbreekt (basisschool)"))
    if school.kind != "po" and values["leerjaar"] is None and not problems:
        problems.append(_("leerjaar ontbreekt"))
    leerweg = row.get("leerweg", "").strip().upper()
    if leerweg:
        if leerweg not in leerwegen:
            problems.append(
                _("leerweg '%(value)s' bestaat niet; kies uit %(options)s")
                % {"value": leerweg, "options": ", ".join(sorted(leerwegen))}
            )
        else:
            values["leerweg"] = leerwegen[leerweg]
    profile = row.get("profiel", "").strip()
    if profile:
        match = {code.lower(): term for code, term in profiles.items()}.get(profile.lower())
        if match is None:
            problems.append(
                _("profiel '%(value)s' bestaat niet; kies uit %(options)s")
                % {"value": profile, "options": ", ".join(sorted(profiles))}
            )
        else:
            values["profile"] = match
    guardians = []
    for index in (1, 2):
        name = row.get(f"ouder{index} naam", "").strip()
        email = row.get(f"ouder{index} e-mail", "").strip()
        phone = row.get(f"ouder{index} telefoon", "").strip()
        if not (name or email or phone):
            continue
        if not name:
            problems.append(_("naam van ouder %(n)s ontbreekt") % {"n": index})
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    _("e-mailadres van ouder %(n)s '%(value)s' is ongeldig")
                    % {"n": index, "value": email}
                )
        guardian = Guardian(name=name, email=email, phone=phone)
        try:
            guardian.full_clean(exclude=["pupil", "name", "email"])
        except ValidationError:
            problems.append(
                _("telefoonnummer van ouder %(n)s '%(value)s' is ongeldig")
                % {"n": index, "value": phone}
            )
        guardians.append({"name": name, "email": email, "phone": phone})
    return {"external_id": external_id, **values}, guardians, problems


def pupil_import(*, school: Organisation, table: Table, actor: Any) -> ImportReport:
    """Import a class list. All or nothing: one bad row rejects the file with a Dutch report per
    line; a re-import updates pupils by (school, leerlingnummer) and replaces their guardians."""
    from maakstad.organisations import permissions

    if not school.is_school or not permissions.has_role(
        actor, *IMPORT_ROLES, organisation_id=school.pk
    ):
        raise PermissionDenied
    report = ImportReport()
    missing = [c for c in IMPORT_COLUMNS if c not in table.header]
    if missing:
        report.errors.append(
            _("Kolommen ontbreken: %(columns)s. Gebruik het voorbeeldbestand.")
            % {"columns": ", ".join(missing)}
        )
        return report
    unknown = [c for c in table.header if c and c not in IMPORT_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        report.errors.append(
            _("Onbekende kolommen: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
        return report
    if not table.rows:
        report.errors.append(_("Het bestand bevat geen leerlingen."))
        return report
    leerwegen = {t.code: t for t in Term.objects.leerwegen()}
    profiles = {t.code: t for t in Term.objects.profiles()}
    parsed = []
    seen: dict[str, int] = {}
    for number, row in table.rows:
        values, guardians, problems = _parse_pupil_row(number, row, school, leerwegen, profiles)
        if values["external_id"] in seen:
            problems.append(
                _("leerlingnummer %(id)s staat ook op regel %(line)s")
                % {"id": values["external_id"], "line": seen[values["external_id"]]}
            )
        seen.setdefault(values["external_id"], number)
        if problems:
            report.errors.append(
                _("Regel %(line)s: %(problems)s")
                % {"line": number, "problems": "; ".join(problems)}
            )
        parsed.append((values, guardians))
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            p.external_id: p for p in Pupil.objects.select_for_update().filter(school=school)
        }
        for values, guardians in parsed:
            pupil = existing.get(values["external_id"])
            if pupil is None:
                pupil = Pupil.objects.create(school=school, **values)
                report.created += 1
            else:
                for name, value in values.items():
                    setattr(pupil, name, value)
                pupil.save()
                report.updated += 1
            pupil.guardians.all().delete()
            Guardian.objects.bulk_create([Guardian(pupil=pupil, **g) for g in guardians])
        audit.record(
            action="pupils.imported",
            obj=school,
            actor=actor,
            after={"created": report.created, "updated": report.updated},
        )
    return report
