from django.urls import path

from maakstad.bookings import views

app_name = "bookings"

urlpatterns = [
    path("boekingen/", views.booking_list, name="list"),
    path("boekingen/<int:pk>/", views.booking_detail, name="detail"),
    path("boekingen/<int:pk>/afspraak.ics", views.booking_ics, name="ics"),
    path("boekingen/<int:pk>/<slug:action>/", views.booking_action, name="action"),
    path("boekingen/aanvragen/<int:offer_pk>/", views.booking_request, name="request"),
    path("boekingen/momenten/<int:offer_pk>/", views.slots, name="slots"),
    path("boekingen/momenten/<int:pk>/annuleren/", views.slot_cancel, name="slot_cancel"),
    path("boekingen/capaciteit/", views.capacity, name="capacity"),
    path("boekingen/belasting/", views.load, name="load"),
    path("boekingen/quota/", views.quotas, name="quotas"),
    path("boekingen/tarieven/", views.pricing, name="pricing"),
    path("boekingen/agenda/", views.feeds, name="feeds"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]
