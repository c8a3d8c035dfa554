from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maakstad.api"
    label = "api"
    verbose_name = "API"
