"""A pupil's result in plain Dutch: lottery number, which higher choices were full, demand."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maakstad.electives.models import Mechanism, RunResult, Section


def explanation_lines(result: RunResult) -> list[str]:
    facts = result.explanation or {}
    higher = facts.get("higher", [])
    sections = {
        s.pk: s
        for s in Section.objects.filter(pk__in=[h["section"] for h in higher]).select_related(
            "course"
        )
    }
    lines: list[str] = []
    number = facts.get("lottery_number")
    mechanism = facts.get("mechanism", Mechanism.LOTTERY)
    if mechanism in (Mechanism.LOTTERY, Mechanism.RSD) and number is not None:
        lines.append(
            _(
                "Je lotnummer was %(n)d. In volgorde van de loting kreeg iedereen de hoogste keuze "
                "waar nog plek was."
            )
            % {"n": number}
        )
    elif mechanism == Mechanism.OPTIMUM:
        lines.append(
            _(
                "De indeling plaatst zoveel mogelijk leerlingen en geeft daarna zoveel mogelijk "
                "leerlingen een hoge keuze."
            )
        )
    elif mechanism == Mechanism.FCFS:
        lines.append(_("Wie het eerst koos, werd het eerst ingedeeld."))
    for h in higher:
        section = sections.get(h["section"])
        if section is None:
            continue
        asked = ngettext(
            "%(n)d leerling koos dit keuzevak", "%(n)d leerlingen kozen dit keuzevak", h["asked"]
        ) % {"n": h["asked"]}
        if h.get("full_at_turn") and mechanism in (Mechanism.LOTTERY, Mechanism.RSD):
            lines.append(
                _("%(course)s was vol toen jij aan de beurt was (%(seats)d plaatsen; %(asked)s).")
                % {"course": section.course.title, "seats": h["capacity"], "asked": asked}
            )
        else:
            lines.append(
                _("Voor %(course)s was geen plek voor je (%(seats)d plaatsen; %(asked)s).")
                % {"course": section.course.title, "seats": h["capacity"], "asked": asked}
            )
    if result.section_id is None:
        lines.append(
            _(
                "Er was bij geen van je keuzes nog plek. Je staat op de wachtlijst en doet mee in de tweede ronde."
            )
        )
    return lines
