from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "maakstad.internships"
    label = "internships"
    verbose_name = "Verdiepende stages"

    def ready(self) -> None:
        from maakstad.internships import nav  # noqa: F401 - registers menu items
