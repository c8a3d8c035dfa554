from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "maakstad.bookings"
    label = "bookings"
