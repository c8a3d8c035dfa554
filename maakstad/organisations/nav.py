from django.utils.translation import gettext_lazy as _

from maakstad.core.nav import NavItem, register
from maakstad.organisations import permissions

register(
    NavItem(
        _("Organisaties"),
        "organisations:list",
        lambda user: permissions.pupil_of(user) is None and bool(permissions.region_ids(user)),
        order=80,
    )
)
register(
    NavItem(
        _("Leerlingen"),
        "organisations:pupils",
        lambda user: bool(permissions.school_ids_as_staff(user)),
        order=85,
    )
)
register(
    NavItem(
        _("Referentiegegevens"),
        "organisations:terms",
        lambda user: permissions.is_programme_office(user, write=True),
        order=95,
    )
)
