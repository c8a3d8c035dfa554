from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "maakstad.organisations"
    label = "organisations"
    verbose_name = "Organisaties"

    def ready(self) -> None:
        from maakstad.organisations import nav  # noqa: F401 - registers menu items
