from django.urls import path

from maakstad.api import views
from maakstad.api.api import api

app_name = "api"

urlpatterns = [
    path("api/v1/", api.urls),
    path("organisaties/<int:pk>/api-sleutels/", views.tokens, name="tokens"),
]
