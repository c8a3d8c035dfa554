from django.urls import path

from maakstad.attendance import views

app_name = "attendance"

urlpatterns = [
    path("aanwezigheid/", views.session_list, name="sessions"),
    path("aanwezigheid/inchecken/", views.check_in, name="checkin"),
    path("aanwezigheid/sessies/<int:pk>/", views.screen, name="screen"),
    path("aanwezigheid/sessies/<int:pk>/code/", views.qr, name="qr"),
    path("aanwezigheid/sessies/<int:pk>/vaste-code/", views.static_code, name="static_code"),
    path("aanwezigheid/sessies/<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("aanwezigheid/sessies/<int:pk>/waardering/", views.rate, name="rate"),
    path("aanwezigheid/kwaliteit/", views.quality, name="quality"),
    path("aanwezigheid/registratie/<int:pk>/", views.mark, name="mark"),
    path("cofinanciering/", views.ledger_view, name="ledger"),
    path("cofinanciering/stage-uren/", views.reported_hours, name="reported_hours"),
]
