from django.utils.translation import gettext_lazy as _

from maakstad.attendance import permissions
from maakstad.core.nav import NavItem, register
from maakstad.organisations import permissions as org_permissions

register(
    NavItem(
        _("Inchecken"),
        "attendance:checkin",
        lambda u: org_permissions.pupil_of(u) is not None,
        order=10,
    )
)
register(
    NavItem(
        _("Sessies"),
        "attendance:sessions",
        # From the cached memberships: no query on every page.
        lambda u: (
            org_permissions.pupil_of(u) is None
            and bool(org_permissions.organisation_ids(u, *permissions.HOST_ROLES))
        ),
        order=40,
    )
)
register(
    NavItem(
        _("Cofinanciering"),
        "attendance:ledger",
        lambda u: org_permissions.is_programme_office(u),
        order=92,
    )
)
register(
    NavItem(
        _("Stage-uren"),
        "attendance:reported_hours",
        lambda u: bool(permissions.can_report_hours(u)),
        order=93,
    )
)
