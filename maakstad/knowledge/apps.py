from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "maakstad.knowledge"
    label = "knowledge"
    verbose_name = "Kennisbank"

    def ready(self) -> None:
        from maakstad.knowledge import nav  # noqa: F401 - registers menu items
