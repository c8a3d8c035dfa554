from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maakstad.core"
    label = "core"
    verbose_name = "Maakstad core"
