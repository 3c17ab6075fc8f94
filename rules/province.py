"""The province totals while reports are missing: what they cover, and the like-for-like rates.

R12 judges the collection department on the sums of the submitted reports against the whole
province's target (rules/engine.py `evaluate_province`): at the roll-up a missing or draft
report counts as nothing. That is the rule, and it stays. But a rate computed that way, while
three offices have not reported, reads as a collapse of the province (−44,5 %) that never
happened, so it is never shown as the province's rate. Pages show instead how many units the
sums cover (`Coverage`) and, for comparison, the rates over the reporting units' own targets
(`like_for_like`): the submitted reports' sums against the sums of the same units' targets.

Pure, standard library only, exact (Fractions); percentages are rounded by `engine.percent`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import NamedTuple

from . import engine, explain


class Coverage(NamedTuple):
    """How many of the units expected to report have a submitted report in the totals."""

    expected: int
    submitted: int
    draft: int
    missing: int

    @property
    def complete(self) -> bool:
        return self.submitted == self.expected

    @property
    def unsubmitted(self) -> int:
        return self.expected - self.submitted


def coverage(states: Iterable[str]) -> Coverage:
    """From the report state (engine.SUBMITTED, DRAFT, MISSING) of each unit expected to
    report: the local offices, and the collection department when it has a part of its own
    (`department_expected`)."""
    states = list(states)
    unknown = set(states) - {engine.SUBMITTED, engine.DRAFT, engine.MISSING}
    if unknown:
        raise ValueError(f"unknown report states: {sorted(unknown)}")
    return Coverage(
        expected=len(states), submitted=states.count(engine.SUBMITTED),
        draft=states.count(engine.DRAFT), missing=states.count(engine.MISSING),
    )


def summed_target(targets: Sequence[engine.Target], ceilings: engine.Target) -> engine.Target:
    """Plans, bases and revenue plans added up; the ceilings (percent) are `ceilings`'."""

    def scheme(key: str) -> engine.SchemeTarget:
        return engine.SchemeTarget(
            plan=sum(getattr(t, key).plan for t in targets),
            base=sum(getattr(t, key).base for t in targets),
        )

    return engine.Target(
        mandatory=scheme("mandatory"), voluntary=scheme("voluntary"), health=scheme("health"),
        revenue_plan=sum(t.revenue_plan for t in targets),
        late_max=ceilings.late_max, late_interest_max=ceilings.late_interest_max,
    )


def direct_part(province: engine.Target, offices: Sequence[engine.Target]) -> engine.Target:
    """The collection department's own part of the province target: the province's plans,
    bases and revenue plan minus those of every local office (the department's Target is the
    province's, R12, so its own part is what the offices' targets leave)."""
    offices_total = summed_target(offices, province)

    def scheme(key: str) -> engine.SchemeTarget:
        whole, parts = getattr(province, key), getattr(offices_total, key)
        return engine.SchemeTarget(plan=whole.plan - parts.plan, base=whole.base - parts.base)

    return engine.Target(
        mandatory=scheme("mandatory"), voluntary=scheme("voluntary"), health=scheme("health"),
        revenue_plan=province.revenue_plan - offices_total.revenue_plan,
        late_max=province.late_max, late_interest_max=province.late_interest_max,
    )


def department_expected(direct: engine.Target | None, has_report: bool) -> bool:
    """Whether the collection department's own report belongs to the totals: when it has
    one (draft or submitted), or when the province target leaves it a part to report on."""
    if has_report:
        return True
    if direct is None:
        return False
    return bool(
        direct.revenue_plan
        or any(getattr(direct, s).plan or getattr(direct, s).base for s in engine.SCHEMES)
    )


class LikeForLike(NamedTuple):
    """The target-based rates (R2, R4, R6) of the submitted reports' sums over the same
    units' own targets. The other ratios (R5, R7, R8) are of the reports alone, so the totals
    already give them like for like."""

    units: int  # how many reports (each with its unit's target) are summed
    schemes: tuple[engine.SchemeOutcome, ...]  # in engine.SCHEMES order
    participant_rate: Fraction | None  # R4 over the summed schemes
    revenue_rate: Fraction | None  # R6 over the summed revenue plans


def like_for_like(
    parts: Sequence[tuple[engine.Target, engine.Result]], rules: engine.PeriodRules,
) -> LikeForLike | None:
    """The rates of the summed reports against the summed targets of the same units; None
    when nothing is summed. Each part is one submitted report with its unit's own target
    (for the collection department, `direct_part`). With every unit's report in, these are
    the province's own rates."""
    if not parts:
        return None
    targets = [target for target, _ in parts]
    target = summed_target(targets, targets[0])
    result = engine.province_totals([result for _, result in parts])
    threshold = engine.as_ratio(rules.participant_threshold)
    schemes = tuple(
        engine.scheme_outcome(s, getattr(target, s), getattr(result, s), threshold)
        for s in engine.SCHEMES
    )
    return LikeForLike(
        units=len(parts), schemes=schemes,
        participant_rate=engine.participant_rate(schemes),
        revenue_rate=engine.revenue_rate(target, result),
    )


def incomplete_explanation(standing: engine.Standing, covered: Coverage) -> str:
    """The collection department's explanation while the totals lack reports: how many units
    they cover, that a missing report counts as nothing, and which criteria the sums meet or
    miss, quoting no rate of the incomplete totals (they would read as the province's)."""
    failed = [criterion.key for criterion in standing.criteria if not criterion.holds]
    return explain.province_incomplete(covered.submitted, covered.expected, failed)
