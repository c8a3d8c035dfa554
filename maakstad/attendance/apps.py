from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "maakstad.attendance"
    label = "attendance"
    verbose_name = "Aanwezigheid"

    def ready(self) -> None:
        from maakstad.attendance import (
            exports,  # noqa: F401 - registers the co-financing report
            nav,  # noqa: F401 - registers menu items
        )
