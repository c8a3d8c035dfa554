from django.urls import path

from maakstad.electives import views

app_name = "electives"

urlpatterns = [
    path("keuzevakken/", views.guide, name="guide"),
    path("keuzevakken/periode/<int:pk>/", views.guide_period, name="guide_period"),
    path("keuzevakken/periode/<int:pk>/gids.pdf", views.guide_pdf, name="guide_pdf"),
    path("keuzevakken/mijn/", views.my_electives, name="my"),
    path("keuzevakken/beheer/", views.manage, name="manage"),
    path("keuzevakken/beheer/periode/", views.period_create, name="period_create"),
    path("keuzevakken/beheer/cursus/", views.course_create, name="course_create"),
    path("keuzevakken/beheer/groep/", views.section_create, name="section_create"),
    path("keuzevakken/rondes/", views.round_list, name="rounds"),
    path("keuzevakken/rondes/nieuw/", views.round_create, name="round_create"),
    path("keuzevakken/rondes/<int:pk>/", views.round_detail, name="round_detail"),
    path("keuzevakken/rondes/<int:pk>/status/", views.round_transition, name="round_transition"),
    path("keuzevakken/rondes/<int:pk>/indelen/", views.runs_start, name="runs_start"),
    path("keuzevakken/rondes/<int:pk>/voortgang/", views.runs_progress, name="runs_progress"),
    path("keuzevakken/rondes/<int:pk>/vergelijken/", views.compare, name="compare"),
    path("keuzevakken/rondes/<int:pk>/tweede-ronde/", views.second_round, name="second_round"),
    path("keuzevakken/rondes/<int:pk>/plaatsingen/", views.placements, name="placements"),
    path("keuzevakken/rondes/<int:pk>/vervoer/", views.transport, name="transport"),
    path("keuzevakken/rondes/<int:pk>/kiezen/", views.choose, name="choose"),
    path("keuzevakken/rondes/<int:pk>/school/", views.round_school, name="round_school"),
    path(
        "keuzevakken/rondes/<int:pk>/school/herinneren/",
        views.round_school_remind,
        name="round_school_remind",
    ),
    path(
        "keuzevakken/rondes/<int:pk>/school/indeling.xlsx",
        views.round_school_xlsx,
        name="round_school_xlsx",
    ),
    path(
        "keuzevakken/rondes/<int:pk>/leerling/<int:pupil_pk>/",
        views.pupil_choices,
        name="pupil_choices",
    ),
    path("keuzevakken/runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("keuzevakken/runs/<int:pk>/publiceren/", views.run_publish, name="run_publish"),
    path("keuzevakken/runs/<int:pk>/minimum/", views.run_close_small, name="run_close_small"),
    path("keuzevakken/aanbieder/", views.provider_sections, name="provider_sections"),
    path("keuzevakken/groepen/<int:pk>/", views.section_roster, name="section_roster"),
]
