"""The standard activity types of the kadernotitie. Other apps refer to them by code."""

from __future__ import annotations

GASTLES = "gastles"
BEDRIJFSBEZOEK = "bedrijfsbezoek"
MEELOOPDAG = "meeloopdag"
BLIKSEMSTAGE = "bliksemstage"
VERDIEPENDE_STAGE = "verdiepende-stage"
EXTERN_KEUZEVAK = "extern-keuzevak"
WORKSHOP = "workshop"
TECHNIEKLES_PO = "techniekles-po"
PRAKTIJKOPDRACHT = "praktijkopdracht"
CHALLENGE = "challenge"
MASTERCLASS_DOCENTEN = "masterclass-docenten"
OUDERACTIVITEIT = "ouderactiviteit"
PROEFSTUDEREN_MBO = "proefstuderen-mbo"

# (code, name) in the order the menukaart lists them; definitions live with the catalogue's
# defaults (`catalogue.services.activity_types_ensure_defaults`).
STANDARD: tuple[tuple[str, str], ...] = (
    (GASTLES, "Gastles"),
    (BEDRIJFSBEZOEK, "Bedrijfsbezoek"),
    (MEELOOPDAG, "Meeloopdag / snuffelstage"),
    (BLIKSEMSTAGE, "Bliksemstage"),
    (VERDIEPENDE_STAGE, "Verdiepende stage"),
    (EXTERN_KEUZEVAK, "Extern keuzevak"),
    (WORKSHOP, "Workshop"),
    (TECHNIEKLES_PO, "Techniekles voor het po (groep 5-8)"),
    (PRAKTIJKOPDRACHT, "Praktijkopdracht (pgp)"),
    (CHALLENGE, "Challenge / wedstrijd"),
    (MASTERCLASS_DOCENTEN, "Masterclass voor docenten"),
    (OUDERACTIVITEIT, "Ouderactiviteit"),
    (PROEFSTUDEREN_MBO, "Proefstuderen / meeloopdag mbo"),
)
