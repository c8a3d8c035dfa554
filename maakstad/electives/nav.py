from django.utils.translation import gettext_lazy as _

from maakstad.core.nav import NavItem, register
from maakstad.electives import permissions
from maakstad.organisations import permissions as org_perms

register(NavItem(_("Keuzevakkengids"), "electives:guide", lambda user: True, order=40))
register(
    NavItem(
        _("Mijn keuzevakken"),
        "electives:my",
        lambda user: org_perms.pupil_of(user) is not None,
        order=41,
    )
)
register(
    NavItem(
        _("Keuzerondes"),
        "electives:rounds",
        lambda user: (
            org_perms.pupil_of(user) is None
            and (permissions.is_manager(user) or bool(org_perms.school_ids_as_staff(user)))
        ),
        order=42,
    )
)
register(
    NavItem(
        _("Deelnemers keuzevakken"),
        "electives:provider_sections",
        lambda user: (
            bool(permissions.provider_ids(user)) and not org_perms.school_ids_as_staff(user)
        ),
        order=43,
    )
)
register(
    NavItem(
        _("Beheer extern leren"),
        "electives:manage",
        lambda user: permissions.is_manager(user),
        order=44,
    )
)
