from django.urls import path

from maakstad.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<int:pk>/gelezen/", views.inbox_read, name="inbox_read"),
    path("healthz", views.healthz, name="healthz"),
]
