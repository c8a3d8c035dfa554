"""`manage.py check` reports a broken `MAAKSTAD_SSO_PROVIDERS` before anyone tries to log in."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from maakstad.sso.providers import all_providers


@register()
def sso_providers_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        providers = all_providers()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="maakstad.sso.E001")]
    slugs = [p.slug for p in providers]
    if len(slugs) != len(set(slugs)):
        return [Error("MAAKSTAD_SSO_PROVIDERS: slugs must be unique", id="maakstad.sso.E002")]
    return []
