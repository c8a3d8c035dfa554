from django.urls import path

from maakstad.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("menukaart/", views.menukaart, name="menukaart"),
    path("menukaart/mbo/", views.menukaart_mbo, name="menukaart_mbo"),
    path("menukaart/kaart.geojson", views.offers_geojson, name="geojson"),
    path("menukaart/aanbod/nieuw/", views.offer_create, name="create"),
    path("menukaart/aanbod/<int:pk>/", views.offer_detail, name="detail"),
    path("menukaart/aanbod/<int:pk>/bewerken/", views.offer_edit, name="edit"),
    path("menukaart/aanbod/<int:pk>/status/", views.offer_status, name="status"),
    path("menukaart/mijn-aanbod/", views.my_offers, name="mine"),
    path("menukaart/activiteiten/", views.activity_type_list, name="activity_types"),
    path("menukaart/activiteiten/nieuw/", views.activity_type_create, name="activity_type_create"),
    path("menukaart/activiteiten/<int:pk>/", views.activity_type_edit, name="activity_type_edit"),
    path("menukaart/contactgids/", views.contact_directory, name="contacts"),
    path("menukaart/verouderd/", views.stale_overview, name="stale"),
    path("menukaart/nog-juist/<str:token>/", views.still_correct, name="still_correct"),
    path(
        "menukaart/contact-juist/<str:token>/",
        views.contact_still_correct,
        name="contact_still_correct",
    ),
]
