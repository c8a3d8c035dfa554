"""Read a region's plan files (milestones.csv, budget.csv) into validated rows and a report.

Pure functions over text, so the same checks serve the command, the upload page and the tests.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

QUARTER_PATTERNS = (
    re.compile(r"^\s*(?P<year>\d{4})\s*[-/ ]?\s*[Qq](?P<q>[1-4])\s*$"),  # 2025-Q3, 2025 Q3
    re.compile(r"^\s*[Qq](?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})\s*$"),  # Q3-2025, Q2 2025
    re.compile(r"^\s*(?P<q>[1-4])e?\s*kwartaal\s*(?P<year>\d{4})\s*$", re.IGNORECASE),
)

MILESTONE_COLUMNS = ("code", "action_line", "description_nl", "target_quarter")
BUDGET_COLUMNS = ("action_line", "activity", "item_nl", "amount_eur")


def parse_quarter(text: str) -> tuple[int, int] | None:
    """'Q3-2025', '2025-Q3', 'Q2 2025', '3e kwartaal 2025' → (2025, 3)."""
    for pattern in QUARTER_PATTERNS:
        match = pattern.match(text or "")
        if match:
            return int(match["year"]), int(match["q"])
    return None


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return Decimal(text)


@dataclass
class MilestoneRow:
    line: int
    key: str
    code: str
    action_line: int
    description: str
    year: int
    quarter: int
    quarter_as_written: str
    numeric_target: Decimal | None
    unit: str


@dataclass
class BudgetRow:
    line: int
    action_line: int | None
    activity: str
    item: str
    quantity: Decimal | None
    unit_rate: Decimal | None
    amount: Decimal
    notes: str
    year: int | None = None  # the calendar year budgeted, when the plan splits by year

    @property
    def mismatch(self) -> Decimal | None:
        if self.quantity is None or self.unit_rate is None:
            return None
        computed = (self.quantity * self.unit_rate).quantize(Decimal("0.01"))
        return None if abs(computed - self.amount) < 1 else self.amount - computed


@dataclass
class PlanReport:
    milestones: list[MilestoneRow] = field(default_factory=list)
    budget: list[BudgetRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    normalised_quarters: list[str] = field(default_factory=list)
    repeated_codes: dict[str, int] = field(default_factory=dict)
    flagged_budget_lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        out = [
            f"Mijlpalen gelezen: {len(self.milestones)}",
            f"Begrotingsregels gelezen: {len(self.budget)}",
        ]
        if self.normalised_quarters:
            out.append(f"Kwartalen genormaliseerd: {len(self.normalised_quarters)}")
            out += [f"  {item}" for item in self.normalised_quarters]
        if self.repeated_codes:
            out.append("Herhaalde codes, apart gehouden met een eigen sleutel:")
            out += [f"  {code}: {n}×" for code, n in sorted(self.repeated_codes.items())]
        if self.flagged_budget_lines:
            out.append("Begrotingsregels waarvan aantal × tarief niet gelijk is aan het bedrag:")
            out += [f"  {item}" for item in self.flagged_budget_lines]
        if self.errors:
            out.append("Fouten (er is niets geïmporteerd):")
            out += [f"  {error}" for error in self.errors]
        return out


def _rows(
    text: str, required: tuple[str, ...], label: str, report: PlanReport
) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(f"{label}: kolommen ontbreken: {', '.join(missing)}")
        return []
    return [(number, row) for number, row in enumerate(reader, start=2)]


def read_milestones(text: str, report: PlanReport) -> None:
    rows = _rows(text, MILESTONE_COLUMNS, "mijlpalen", report)
    seen: Counter[str] = Counter()
    for line, row in rows:
        code = (row.get("code") or "").strip()
        where = f"mijlpalen regel {line}"
        if not code:
            report.errors.append(f"{where}: code ontbreekt")
            continue
        written = (row.get("target_quarter") or "").strip()
        parsed = parse_quarter(written)
        if parsed is None:
            report.errors.append(
                f"{where}: kwartaal '{written}' niet herkend (gebruik bijvoorbeeld 2025-Q3)"
            )
            continue
        try:
            action_line = int((row.get("action_line") or "").strip())
        except ValueError:
            report.errors.append(f"{where}: actielijn '{row.get('action_line')}' is geen getal")
            continue
        try:
            target = _decimal(row.get("numeric_target", ""))
        except InvalidOperation:
            report.errors.append(
                f"{where}: streefwaarde '{row.get('numeric_target')}' is geen getal"
            )
            continue
        seen[code] += 1
        normalised = f"{parsed[0]}-Q{parsed[1]}"
        if written != normalised:
            report.normalised_quarters.append(f"regel {line}: '{written}' → {normalised}")
        report.milestones.append(
            MilestoneRow(
                line=line,
                key=f"{code}-{seen[code]}",
                code=code,
                action_line=action_line,
                description=(row.get("description_nl") or "").strip(),
                year=parsed[0],
                quarter=parsed[1],
                quarter_as_written=written,
                numeric_target=target,
                unit=(row.get("unit") or "").strip(),
            )
        )
    report.repeated_codes = {code: n for code, n in seen.items() if n > 1}


def read_budget(text: str, report: PlanReport) -> None:
    for line, row in _rows(text, BUDGET_COLUMNS, "begroting", report):
        where = f"begroting regel {line}"
        try:
            quantity = _decimal(row.get("quantity", ""))
            rate = _decimal(row.get("unit_rate_eur", ""))
            amount = _decimal(row.get("amount_eur", ""))
        except InvalidOperation:
            report.errors.append(f"{where}: aantal, tarief of bedrag is geen getal")
            continue
        if amount is None:
            report.errors.append(f"{where}: bedrag ontbreekt")
            continue
        action_text = (row.get("action_line") or "").strip()
        if action_text and not action_text.isdigit():
            report.errors.append(f"{where}: actielijn '{action_text}' is geen getal")
            continue
        number = int(action_text) if action_text else 0
        year_text = (row.get("year") or "").strip()
        if year_text and not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            report.errors.append(f"{where}: jaar '{year_text}' is geen jaartal")
            continue
        budget_row = BudgetRow(
            line=line,
            action_line=number or None,
            activity=(row.get("activity") or "").strip(),
            item=(row.get("item_nl") or "").strip(),
            quantity=quantity,
            unit_rate=rate,
            amount=amount,
            notes=(row.get("notes") or "").strip(),
            year=int(year_text) if year_text else None,
        )
        if budget_row.mismatch is not None:
            report.flagged_budget_lines.append(
                f"regel {line}: {budget_row.item}: {quantity} × {rate} = "
                f"{(quantity or 0) * (rate or 0):.2f}, maar het bedrag is {amount:.2f}"
            )
        report.budget.append(budget_row)


def cofinancing_plan_hours(text: str) -> Decimal:
    """The co-financing the plan requires, in hours: the sum of every `hours_*` column of the
    plan's co-financing table (`cofinancing.csv`)."""
    total = Decimal(0)
    for row in csv.DictReader(io.StringIO(text)):
        for column, value in row.items():
            if column and column.startswith("hours_") and (value or "").strip():
                total += Decimal(value.strip())
    return total


def read_plan(milestones_text: str, budget_text: str) -> PlanReport:
    report = PlanReport()
    read_milestones(milestones_text, report)
    read_budget(budget_text, report)
    return report
