from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from maakstad.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request type of views behind `login_required` (with django-htmx's details)."""

    user: User
    htmx: HtmxDetails
