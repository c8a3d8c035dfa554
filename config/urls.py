from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("maakstad.accounts.urls")),
    path("account/sso/", include("maakstad.sso.urls")),
    path("organisaties/", include("maakstad.organisations.urls")),
    path("", include("maakstad.core.urls")),
]
for app in (
    "catalogue",
    "bookings",
    "internships",
    "electives",
    "attendance",
    "knowledge",
    "monitoring",
    "api",  # mounts the read-only REST API at api/v1/ and the token page
):
    # Each capability app mounts its own urls module once it has one.
    import importlib.util

    if importlib.util.find_spec(f"maakstad.{app}.urls"):
        urlpatterns.append(path("", include(f"maakstad.{app}.urls")))

handler403 = "maakstad.core.views.error_403"
handler404 = "maakstad.core.views.error_404"
handler500 = "maakstad.core.views.error_500"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
