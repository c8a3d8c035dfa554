from django.utils.translation import gettext_lazy as _

from maakstad.core.nav import NavItem, register
from maakstad.internships import permissions
from maakstad.organisations.permissions import pupil_of, school_ids_as_staff

register(
    NavItem(
        _("Stages"),
        "internships:ads",
        lambda user: pupil_of(user) is not None or bool(permissions.mentor_school_ids(user)),
        order=30,
    )
)
register(
    NavItem(
        _("Stage-aanmeldingen"),
        "internships:applications",
        lambda user: (
            pupil_of(user) is not None
            or bool(school_ids_as_staff(user))
            or bool(permissions.company_ids(user))
        ),
        order=31,
    )
)
register(
    NavItem(
        _("Mijn stageplaatsen"),
        "internships:company_ads",
        lambda user: bool(permissions.company_ids(user)),
        order=32,
    )
)
