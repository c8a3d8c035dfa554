"""The token page of an organisation: create (the secret is shown once), list and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from maakstad.api import permissions, services
from maakstad.api.auth import rate_limit
from maakstad.api.forms import TokenForm
from maakstad.core.types import AuthenticatedHttpRequest


@never_cache
@login_required
def tokens(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.get_token_organisation_for_user(request.user, pk)
    listed = permissions.tokens_for_organisation(organisation)
    form = TokenForm()
    secret = ""
    if request.method == "POST":
        if request.POST.get("intrekken"):
            token = get_object_or_404(listed, pk=request.POST["intrekken"])
            try:
                services.token_revoke(token=token, actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("De sleutel is ingetrokken; hij werkt niet meer."))
            return redirect("api:tokens", pk=organisation.pk)
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, secret = services.token_create(
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    actor=request.user,
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation,
            "tokens": listed,
            "form": form,
            "secret": secret,
            "rate_limit": rate_limit(),
        },
    )
