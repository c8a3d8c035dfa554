"""Who may manage an organisation's API tokens, and what a token may read.

Tokens are managed by the organisation's own admins (`org_admin`); for a programme-office
organisation also by its programme manager. The programme office does not manage other
organisations' tokens: a token opens that organisation's own data.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from maakstad.api.models import ApiToken
from maakstad.organisations.models import PROGRAMME_ROLES, Membership, Organisation, Role
from maakstad.organisations.permissions import has_role, organisations_for_user

TOKEN_ADMIN_ROLES = (Role.ORG_ADMIN, Role.PROGRAMME_MANAGER)


def can_manage_tokens(user: Any, organisation: Organisation) -> bool:
    return has_role(user, *TOKEN_ADMIN_ROLES, organisation_id=organisation.pk)


def get_token_organisation_for_user(user: Any, pk: int) -> Organisation:
    """The organisation whose token page `user` opens: 404 if unseen, 403 if not an admin."""
    organisation = organisations_for_user(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    if not can_manage_tokens(user, organisation):
        raise PermissionDenied
    return organisation


def tokens_for_organisation(organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")


def is_programme_office(organisation: Organisation) -> bool:
    """An organisation is the programme office when people work there in a programme role."""
    return Membership.objects.filter(organisation=organisation, role__in=PROGRAMME_ROLES).exists()
