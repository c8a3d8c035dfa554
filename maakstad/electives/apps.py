from django.apps import AppConfig


class ElectivesConfig(AppConfig):
    name = "maakstad.electives"
    label = "electives"
    verbose_name = "Extern leren"

    def ready(self) -> None:
        from maakstad.electives import nav  # noqa: F401 - registers menu items
