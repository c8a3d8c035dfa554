from django.utils.translation import gettext_lazy as _

from maakstad.core.nav import NavItem, register
from maakstad.knowledge.permissions import is_staff_reader

register(NavItem(_("Kennisbank"), "knowledge:list", is_staff_reader, order=60))
