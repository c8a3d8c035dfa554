from django.utils.translation import gettext_lazy as _

from maakstad.catalogue.permissions import is_logged_in, is_provider, is_staff
from maakstad.core.nav import NavItem, register
from maakstad.organisations.permissions import programme_region_ids, region_ids

register(NavItem(_("Menukaart"), "catalogue:menukaart", lambda u: bool(region_ids(u)), order=20))
register(
    NavItem(
        _("Mijn aanbod"), "catalogue:mine", lambda u: is_logged_in(u) and is_provider(u), order=21
    )
)
register(NavItem(_("Contactgids"), "catalogue:contacts", is_staff, order=22))
register(
    NavItem(
        _("Verouderd aanbod"),
        "catalogue:stale",
        lambda u: bool(programme_region_ids(u)),
        order=88,
    )
)
