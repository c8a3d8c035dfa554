from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maakstad.accounts.models import User
from maakstad.accounts.services import totp_device_reset


class Command(BaseCommand):
    help = (
        "Zet tweestapsverificatie uit voor een gebruiker die app en herstelcodes kwijt is "
        "(controleer eerst wie het is). Wordt in het auditlog vastgelegd."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError("Geen gebruiker met dit e-mailadres.")
        if totp_device_reset(user=user, actor_label="beheerder (manage.py reset_twofactor)"):
            self.stdout.write("Tweestapsverificatie staat uit; de gebruiker kan opnieuw instellen.")
        else:
            self.stdout.write("Tweestapsverificatie stond niet aan.")
