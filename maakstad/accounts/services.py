"""Writes for accounts: two-factor authentication. Every change is audited; no secret or code is
ever written to the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maakstad.accounts import twofactor
from maakstad.accounts.models import TOTP_PURPOSE, RecoveryCode, TotpDevice, User
from maakstad.core import audit, crypto


def _wrong_code() -> ValidationError:
    return ValidationError(_("Deze code klopt niet. Probeer de nieuwste code uit je app."))


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [twofactor.new_recovery_code() for _ in range(twofactor.RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=twofactor.hash_recovery_code(code)) for code in codes
    )
    return codes


def _use_totp(device: TotpDevice, code: str) -> bool:
    """Accept `code` once: the conditional update refuses a step that was already used."""
    step = twofactor.matching_step(device.secret, code, after_step=device.last_used_step)
    if not step:
        return False
    changes: dict[str, Any] = {"last_used_step": step}
    if crypto.needs_rotation(device.secret_encrypted, purpose=TOTP_PURPOSE):
        # Written under an older SECRET_KEY: store it under the current one.
        changes["secret_encrypted"] = TotpDevice.encrypt_secret(device.secret)
    return bool(TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(**changes))


@transaction.atomic
def totp_device_enable(*, user: User, secret: str, code: str, actor: Any) -> list[str]:
    """Turn two-factor authentication on with the app set up from `secret`, once `code` (from
    that app) proves it works. Returns the new recovery codes; they are shown once."""
    if not twofactor.can_use(user):
        raise PermissionDenied(_("Leerlingen gebruiken geen tweestapsverificatie."))
    if twofactor.confirmed_device(user) is not None:
        raise ValidationError(_("Tweestapsverificatie staat al aan."))
    step = twofactor.matching_step(secret, code)
    if not step:
        raise _wrong_code()
    TotpDevice.objects.filter(user=user).delete()
    device = TotpDevice.objects.create(
        user=user,
        secret_encrypted=TotpDevice.encrypt_secret(secret),
        confirmed_at=timezone.now(),
        last_used_step=step,
    )
    codes = _new_recovery_codes(user)
    audit.record(
        action="accounts.2fa_enabled",
        obj=user,
        actor=actor,
        after={"confirmed_at": device.confirmed_at, "recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, code: str, actor: Any) -> list[str]:
    """Replace all recovery codes after a current code from the app. Returns the new codes."""
    device = twofactor.confirmed_device(user)
    if device is None:
        raise ValidationError(_("Tweestapsverificatie staat niet aan."))
    if not _use_totp(device, code):
        raise _wrong_code()
    codes = _new_recovery_codes(user)
    audit.record(
        action="accounts.2fa_recovery_codes_regenerated",
        obj=user,
        actor=actor,
        after={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def totp_device_disable(*, user: User, password: str, code: str, actor: Any) -> None:
    """Turn two-factor authentication off; needs the password and a code (app or recovery)."""
    device = twofactor.confirmed_device(user)
    if device is None:
        raise ValidationError(_("Tweestapsverificatie staat niet aan."))
    if not user.check_password(password):
        raise ValidationError(_("Dit wachtwoord klopt niet."))
    if not (_use_totp(device, code) or _use_recovery_code(user, code, actor=actor)):
        raise _wrong_code()
    _turn_off(device, action="accounts.2fa_disabled", actor=actor)


def _turn_off(device: TotpDevice, *, action: str, actor: Any, actor_label: str = "") -> None:
    """Remove the app and the recovery codes of the device's user, audited as `action`."""
    device.delete()
    RecoveryCode.objects.filter(user=device.user).delete()
    audit.record(
        action=action,
        obj=device.user,
        actor=actor,
        actor_label=actor_label,
        before={"confirmed_at": device.confirmed_at},
    )


def _use_recovery_code(user: User, code: str, *, actor: Any) -> bool:
    if twofactor.looks_like_totp(code) or not twofactor.normalise_recovery_code(code):
        return False
    used = RecoveryCode.objects.filter(
        user=user, code_hash=twofactor.hash_recovery_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        return False
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    audit.record(
        action="accounts.2fa_recovery_code_used",
        obj=user,
        actor=actor,
        after={"recovery_codes_left": left},
    )
    return True


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> str:
    """Check the code of the log-in's second step: a code from the app (each time step once) or
    an unused recovery code, which is used up. Returns "totp" or "recovery"; raises
    ValidationError for a wrong code."""
    device = twofactor.confirmed_device(user)
    if device is None:
        raise ValidationError(_("Tweestapsverificatie staat niet aan."))
    if _use_totp(device, code):
        return "totp"
    if _use_recovery_code(user, code, actor=user):
        return "recovery"
    raise _wrong_code()


@transaction.atomic
def totp_device_reset(*, user: User, actor: Any = None, actor_label: str = "") -> bool:
    """Turn two-factor authentication off for a user who lost both app and recovery codes, after
    their identity was checked outside the application. Returns whether anything was on."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None:
        return False
    _turn_off(device, action="accounts.2fa_reset", actor=actor, actor_label=actor_label)
    return True
