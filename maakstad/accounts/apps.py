from django.apps import AppConfig, apps


class AccountsConfig(AppConfig):
    name = "maakstad.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # The Django admin is not installed. Should it ever be, its own log-in form would skip
        # the second step: send it to ours (which also honours `next`).
        if apps.is_installed("django.contrib.admin"):
            from django.contrib import admin
            from django.contrib.auth.views import redirect_to_login

            admin.site.login = lambda request, extra_context=None: redirect_to_login(  # type: ignore[method-assign]
                request.GET.get("next", request.get_full_path())
            )
