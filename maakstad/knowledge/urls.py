from django.urls import path

from maakstad.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("kennisbank/", views.resource_list, name="list"),
    path("kennisbank/nieuw/", views.resource_create, name="create"),
    path("kennisbank/<int:pk>/", views.resource_detail, name="detail"),
    path("kennisbank/<int:pk>/bewerken/", views.resource_edit, name="edit"),
    path("kennisbank/<int:pk>/status/", views.resource_status, name="status"),
    path("kennisbank/<int:pk>/bestanden/", views.file_upload, name="file_upload"),
    path("kennisbank/<int:pk>/bestanden/<int:file_pk>/", views.file_download, name="file"),
    path(
        "kennisbank/<int:pk>/bestanden/<int:file_pk>/verwijderen/",
        views.file_delete,
        name="file_delete",
    ),
    path("kennisbank/<int:pk>/gebruikt/", views.usage_record, name="usage"),
    path("kennisbank/<int:pk>/beoordelen/", views.review_save, name="review"),
    path("kennisbank/<int:pk>/voorstel/", views.suggestion_create, name="suggest"),
    path(
        "kennisbank/<int:pk>/voorstel/<int:suggestion_pk>/",
        views.suggestion_resolve,
        name="suggestion_resolve",
    ),
    path("menukaart/aanbod/<int:pk>/lesmateriaal/", views.offer_materials, name="offer_materials"),
    path(
        "menukaart/aanbod/<int:pk>/lesmateriaal/zoeken/",
        views.offer_materials_search,
        name="offer_materials_search",
    ),
    path("kennisbank/collecties/", views.collection_list, name="collections"),
    path("kennisbank/collecties/<int:pk>/", views.collection_detail, name="collection"),
]
