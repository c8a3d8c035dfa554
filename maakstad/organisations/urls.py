from django.urls import path

from maakstad.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/bewerken/", views.organisation_edit, name="edit"),
    path("<int:pk>/vestigingen/nieuw/", views.location_edit, name="location_add"),
    path("<int:pk>/vestigingen/<int:location_pk>/", views.location_edit, name="location_edit"),
    path(
        "<int:pk>/vestigingen/<int:location_pk>/verwijderen/",
        views.location_delete,
        name="location_delete",
    ),
    path("<int:pk>/mensen/", views.people, name="people"),
    path(
        "<int:pk>/mensen/<int:membership_pk>/verwijderen/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("<int:pk>/klassenlijst/", views.pupil_import, name="pupil_import"),
    path("klassenlijst-voorbeeld.csv", views.import_template, name="import_template"),
    path("leerlingen/", views.pupil_list, name="pupils"),
    path("leerlingen/<int:pk>/", views.pupil_detail, name="pupil"),
    path("leerlingen/<int:pk>/gegevens.json", views.pupil_export, name="pupil_export"),
    path("leerlingen/<int:pk>/anonimiseren/", views.pupil_anonymise, name="pupil_anonymise"),
    path("referentiegegevens/", views.terms, name="terms"),
    path("referentiegegevens/<int:term_pk>/", views.terms, name="term_edit"),
]
