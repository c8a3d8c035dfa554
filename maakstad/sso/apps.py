from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "maakstad.sso"
    label = "sso"
    verbose_name = "Single sign-on"
