"""The campaign summary for the annual review: what was decided, month by month and in total.

Read only from what the campaign decided, never from the live reports: each month's standings
(rank, C1–C3, the key rates) come from its current snapshot, the document the roll-up stored
and the month's dossier rests on; prizes and amounts from the lines and individuals of the
approved or paid dossiers, with the amounts the decision copied. A month not yet rolled up
shows no standings, a month whose dossier is not yet decided shows its standings but no
prizes. Reads the same for a finished campaign.

A report that was not submitted when the month was rolled up took no part (R9): the summary
names its state and shows none of its figures, for every reader, so the page, the workbook
and the PDF read alike whoever opens them.

Queries: eight (the ladder, the periods, the snapshots, the dossiers, the lines, the
individuals, the local offices' order, whether the campaign has finished), whatever the number
of units, people or months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from campaign import lifecycle
from campaign.models import Campaign, Period
from rules import engine
from scoring.models import Snapshot
from units.models import Person, Unit
from units.names import vietnamese_sort_key

from .models import AwardLine, Dossier, Individual

DECIDED = list(Dossier.DECIDED_STATES)

# The criteria as the dispatch numbers them, in the order the snapshot's "criteria" keys
# them (rules.engine's criterion keys).
CRITERIA = (("participants", "C1"), ("revenue", "C2"), ("late", "C3"))
# The rates the annual review reads, as the snapshot's "metrics" keys them: R4, R5, R6, R8.
RATES = ("participant_rate", "yoy_ratio", "revenue_rate", "late_ratio", "late_interest_ratio")


def _percent(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# --- one unit in one month ----------------------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """A unit's row of a month's stored standings, as the roll-up decided it, and the prize
    its decided dossier gave (empty when none, or not decided yet)."""

    code: str
    name: str
    report: str  # "submitted" | "draft" | "missing"
    rank: int | None
    criteria: dict[str, bool | None]  # C1, C2, C3 → held; None for a report not submitted
    rates: dict[str, Decimal | None]  # percent, with the places the roll-up stored
    prize: str = ""
    amount: int = 0

    @classmethod
    def from_document(cls, row: dict, prize: AwardLine | None) -> Standing:
        submitted = row["report"] == "submitted"
        # The extra places the roll-up stored where rounding would read as the other verdict.
        metrics = row["metrics"] | row.get("shown", {})
        return cls(
            code=row["unit"], name=row.get("name", row["unit"]), report=row["report"],
            rank=row.get("rank"),
            criteria={label: row["criteria"].get(key) if submitted else None for key, label in CRITERIA},
            rates={key: _percent(metrics.get(key)) if submitted else None for key in RATES},
            prize=prize.prize_name if prize else "", amount=prize.amount if prize else 0,
        )

    @property
    def submitted(self) -> bool:
        return self.report == "submitted"

    @property
    def failed(self) -> list[str]:
        """The criteria that did not hold: ["C2", "C3"]."""
        return [label for label, held in self.criteria.items() if held is False]

    @property
    def verdict(self) -> str:
        """The month in a few words: "Hạng 2", "Chưa đạt C2, C3", "Chưa gửi báo cáo"."""
        if self.report == "missing":
            return "Không có báo cáo"
        if not self.submitted:
            return "Báo cáo chưa gửi"
        if self.rank:
            return f"Hạng {self.rank}"
        if self.failed:
            return f"Chưa đạt {', '.join(self.failed)}"
        return "Đạt đủ tiêu chí"  # the province row: never ranked (R12)


# --- one month ------------------------------------------------------------------------------------

@dataclass
class Month:
    period: Period
    snapshot: Snapshot | None
    dossier: Dossier | None  # the current (not cancelled) dossier
    standings: list[Standing] = field(default_factory=list)  # local offices, in stored order
    province: Standing | None = None  # the collection department on the province totals (R12)
    participant_threshold: Decimal | None = None
    revenue_threshold: Decimal | None = None
    lines: list[AwardLine] = field(default_factory=list)  # decided collective prizes
    individuals: list[Individual] = field(default_factory=list)  # decided individual prizes

    @property
    def name(self) -> str:
        """The month's name as its roll-up stored it (what the decision printed)."""
        if self.snapshot is not None:
            stored = self.snapshot.applied_settings.get("period") or {}
            if stored.get("name"):
                return stored["name"]
        return self.period.name

    @property
    def rolled_up(self) -> bool:
        return self.snapshot is not None

    @property
    def decided(self) -> bool:
        return self.dossier is not None and self.dossier.is_decided

    @property
    def ranked(self) -> int:
        return sum(1 for s in self.standings if s.rank)

    @property
    def collective_amount(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def individual_amount(self) -> int:
        return sum(i.amount for i in self.individuals)

    @property
    def total(self) -> int:
        return self.collective_amount + self.individual_amount

    @property
    def status(self) -> str:
        if not self.rolled_up:
            return "Chưa tổng hợp"
        if self.decided:
            return (f"Quyết định số {self.dossier.decision_number} ngày "
                    f"{self.dossier.decision_date:%d/%m/%Y}")
        if self.dossier is None:
            return "Đã tổng hợp, chưa có hồ sơ khen thưởng"
        return f"Chờ quyết định khen thưởng ({self.dossier.get_state_display().lower()})"


# --- one unit across the months -----------------------------------------------------------------

@dataclass
class UnitRecord:
    """A local office (or the province row) month by month: None where it was not listed."""

    code: str
    name: str
    months: list[Standing | None]
    is_province: bool = False

    @property
    def ranked_months(self) -> int:
        return sum(1 for s in self.months if s is not None and s.rank)

    @property
    def prize_count(self) -> int:
        return sum(1 for s in self.months if s is not None and s.prize)


# --- prizes per unit and per person (approved or paid dossiers) ---------------------------------

@dataclass
class UnitPrizes:
    unit: Unit
    prizes: dict[str, int]  # per level key, every level of the summary's ladder
    amount: int = 0
    individuals: int = 0
    individual_amount: int = 0
    periods: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.prizes.values())

    @property
    def total(self) -> int:
        return self.amount + self.individual_amount


@dataclass
class PersonPrizes:
    person: Person
    count: int = 0
    amount: int = 0
    initiatives: int = 0
    periods: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Level:
    key: str
    name: str


# --- the whole ------------------------------------------------------------------------------------

@dataclass
class Summary:
    campaign: Campaign
    months: list[Month]
    records: list[UnitRecord]  # the province first, then the local offices in the office's order
    levels: list[Level]  # the columns of the prize counts, in ladder order
    units: list[UnitPrizes]
    people: list[PersonPrizes]
    finished: bool = False

    @property
    def budget(self) -> int:
        return self.campaign.budget

    @property
    def record_columns(self) -> int:
        """The columns of the per-unit table: the unit, two a month, the two counts."""
        return 2 * len(self.months) + 3

    @property
    def collective_amount(self) -> int:
        return sum(m.collective_amount for m in self.months)

    @property
    def individual_amount(self) -> int:
        return sum(m.individual_amount for m in self.months)

    @property
    def total(self) -> int:
        """Every decided amount, collectives and individuals, in đồng (R16)."""
        return self.collective_amount + self.individual_amount

    @property
    def remaining(self) -> int:
        """What the decisions leave of the budget (negative: over it)."""
        return self.budget - self.total

    @property
    def overrun(self) -> int:
        """How far the decisions go over the budget; 0 within it."""
        return max(0, -self.remaining)

    @property
    def budget_used(self) -> Fraction | None:
        """The decided total as a share of the budget; None without a budget."""
        return Fraction(self.total, self.budget) if self.budget else None

    @property
    def collectives(self) -> int:
        return sum(len(m.lines) for m in self.months)

    @property
    def individual_count(self) -> int:
        return sum(len(m.individuals) for m in self.months)

    @property
    def complete(self) -> bool:
        """Every month decided (or the campaign finished): the summary will not change."""
        return self.finished or (bool(self.months) and all(m.decided for m in self.months))

    @property
    def as_of(self) -> dt.date | None:
        """The day of the latest decision it counts: the date the summary's figures stand at."""
        dates = [m.dossier.decision_date for m in self.months if m.decided]
        return max(dates) if dates else None


def _levels(campaign: Campaign, lines: list[AwardLine]) -> dict[str, Level]:
    """The campaign's ladder, then any level a decided line names that the ladder no longer
    has, under the name the line was given."""
    levels = {level.key: Level(level.key, level.name) for level in campaign.prize_levels.order_by("position")}
    for line in lines:
        levels.setdefault(line.prize, Level(line.prize, line.prize_name))
    return levels


def _prizes_by_unit(levels, lines, individuals) -> list[UnitPrizes]:
    units: dict[int, UnitPrizes] = {}

    def row_of(unit) -> UnitPrizes:
        return units.setdefault(unit.pk, UnitPrizes(unit=unit, prizes=dict.fromkeys(levels, 0)))

    for line in lines:
        row = row_of(line.unit)
        row.prizes[line.prize] += 1
        row.amount += line.amount
        row.periods.append(f"{line.prize_name} {line.dossier.period.name}")
    for individual in individuals:
        row = row_of(individual.line.unit)
        row.individuals += 1
        row.individual_amount += individual.amount
    return sorted(units.values(),
                  key=lambda u: (-u.total, *(-u.prizes[key] for key in levels), u.unit.code))


def _prizes_by_person(individuals) -> list[PersonPrizes]:
    people: dict[int, PersonPrizes] = {}
    for individual in individuals:
        row = people.setdefault(individual.person_id, PersonPrizes(person=individual.person))
        row.count += 1
        row.amount += individual.amount
        row.initiatives += int(individual.has_initiative)
        row.periods.append(individual.line.dossier.period.name)
    return sorted(people.values(), key=lambda p: (-p.amount, -p.initiatives,
                                                  vietnamese_sort_key(p.person.full_name)))


def _month(period, snapshot, dossier, lines, individuals) -> Month:
    month = Month(period=period, snapshot=snapshot, dossier=dossier, lines=lines, individuals=individuals)
    if snapshot is None:
        return month
    document = snapshot.document
    prize_of = {line.unit.code: line for line in lines}
    month.standings = [Standing.from_document(row, prize_of.get(row["unit"]))
                       for row in document.get("standings", [])]
    if document.get("province"):
        row = document["province"]
        month.province = Standing.from_document(row, prize_of.get(row["unit"]))
    month.participant_threshold = _percent(document.get("participant_threshold"))
    month.revenue_threshold = _percent(document.get("revenue_threshold"))
    return month


def _records(months: list[Month]) -> list[UnitRecord]:
    """One row per local office listed in any month, in the office's order (units no longer
    on the books after them, by code), the province row first."""
    names: dict[str, str] = {}
    by_month: list[dict[str, Standing]] = []
    for month in months:
        rows = {s.code: s for s in month.standings}
        by_month.append(rows)
        names.update({code: s.name for code, s in rows.items()})  # the latest month's name
    order = {code: position for position, code in enumerate(
        Unit.objects.filter(kind=Unit.Kind.LOCAL_OFFICE).order_by("order", "code").values_list("code", flat=True))}
    codes = sorted(names, key=lambda code: (code not in order, order.get(code, 0), code))
    records = [UnitRecord(code=code, name=names[code], months=[rows.get(code) for rows in by_month])
               for code in codes]
    provinces = [m.province for m in months]
    named = next((p for p in reversed(provinces) if p is not None), None)
    if named is not None:
        records.insert(0, UnitRecord(code=named.code, name=named.name, months=provinces, is_province=True))
    return records


def campaign_summary(campaign: Campaign) -> Summary:
    """The campaign's decided results: each month's stored standings and decided prizes, per
    unit across the months, per unit and per person in total, and the total against the
    budget."""
    periods = list(campaign.periods.order_by("number"))
    # The standings are read; the stored inputs (the larger part at national scale) are not.
    snapshots = {s.period_id: s for s in Snapshot.objects.filter(period__campaign=campaign,
                                                                  superseded_at__isnull=True).defer("inputs")}
    dossiers = {d.period_id: d for d in Dossier.objects.filter(period__campaign=campaign)
                .exclude(state=Dossier.State.CANCELLED)}
    lines = list(
        AwardLine.objects.filter(dossier__period__campaign=campaign, dossier__state__in=DECIDED)
        .select_related("unit", "dossier__period").order_by("dossier__period__number", "position")
    )
    individuals = list(
        Individual.objects.filter(line__dossier__period__campaign=campaign, line__dossier__state__in=DECIDED)
        .select_related("person__unit", "line__unit", "line__dossier__period")
        .order_by("line__dossier__period__number", "line__position", "-has_initiative", "slot")
    )
    months = [
        _month(period, snapshots.get(period.pk), dossiers.get(period.pk),
               [line for line in lines if line.dossier.period_id == period.pk],
               [i for i in individuals if i.line.dossier.period_id == period.pk])
        for period in periods
    ]
    levels = _levels(campaign, lines)
    return Summary(
        campaign=campaign, months=months, records=_records(months), levels=list(levels.values()),
        units=_prizes_by_unit(levels, lines, individuals), people=_prizes_by_person(individuals),
        finished=lifecycle.campaign_is_finished(campaign),
    )


def budget_used_percent(summary: Summary, decimals: int = 1) -> Decimal | None:
    """The share of the budget the decisions use, in percent, rounded once (R10's rounding)."""
    used = summary.budget_used
    return None if used is None else engine.percent(used, decimals)

