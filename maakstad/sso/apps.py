from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "maakstad.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from maakstad.sso import checks  # noqa: F401  (registers the system check)
