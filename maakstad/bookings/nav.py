from django.utils.translation import gettext_lazy as _

from maakstad.bookings import permissions
from maakstad.catalogue.permissions import provider_ids
from maakstad.core.nav import NavItem, register
from maakstad.organisations.permissions import programme_region_ids

register(
    NavItem(
        _("Aanvragen"),
        "bookings:list",
        lambda user: (
            permissions.can_book(user)
            or bool(provider_ids(user))
            or bool(programme_region_ids(user))
        ),
        order=25,
    )
)
register(
    NavItem(
        _("Belasting aanbieders"),
        "bookings:load",
        lambda user: bool(programme_region_ids(user)),
        order=26,
    )
)
