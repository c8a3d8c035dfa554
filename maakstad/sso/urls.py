from django.urls import path

from maakstad.sso import views

app_name = "sso"

urlpatterns = [
    path("koppelen/", views.couple, name="couple"),
    path("leerling/<int:pk>/koppelcode/", views.coupling_code, name="coupling_code"),
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/acs/", views.acs, name="acs"),
    path("<slug:slug>/verder/", views.finish, name="finish"),
    path("<slug:slug>/metadata/", views.metadata, name="metadata"),
    path("<slug:slug>/callback/", views.callback, name="callback"),
]
