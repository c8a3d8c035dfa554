from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "maakstad.bookings"
    label = "bookings"
    verbose_name = "Boekingen"

    def ready(self) -> None:
        from maakstad.bookings import exports, nav  # noqa: F401 - registers menu items and reports
