"""Internships' part of a pupil's data export and anonymisation (see organisations.privacy).

Applications and placement days stay (companies that hosted, pro/vso pupils placed: the
monitoring counts them); the motivation, messages, reflection, assessment comments, approval names,
guardian links and the agreement PDF (it names the pupil) are removed."""

from __future__ import annotations

from typing import Any

from maakstad.internships.models import (
    Agreement,
    Application,
    ApplicationEvent,
    Approval,
    Assessment,
    GuardianLink,
    Reflection,
)
from maakstad.organisations.models import Pupil


def export_pupil(pupil: Pupil) -> dict[str, Any]:
    applications = Application.objects.filter(pupil=pupil).select_related("ad__offer__provider")
    out = []
    for application in applications:
        reflection = Reflection.objects.filter(application=application).first()
        assessment = Assessment.objects.filter(application=application).first()
        out.append(
            {
                "internship": application.ad.offer.title,
                "company": application.ad.offer.provider.name,
                "status": application.status,
                "motivation": application.motivation,
                "company_message": application.company_message,
                "days": [d.date.isoformat() for d in application.days.all()],
                "approvals": [
                    {
                        "party": a.party,
                        "approved": a.approved,
                        "name": a.name,
                        "at": a.created_at.isoformat(),
                    }
                    for a in application.approvals.all()
                ],
                "reflection": reflection.learned if reflection else None,
                "assessment": assessment.comments if assessment else None,
            }
        )
    return {"internship_applications": out}


def anonymise_pupil(pupil: Pupil) -> None:
    applications = Application.objects.filter(pupil=pupil)
    applications.update(motivation="", company_message="")
    ApplicationEvent.objects.filter(application__in=applications).update(reason="")
    Approval.objects.filter(application__in=applications).update(name="", reason="", guardian=None)
    Reflection.objects.filter(application__in=applications).update(learned="")
    Assessment.objects.filter(application__in=applications).update(comments="")
    GuardianLink.objects.filter(application__in=applications).delete()
    Agreement.objects.filter(application__in=applications).delete()
