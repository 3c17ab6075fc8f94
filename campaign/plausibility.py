"""The plausibility rules (rules/plausibility.py) fed from the database: what each one compares
a unit's figures with (its report of the month before, its target, the province's plan), read in
a few queries for a whole period, and the acknowledgements that hold.

Reads only; the acknowledgement is written by `campaign.services.warning_acknowledge`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

from rules import plausibility
from rules.engine import Target as TargetRecord
from rules.plausibility import Bounds, FigureWarning
from units.models import Unit

from .models import Period, Report, Target, WarningAcknowledgement
from .records import result_input, target_input


def bounds() -> Bounds:
    return Bounds.from_settings(settings.PLAUSIBILITY_MAX_RATE_PERCENT, settings.PLAUSIBILITY_MAX_JUMP)


@dataclass(frozen=True)
class PeriodReference:
    """What a period's figures are compared with, for every unit at once."""

    bounds: Bounds
    previous_name: str
    previous: dict  # unit id → the rules' Result of its submitted report of the month before
    targets: dict  # unit id → the rules' Target
    province: TargetRecord | None

    def warnings(self, unit: Unit, figures) -> list[FigureWarning]:
        """`figures`: a Report, a form's cleaned_data or a spreadsheet row ({field: value})."""
        return plausibility.plausibility_warnings(
            result_input(figures), bounds=self.bounds, target=self.targets.get(unit.pk),
            previous=self.previous.get(unit.pk), previous_name=self.previous_name,
            province=self.province,
        )


def period_reference(period: Period) -> PeriodReference:
    """Three queries whatever the number of units: the period before, its submitted reports,
    the campaign's targets.

    Reading: "the month before" is the period numbered just before in the same campaign, and
    its report counts once submitted (a draft left there is not the unit's word). The first
    period has none: a campaign's first month is compared with targets only.
    """
    before = (Period.objects.filter(campaign_id=period.campaign_id, number__lt=period.number)
              .order_by("-number").first())
    previous = {}
    if before is not None:
        previous = {r.unit_id: result_input(r) for r in
                    Report.objects.filter(period=before, status=Report.Status.SUBMITTED)}
    targets, own, others = {}, None, []
    for target in Target.objects.filter(campaign_id=period.campaign_id).select_related("unit"):
        record = target_input(target)
        targets[target.unit_id] = record
        if target.unit.is_collection_department:
            own = record  # R12: the collection department's target is the province's
        else:
            others.append(record)
    return PeriodReference(
        bounds=bounds(), previous_name=before.name if before is not None else "",
        previous=previous, targets=targets,
        province=plausibility.province_plan(own, others),
    )


@dataclass
class WarningState:
    """A warning as the compiler sees it: open, or acknowledged (by whom, when, why)."""

    warning: FigureWarning
    acknowledgement: WarningAcknowledgement | None = None

    @property
    def is_open(self) -> bool:
        return self.acknowledgement is None


@dataclass
class UnitWarnings:
    unit: Unit
    report: Report
    states: list[WarningState] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for s in self.states if s.is_open)


def with_acknowledgements(warnings: list[FigureWarning],
                          acknowledgements: Mapping[tuple[str, str], WarningAcknowledgement]
                          ) -> list[WarningState]:
    """Each warning with the acknowledgement of exactly its figures, if there is one."""
    return [WarningState(w, acknowledgements.get((w.key, w.fingerprint))) for w in warnings]


def acknowledgements_of(reports: list[Report]) -> dict[int, dict]:
    """Report id → {(key, evidence): acknowledgement}, in one query."""
    found: dict[int, dict] = {}
    ids = [r.pk for r in reports if r is not None and r.pk is not None]
    if not ids:
        return found
    for ack in WarningAcknowledgement.objects.filter(report_id__in=ids).select_related("by"):
        found.setdefault(ack.report_id, {})[(ack.key, ack.evidence)] = ack
    return found


def report_warning_states(*, period: Period, unit: Unit, report: Report | None,
                          figures=None) -> list[WarningState]:
    """The warnings of one report's figures (or of `figures` typed over it), each with its
    acknowledgement."""
    figures = figures if figures is not None else report
    if figures is None:
        return []
    reference = period_reference(period)
    acks = acknowledgements_of([report]).get(report.pk, {}) if report is not None else {}
    return with_acknowledgements(reference.warnings(unit, figures), acks)


def period_warnings(period: Period, reports: list[tuple[Unit, Report]]) -> list[UnitWarnings]:
    """The warnings of every (unit, report) given, a period's, in their order; only the units
    that have one. Four queries whatever their number."""
    reference = period_reference(period)
    acks = acknowledgements_of([report for _, report in reports])
    rows = []
    for unit, report in reports:
        states = with_acknowledgements(reference.warnings(unit, report), acks.get(report.pk, {}))
        if states:
            rows.append(UnitWarnings(unit=unit, report=report, states=states))
    return rows


def open_warning_count(rows: list[UnitWarnings], *, submitted_only: bool = True) -> int:
    """Warnings neither corrected nor acknowledged, on the reports a roll-up would count."""
    return sum(row.open_count for row in rows if row.report.is_submitted or not submitted_only)
