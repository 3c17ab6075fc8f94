"""Campaigns as data: write a campaign from its definition, read one back, copy one for the
next year. The definition file's format and checks are in campaign/definition.py."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction

from .definition import Definition, DefinitionError, PeriodDef, Prize
from .models import Campaign, Period, PrizeLevel

CAMPAIGN_FIELDS = (
    "name", "year", "launch_date", "end_date", "baseline_date", "tie_decimals", "budget",
    "individual_amount", "dispatch_number", "dispatch_date",
)
# What a locked period's snapshot and documents rest on: never changed once it is locked.
LOCKED_PERIOD_FIELDS = ("first_day", "last_day", "participant_threshold", "revenue_threshold")
PERIOD_FIELDS = ("name", *LOCKED_PERIOD_FIELDS, "rollup_due_at")


@dataclass
class LoadResult:
    campaign: Campaign
    created: bool
    changed: list[str]


def definition_of(campaign: Campaign) -> Definition:
    """The campaign as stored, in the definition's terms (what `campaign_dump` writes)."""
    return Definition(
        code=campaign.code, name=campaign.name, year=campaign.year,
        launch_date=campaign.launch_date, end_date=campaign.end_date,
        baseline_date=campaign.baseline_date, tie_decimals=campaign.tie_decimals,
        budget=campaign.budget, individual_amount=campaign.individual_amount,
        legal_basis=tuple(campaign.legal_basis_lines),
        dispatch_number=campaign.dispatch_number, dispatch_date=campaign.dispatch_date,
        prizes=tuple(
            Prize(key=p.key, name=p.name, count=p.count, amount=p.amount, individuals=p.individuals)
            for p in campaign.prize_levels.order_by("position")
        ),
        periods=tuple(
            PeriodDef(
                number=p.number, name=p.name, first_day=p.first_day, last_day=p.last_day,
                participant_threshold=p.participant_threshold,
                revenue_threshold=p.revenue_threshold, rollup_due=p.rollup_due_at,
            )
            for p in campaign.periods.order_by("number")
        ),
    )


def _campaign_values(d: Definition) -> dict:
    values = {name: getattr(d, name) for name in CAMPAIGN_FIELDS}
    values["legal_basis"] = "\n".join(d.legal_basis)
    return values


def _period_values(p: PeriodDef) -> dict:
    return {
        "name": p.name, "first_day": p.first_day, "last_day": p.last_day,
        "participant_threshold": p.participant_threshold,
        "revenue_threshold": p.revenue_threshold, "rollup_due_at": p.rollup_due,
    }


@transaction.atomic
def campaign_load(*, definition: Definition) -> LoadResult:
    """Create the campaign, or bring an existing one to the definition.

    Preconditions (all checked before anything is written; DefinitionError lists every one
    that fails): a locked period keeps its dates and thresholds, since its snapshot and its
    documents rest on them; a period that is locked or already has reports is not removed.
    Everything else of an existing campaign follows the file: open periods, the ladder, the
    amounts, the wording. Values that already match are not written again.
    """
    campaign = Campaign.objects.select_for_update().filter(code=definition.code).first()
    if campaign is None:
        campaign = Campaign.objects.create(code=definition.code, **_campaign_values(definition))
        for p in definition.periods:
            Period.objects.create(campaign=campaign, number=p.number, **_period_values(p))
        _write_ladder(campaign, definition.prizes)
        return LoadResult(campaign, True, ["tạo mới"])

    existing = {p.number: p for p in campaign.periods.all()}
    errors = _locked_conflicts(definition, existing)
    if errors:
        raise DefinitionError(errors)

    changed = []
    values = _campaign_values(definition)
    differing = [name for name, value in values.items() if getattr(campaign, name) != value]
    if differing:
        for name in differing:
            setattr(campaign, name, values[name])
        campaign.full_clean()
        campaign.save()
        changed += differing
    wanted_numbers = {p.number for p in definition.periods}
    for number in sorted(set(existing) - wanted_numbers):
        existing[number].delete()
        changed.append(f"bỏ kỳ {number}")
    for p in definition.periods:
        period, values = existing.get(p.number), _period_values(p)
        if period is None:
            Period.objects.create(campaign=campaign, number=p.number, **values)
            changed.append(f"thêm kỳ {p.number}")
            continue
        # Aware datetimes compare as instants: the file's +07:00 equals the stored UTC.
        differing = [name for name, value in values.items() if getattr(period, name) != value]
        if differing:
            for name in differing:
                setattr(period, name, values[name])
            period.save()
            changed.append(f"kỳ {p.number}: " + ", ".join(differing))
    if tuple(definition_of(campaign).prizes) != definition.prizes:
        _write_ladder(campaign, definition.prizes)
        changed.append("thang giải")
    return LoadResult(campaign, False, changed)


def _locked_conflicts(definition: Definition, existing: dict[int, Period]) -> list[str]:
    errors = []
    wanted = {p.number: p for p in definition.periods}
    for number, period in sorted(existing.items()):
        new = wanted.get(number)
        label = f"periods[{number}]"
        if new is None:
            if period.is_locked or period.reports.exists():
                errors.append(f"{label}: kỳ {number} đã khóa hoặc đã có báo cáo, không bỏ được.")
            continue
        if not period.is_locked:
            continue
        values = _period_values(new)
        for name in LOCKED_PERIOD_FIELDS:
            if getattr(period, name) != values[name]:
                errors.append(
                    f"{label}.{name}: kỳ {number} đã tổng hợp và khóa; số liệu, kết quả và văn bản "
                    "của kỳ dựa trên giá trị này nên không sửa được."
                )
    return errors


def _write_ladder(campaign: Campaign, prizes: tuple[Prize, ...]) -> None:
    campaign.prize_levels.all().delete()
    PrizeLevel.objects.bulk_create([
        PrizeLevel(campaign=campaign, position=position, key=p.key, name=p.name, count=p.count,
                   amount=p.amount, individuals=p.individuals)
        for position, p in enumerate(prizes, start=1)
    ])


def _next_year(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def copy_definition(source: Definition, *, code: str, name: str) -> Definition:
    """The next campaign of the same kind: every date a year later, the same ladder and
    thresholds; targets are not part of a definition and so are never copied."""
    shifted = tuple(
        replace(p, first_day=_next_year(p.first_day), last_day=_next_year(p.last_day),
                rollup_due=_next_year(p.rollup_due),
                name=p.name.replace(str(source.year), str(source.year + 1)))
        for p in source.periods
    )
    return replace(
        source, code=code, name=name, year=source.year + 1,
        launch_date=_next_year(source.launch_date), end_date=_next_year(source.end_date),
        baseline_date=_next_year(source.baseline_date),
        dispatch_number="", dispatch_date=None, periods=shifted,
    )
