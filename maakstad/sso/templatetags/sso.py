from django import template

from maakstad.sso.providers import Provider, all_providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[Provider]:
    """The configured identity providers, for the buttons on the log-in page."""
    return all_providers()
