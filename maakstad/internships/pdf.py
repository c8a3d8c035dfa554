"""The stage agreement as a PDF (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from maakstad.internships.models import Application, DayState, Party


def agreement_context(application: Application) -> dict[str, object]:
    ad = application.ad
    offer = ad.offer
    approvals = []
    guardian_number = 0
    for approval in application.approvals.select_related("user").order_by("created_at", "id"):
        if approval.party == Party.GUARDIAN:
            # Guardians' names stay out of the company's copy: a name often carries the surname.
            guardian_number += 1
            who = f"{approval.get_party_display()} {guardian_number}"
        else:
            who = f"{approval.get_party_display()}: {approval.name}"
        approvals.append(
            {
                "who": who,
                "when": timezone.localtime(approval.created_at),
                "channel": approval.get_channel_display(),
                "approved": approval.approved,
            }
        )
    return {
        "application": application,
        "pupil": application.pupil,
        "school": application.pupil.school,
        "offer": offer,
        "ad": ad,
        "company": offer.provider,
        "location": offer.location,
        "days": [d for d in application.days.all() if d.state == DayState.PLANNED],
        "approvals": approvals,
        "generated_at": timezone.localtime(),
    }


def agreement_pdf(application: Application) -> bytes:
    html = render_to_string("internships/agreement.html", agreement_context(application))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
