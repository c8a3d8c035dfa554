from django.urls import path

from maakstad.internships import views

app_name = "internships"

urlpatterns = [
    path("stages/", views.ad_list, name="ads"),
    path("stages/<int:pk>/", views.ad_detail, name="ad_detail"),
    path("stages/nieuw/", views.ad_create, name="ad_create"),
    path("stages/<int:pk>/bewerken/", views.ad_edit, name="ad_edit"),
    path("stages/<int:pk>/aanmelden/", views.apply, name="apply"),
    path("stages/mijn-advertenties/", views.company_ads, name="company_ads"),
    path("stages/aanmeldingen/", views.application_list, name="applications"),
    path("stages/aanmeldingen/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "stages/aanmeldingen/<int:pk>/mentor/", views.application_mentor, name="application_mentor"
    ),
    path(
        "stages/aanmeldingen/<int:pk>/bedrijf/",
        views.application_company,
        name="application_company",
    ),
    path(
        "stages/aanmeldingen/<int:pk>/voorstel/",
        views.application_proposal,
        name="application_proposal",
    ),
    path(
        "stages/aanmeldingen/<int:pk>/annuleren/",
        views.application_cancel,
        name="application_cancel",
    ),
    path("stages/aanmeldingen/<int:pk>/overeenkomst/", views.agreement_download, name="agreement"),
    path("stages/aanmeldingen/<int:pk>/reflectie/", views.reflection, name="reflection"),
    path("stages/aanmeldingen/<int:pk>/beoordeling/", views.assessment, name="assessment"),
    path("stages/instellingen/", views.school_settings, name="school_settings"),
    path("stages/ouder/<str:token>/", views.guardian, name="guardian"),
    path("stages/ouder/<str:token>/stage/", views.guardian_placement, name="guardian_placement"),
    path(
        "stages/ouder/<str:token>/overeenkomst/",
        views.guardian_agreement,
        name="guardian_agreement",
    ),
]
