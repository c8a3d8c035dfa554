from django.urls import path

from maakstad.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/mijlpalen/", views.milestones, name="milestones"),
    path("monitoring/indicatoren/<slug:code>/", views.indicator_detail, name="indicator"),
    path("monitoring/rapportage.pdf", views.report_pdf, name="report_pdf"),
    path("monitoring/rapportage.xlsx", views.report_xlsx, name="report_xlsx"),
    path(
        "monitoring/mijlpalen/<int:pk>/behaald/",
        views.milestone_achieved,
        name="milestone_achieved",
    ),
    path(
        "monitoring/mijlpalen/<int:pk>/verantwoordelijke/",
        views.milestone_responsible,
        name="milestone_responsible",
    ),
    path("monitoring/begroting/", views.budget, name="budget"),
    path(
        "monitoring/actielijnen/<int:number>/",
        views.action_line_dashboard,
        name="action_line",
    ),
    path("monitoring/impact/", views.impact, name="impact"),
    path(
        "monitoring/schoolrapportages/<int:pk>/vervolgkeuzes/",
        views.follow_up_upload,
        name="follow_up_upload",
    ),
    path("monitoring/scholen/", views.school_dashboards, name="school_dashboards"),
    path("monitoring/scholen/<int:pk>/", views.school_dashboard, name="school_dashboard"),
    path("monitoring/schoolrapportages/", views.school_reports, name="school_reports"),
    path("monitoring/schoolrapportages/<int:pk>/", views.school_report, name="school_report"),
    path(
        "monitoring/schoolrapportages/<int:pk>/beoordelen/",
        views.school_report_review,
        name="school_report_review",
    ),
]
