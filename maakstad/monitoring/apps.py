from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "maakstad.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from maakstad.monitoring import (
            exports,  # noqa: F401 - registers the reports for `manage.py export`
            measures,  # noqa: F401 - registers the indicators
            nav,  # noqa: F401 - registers menu items
        )
