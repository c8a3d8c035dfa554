from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "maakstad.catalogue"
    label = "catalogue"
    verbose_name = "Menukaart"

    def ready(self) -> None:
        from maakstad.catalogue import nav  # noqa: F401 - registers menu items
