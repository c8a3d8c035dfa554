from typing import Any

from django.conf import settings
from django.http import HttpRequest

from maakstad.core import nav
from maakstad.core.models import Notification


def maakstad(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    unread = 0
    if user.is_authenticated:
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {
        "nav_items": nav.items_for(user),
        "unread_count": unread,
        "TILE_URL": settings.MAAKSTAD_TILE_URL,
        "TILE_ATTRIBUTION": settings.MAAKSTAD_TILE_ATTRIBUTION,
    }
