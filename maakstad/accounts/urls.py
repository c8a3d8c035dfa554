from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from maakstad.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.login_code, name="login_code"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profiel/", views.profile, name="profile"),
    path("tweestapsverificatie/", views.twofactor_setup, name="twofactor_setup"),
    path(
        "tweestapsverificatie/herstelcodes/",
        views.twofactor_recovery_codes,
        name="twofactor_recovery_codes",
    ),
    path("tweestapsverificatie/uitzetten/", views.twofactor_disable, name="twofactor_disable"),
]
