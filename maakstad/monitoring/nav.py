from django.utils.translation import gettext_lazy as _

from maakstad.core.nav import NavItem, register
from maakstad.monitoring.permissions import reporting_school_ids
from maakstad.organisations import permissions

register(
    NavItem(
        _("Monitoring"),
        "monitoring:dashboard",
        lambda user: permissions.is_programme_office(user),
        order=90,
    )
)
register(
    NavItem(
        _("Schoolrapportage"),
        "monitoring:school_reports",
        lambda user: bool(reporting_school_ids(user)) and not permissions.is_programme_office(user),
        order=91,
    )
)
register(
    NavItem(
        _("Mijn school in cijfers"),
        "monitoring:school_dashboards",
        lambda user: (
            bool(permissions.school_ids_as_staff(user))
            and not permissions.is_programme_office(user)
        ),
        order=92,
    )
)
