"""SSO's part of a pupil's data export and anonymisation (see organisations.privacy).

The pseudonym at the school's identity provider and any coupling codes are deleted."""

from __future__ import annotations

from typing import Any

from maakstad.organisations.models import Pupil
from maakstad.sso.models import CouplingCode, SsoIdentity


def export_pupil(pupil: Pupil) -> dict[str, Any]:
    identities = SsoIdentity.objects.filter(user_id=pupil.user_id) if pupil.user_id else []
    return {
        "sso": [
            {
                "provider": i.provider,
                "subject": i.subject,
                "created": i.created.isoformat(),
                "last_login": i.last_login.isoformat() if i.last_login else None,
            }
            for i in identities
        ]
    }


def anonymise_pupil(pupil: Pupil) -> None:
    if pupil.user_id:
        SsoIdentity.objects.filter(user_id=pupil.user_id).delete()
    CouplingCode.objects.filter(pupil=pupil).delete()
