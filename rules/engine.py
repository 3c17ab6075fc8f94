"""The campaign's scoring rules, R1 to R12 of docs/rules.md, as pure functions.

Read it beside docs/rules.md: each rule is stated once, in the rulebook's order, under its
name (R1 … R12). The prizes (R13 to R16) are in rules/allocation.py.

Nothing here touches Django or a database: immutable records come in (targets, results, the
period's thresholds), immutable records go out (every rate, the three criteria with each
comparison behind them, eligibility, rank, an explanation).

Arithmetic is exact: people and money are integers, every ratio is a Fraction, and settings
given in percent (Decimal) become Fractions before any comparison. Criteria compare exact
values; only ties (R10), pages, JSON, Excel and explanations use rounded percentages, rounded
once, half-up, by `percent`.

Where docs/rules.md is silent, the engine takes the readings listed in ENGINE_READINGS
(Vietnamese, so the rules page can show them to users).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from . import explain

# Bump when a rule or reading below changes, so stored snapshots say which rules made them.
# A plain sequence number, not a year: one version of the rules serves campaign after campaign.
# docs/rules.md lists the versions, including the one stored under its older name.
RULES_VERSION = "2"

SCHEMES = ("mandatory", "voluntary", "health")
SCHEME_LABELS = {"mandatory": "BHXH bắt buộc", "voluntary": "BHXH tự nguyện", "health": "BHYT"}

# Report states at the roll-up (R9).
SUBMITTED = "submitted"
DRAFT = "draft"
MISSING = "missing"

# Criterion keys (C1, C2, C3), as used in the JSON interface.
PARTICIPANTS = "participants"
REVENUE = "revenue"
LATE = "late"

# The R11 key, in order. Steps 1-5 compare rounded percentages (R10).
RANKING_STEPS = (
    "participant_rate",  # 1. higher first
    "yoy_ratio",  # 2. higher first
    "revenue_rate",  # 3. higher first
    "nonpublic_share",  # 4. higher first
    "late_ratio",  # 5. lower first
    "revenue",  # 6. đồng, larger first
    "code",  # 7. ascending
)

# Readings the engine takes where the rulebook is silent; shown on the rules page.
ENGINE_READINGS = (
    "Chỉ tiêu kế hoạch thu bằng 0: không tính được tỷ lệ số thu, tiêu chí số thu "
    "không đạt (không có căn cứ để xét).",
    "Đơn vị không có loại hình nào phải phát triển (cả ba loại đều không có số người "
    "phải phát triển): tỷ lệ phát triển không xác định; khi xếp hạng, chỉ số không xác "
    "định được coi là thấp nhất.",
    "Không có số người tham gia cùng kỳ năm trước ở loại hình nào: tỷ lệ so với cùng kỳ "
    "không xác định, được coi là thấp nhất khi xếp hạng.",
    "Số người tham gia thấp hơn số người tại ngày chốt cho tỷ lệ phát triển âm; tỷ lệ âm "
    "vẫn được tính vào bình quân.",
    "Báo cáo còn ở dạng bản nháp khi tổng hợp vẫn được tính các chỉ số để tham khảo, "
    "nhưng không được xét và không được xếp hạng.",
    "Các tiêu chí so sánh số chính xác (không làm tròn): đạt đúng ngưỡng là đạt, bằng "
    "đúng trần là đạt. Chỉ khi xét tương đương mới làm tròn.",
    "Làm tròn nửa lên theo giá trị tuyệt đối (0,05 thành 0,1; −0,05 thành −0,1), một lần, "
    "ở bước cuối.",
)


# --- inputs -----------------------------------------------------------------------


class SchemeTarget(NamedTuple):
    plan: int  # people planned for the year
    base: int  # participants on the baseline date (31/12 of the year before)


class Target(NamedTuple):
    mandatory: SchemeTarget
    voluntary: SchemeTarget
    health: SchemeTarget
    revenue_plan: int  # đồng
    late_max: Decimal  # ceiling in percent, e.g. Decimal("3.5")
    late_interest_max: Decimal  # ceiling in percent


class SchemeResult(NamedTuple):
    actual: int  # participants on the period's last day
    last_year: int  # participants on the same day a year before


class Result(NamedTuple):
    mandatory: SchemeResult
    voluntary: SchemeResult
    health: SchemeResult
    revenue: int  # đồng collected since the start of the year
    nonpublic_revenue: int  # of which from the non-public sector
    due: int  # amount due: the denominator of the late ratios
    late: int
    late_interest: int


class UnitInput(NamedTuple):
    code: str
    name: str
    target: Target | None
    result: Result | None  # None: no report
    submitted: bool  # False: still a draft at the roll-up, counts as not submitted (R9)


class PeriodRules(NamedTuple):
    participant_threshold: Decimal  # percent, e.g. Decimal("81")
    revenue_threshold: Decimal  # percent
    tie_decimals: int = 1


# --- outputs ----------------------------------------------------------------------


class SchemeOutcome(NamedTuple):
    """One scheme under R1-R3."""

    scheme: str
    plan: int
    base: int
    actual: int
    to_develop: int  # R1
    applicable: bool  # R2: to_develop > 0
    rate: Fraction | None  # R2; None when not applicable
    met: bool
    # What `met` was held against: the threshold ratio when applicable (rate >= bound),
    # otherwise the plan in people (actual >= bound).
    bound: Fraction | int


class Check(NamedTuple):
    """One comparison inside a criterion."""

    name: str  # a scheme key, "revenue_rate", "late_ratio" or "late_interest_ratio"
    value: Fraction | int | None  # None: could not be computed (the check fails)
    bound: Fraction | int
    at_least: bool  # True: holds when value >= bound; False: when value <= bound
    holds: bool
    measure: str = "ratio"  # "ratio", or "people" for a scheme with nothing to develop


class Criterion(NamedTuple):
    key: str  # "participants" (C1) | "revenue" (C2) | "late" (C3)
    holds: bool
    checks: tuple[Check, ...]  # empty when the unit could not be evaluated

    @property
    def values(self) -> tuple:
        return tuple(check.value for check in self.checks)

    @property
    def bounds(self) -> tuple:
        return tuple(check.bound for check in self.checks)


class Standing(NamedTuple):
    code: str
    name: str
    report: str  # "submitted" | "draft" | "missing"
    has_target: bool
    schemes: tuple[SchemeOutcome, ...]  # in SCHEMES order; empty when not evaluated
    participant_rate: Fraction | None  # R4
    yoy_ratio: Fraction | None  # R5
    revenue_rate: Fraction | None  # R6
    nonpublic_share: Fraction | None  # R7
    late_ratio: Fraction | None  # R8
    late_interest_ratio: Fraction | None  # R8
    revenue: int | None  # đồng, R11 step 6
    c1: Criterion  # R3: participants
    c2: Criterion  # R6: revenue
    c3: Criterion  # R8: late payments
    eligible: bool  # R9
    rank: int | None  # R11; None when not ranked
    explanation: str

    @property
    def criteria(self) -> tuple[Criterion, Criterion, Criterion]:
        return (self.c1, self.c2, self.c3)

    @property
    def evaluated(self) -> bool:
        return bool(self.schemes)

    def scheme(self, key: str) -> SchemeOutcome:
        return self.schemes[SCHEMES.index(key)]


# --- settings in percent, exact ratios ---------------------------------------------


@lru_cache(maxsize=256)
def as_ratio(percent_setting: Decimal) -> Fraction:
    """A setting given in percent (Decimal("81")) as an exact ratio (81/100). Cached: a
    roll-up asks for the same few thresholds and ceilings for every unit."""
    return Fraction(percent_setting) / 100


def as_percent(ratio: Fraction) -> Decimal:
    """Back from an exact ratio to the percent setting it came from (3.5 for 7/200)."""
    return Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)


def _mean(ratios: Sequence[Fraction]) -> Fraction | None:
    """The exact mean; None of nothing. Summed over a common denominator and reduced once:
    adding Fractions one by one reduces every partial sum."""
    if not ratios:
        return None
    numerator, denominator = 0, 1
    for ratio in ratios:
        numerator = numerator * ratio.denominator + ratio.numerator * denominator
        denominator *= ratio.denominator
    return Fraction(numerator, denominator * len(ratios))


def _share(part: int, whole: int) -> Fraction:
    # R7, R8: a share of nothing is 0, not undefined.
    return Fraction(part, whole) if whole else Fraction(0)


# --- R1, R2 — number to develop, rate of each scheme --------------------------------


def scheme_outcome(
    scheme: str, target: SchemeTarget, result: SchemeResult, threshold: Fraction
) -> SchemeOutcome:
    # R1: the number to develop is the plan minus the baseline.
    to_develop = target.plan - target.base
    if to_develop > 0:
        # R2: the share of the number to develop reached; below the base it is negative.
        rate = Fraction(result.actual - target.base, to_develop)
        return SchemeOutcome(
            scheme=scheme, plan=target.plan, base=target.base, actual=result.actual,
            to_develop=to_develop, applicable=True, rate=rate, met=rate >= threshold,
            bound=threshold,
        )
    # R2 (Reading): nothing to develop, so no rate; the scheme is met when the plan is.
    return SchemeOutcome(
        scheme=scheme, plan=target.plan, base=target.base, actual=result.actual,
        to_develop=to_develop, applicable=False, rate=None, met=result.actual >= target.plan,
        bound=target.plan,
    )


# --- R3 — C1 participants -----------------------------------------------------------


def participants_criterion(schemes: Sequence[SchemeOutcome]) -> Criterion:
    """C1 holds when every scheme, on its own, is met: its rate at the threshold, or (nothing
    to develop) its plan reached. One check per scheme."""
    checks = tuple(
        Check(name=o.scheme, value=o.rate, bound=o.bound, at_least=True, holds=o.met)
        if o.applicable else
        Check(name=o.scheme, value=o.actual, bound=o.bound, at_least=True, holds=o.met,
              measure="people")
        for o in schemes
    )
    return Criterion(key=PARTICIPANTS, holds=all(c.holds for c in checks), checks=checks)


# --- R4 — participant rate ------------------------------------------------------------


def participant_rate(schemes: Sequence[SchemeOutcome]) -> Fraction | None:
    """The mean of the applicable schemes' rates."""
    return _mean([o.rate for o in schemes if o.applicable])


# --- R5 — ratio to the same day a year before -------------------------------------------


def yoy_ratio(result: Result) -> Fraction | None:
    """The mean of actual / last_year over the schemes with last_year > 0."""
    schemes = (result.mandatory, result.voluntary, result.health)
    return _mean([Fraction(s.actual, s.last_year) for s in schemes if s.last_year > 0])


# --- R6 — revenue rate, C2 revenue -----------------------------------------------------


def revenue_rate(target: Target, result: Result) -> Fraction | None:
    # Reading: with no revenue plan there is no rate.
    return Fraction(result.revenue, target.revenue_plan) if target.revenue_plan > 0 else None


def revenue_criterion(rate: Fraction | None, threshold: Fraction) -> Criterion:
    """C2 holds when the revenue rate reaches the period's revenue threshold; without a rate
    it cannot hold."""
    holds = rate is not None and rate >= threshold
    check = Check(name="revenue_rate", value=rate, bound=threshold, at_least=True, holds=holds)
    return Criterion(key=REVENUE, holds=holds, checks=(check,))


# --- R7 — non-public share ---------------------------------------------------------------


def nonpublic_share(result: Result) -> Fraction:
    return _share(result.nonpublic_revenue, result.revenue)


# --- R8 — late ratios, C3 late payments --------------------------------------------------


def late_criterion(
    late_ratio: Fraction, late_max: Fraction, late_interest_ratio: Fraction,
    late_interest_max: Fraction,
) -> Criterion:
    """C3 holds when both ratios are at or below their ceilings; one check for each."""
    checks = (
        Check(name="late_ratio", value=late_ratio, bound=late_max, at_least=False,
              holds=late_ratio <= late_max),
        Check(name="late_interest_ratio", value=late_interest_ratio, bound=late_interest_max,
              at_least=False, holds=late_interest_ratio <= late_interest_max),
    )
    return Criterion(key=LATE, holds=all(c.holds for c in checks), checks=checks)


# --- R9 — eligibility: one unit evaluated ----------------------------------------------------


def report_state(unit: UnitInput) -> str:
    if unit.result is None:
        return MISSING
    return SUBMITTED if unit.submitted else DRAFT


def evaluate(unit: UnitInput, rules: PeriodRules) -> Standing:
    """Every rate and criterion of one unit for one period (R1-R9); never ranked."""
    report = report_state(unit)
    if unit.target is None or unit.result is None:
        return _not_evaluated(unit, report)
    target, result = unit.target, unit.result

    # R1-R3: each scheme, and C1 over the three.
    threshold = as_ratio(rules.participant_threshold)
    schemes = tuple(
        scheme_outcome(s, getattr(target, s), getattr(result, s), threshold) for s in SCHEMES
    )
    c1 = participants_criterion(schemes)
    # R6: C2.
    revenue = revenue_rate(target, result)
    c2 = revenue_criterion(revenue, as_ratio(rules.revenue_threshold))
    # R8: C3.
    late = _share(result.late, result.due)
    late_interest = _share(result.late_interest, result.due)
    c3 = late_criterion(
        late, as_ratio(target.late_max), late_interest, as_ratio(target.late_interest_max)
    )
    # R9: eligible when submitted before the roll-up and C1, C2, C3 all hold.
    eligible = report == SUBMITTED and c1.holds and c2.holds and c3.holds
    standing = Standing(
        code=unit.code, name=unit.name, report=report, has_target=True, schemes=schemes,
        # R4, R5, R7: the rates that rank (R11) but decide nothing on their own.
        participant_rate=participant_rate(schemes), yoy_ratio=yoy_ratio(result),
        revenue_rate=revenue, nonpublic_share=nonpublic_share(result), late_ratio=late,
        late_interest_ratio=late_interest, revenue=result.revenue, c1=c1, c2=c2, c3=c3,
        eligible=eligible, rank=None, explanation=explain.ALL_CRITERIA_MET,
    )
    if eligible:
        return standing
    return standing._replace(explanation=_explanation(standing, rules))


def _not_evaluated(unit: UnitInput, report: str) -> Standing:
    # Without a target or a report nothing can be computed; every criterion fails.
    reasons = []
    if report == MISSING:
        reasons.append(explain.MISSING_REPORT)
    elif report == DRAFT:
        reasons.append(explain.DRAFT_REPORT)
    if unit.target is None:
        reasons.append(explain.NO_TARGET)
    return Standing(
        code=unit.code, name=unit.name, report=report, has_target=unit.target is not None,
        schemes=(), participant_rate=None, yoy_ratio=None, revenue_rate=None,
        nonpublic_share=None, late_ratio=None, late_interest_ratio=None, revenue=None,
        c1=Criterion(key=PARTICIPANTS, holds=False, checks=()),
        c2=Criterion(key=REVENUE, holds=False, checks=()),
        c3=Criterion(key=LATE, holds=False, checks=()),
        eligible=False, rank=None, explanation=explain.join_reasons(reasons),
    )


def _explanation(standing: Standing, rules: PeriodRules) -> str:
    """Why an evaluated unit is not eligible: a draft, then each failed check."""
    reasons = [
        _missed(check, rules)
        for criterion in standing.criteria for check in criterion.checks if not check.holds
    ]
    if standing.report == DRAFT:
        reasons.insert(0, explain.DRAFT_REPORT)
    if not reasons:
        return explain.ALL_CRITERIA_MET
    return explain.join_reasons(reasons)


def _missed(check: Check, rules: PeriodRules) -> str:
    """One failed check in Vietnamese: what was reached and what was needed."""
    decimals = rules.tie_decimals
    if check.name == "revenue_rate":
        if check.value is None:
            return explain.NO_REVENUE_PLAN
        shown = shown_percent(check.value, check.bound, decimals)
        return explain.revenue_rate_missed(shown, rules.revenue_threshold)
    if check.name == "late_ratio":
        shown = shown_percent(check.value, check.bound, decimals)
        return explain.late_ratio_missed(shown, as_percent(check.bound))
    if check.name == "late_interest_ratio":
        shown = shown_percent(check.value, check.bound, decimals)
        return explain.late_interest_ratio_missed(shown, as_percent(check.bound))
    label = SCHEME_LABELS[check.name]
    if check.measure == "people":
        return explain.scheme_count_missed(label, check.value, check.bound)
    shown = shown_percent(check.value, check.bound, decimals)
    return explain.scheme_rate_missed(label, shown, rules.participant_threshold)


# --- R10 — equivalent: exact values, rounded once -----------------------------------------


def percent(value: Fraction, decimals: int) -> Decimal:
    """A ratio as a percentage, rounded ONCE, half-up, to `decimals` places.

    Half-up as Decimal's ROUND_HALF_UP: a tie goes away from zero (0.8545 -> 85.5,
    -0.0005 -> -0.1 at one place). Rounded on the exact Fraction, so no binary or
    intermediate rounding creeps in. The one rounding of pages, JSON, Excel and explanations.
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    return Decimal(_rounded(_exact(value), decimals)).scaleb(-decimals)


def _exact(value) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def _rounded(value: Fraction, places: int) -> int:
    """`percent`'s digits as a whole number (85.5 % at one place: 855), in integer arithmetic:
    it runs for every rate of every unit."""
    numerator, denominator = abs(value.numerator), value.denominator
    # floor(|value| × 100 × 10**places + 1/2)
    rounded = (2 * numerator * 100 * 10**places + denominator) // (2 * denominator)
    return -rounded if value.numerator < 0 else rounded


def _side_of_bound(rounded: int, places: int, bound: Fraction) -> int:
    """Which side of `bound` a rounded percentage (`_rounded`'s digits) falls: -1, 0 or 1."""
    return _compare(rounded * bound.denominator, bound.numerator * 100 * 10**places)


def _side(value: Fraction, bound: Fraction) -> int:
    """Which side of `bound` a ratio falls: -1, 0 or 1, cross-multiplied in integers
    (denominators are positive), as `_side_of_bound` does for the rounded one."""
    return _compare(value.numerator * bound.denominator, bound.numerator * value.denominator)


def shown_percent(value: Fraction, bound: Fraction, decimals: int) -> Decimal:
    """`value` rounded for display, with more places when rounding would put it on the other
    side of `bound` than it really is, or on the bound itself: a failed check must never read
    as a pass. 80,96 % against 81 % is "80,96 %", not "81,0 %"; 3,449 % against a ceiling of
    3,44 % is "3,449 %", not "3,4 %"; a value exactly on the bound reads as the bound. Up to
    six places more; closer than that, the last place is cut towards the value's side
    (3,4999999 % for a value a hair under 3,5 %), so the side always holds."""
    value = _exact(value)
    side = _side(value, bound)
    for places in range(decimals, decimals + 7):
        rounded = _rounded(value, places)
        if _side_of_bound(rounded, places, bound) == side:
            return Decimal(rounded).scaleb(-places)
    # floor below the bound, ceiling above it: still the value's own digits
    scaled = value * 100 * 10**places
    return Decimal(math.floor(scaled) if side < 0 else math.ceil(scaled)).scaleb(-places)


def shown_beside_verdict(value: Fraction, bound: Fraction, decimals: int, at_least: bool) -> Decimal:
    """`value` rounded once for display beside its check's verdict (holds when value >= bound
    if `at_least`, value <= bound otherwise), with `shown_percent`'s extra places only where the
    rounded text would read as the other verdict: a hair within a 3,5 % ceiling is "3,5 %" (at
    the ceiling is within it); a hair over it is "3,5000001 %"."""
    value = _exact(value)
    rounded = _rounded(value, decimals)
    shown_side, side = _side_of_bound(rounded, decimals, bound), _side(value, bound)
    if at_least:
        misleads = (shown_side >= 0) != (side >= 0)
    else:
        misleads = (shown_side <= 0) != (side <= 0)
    return shown_percent(value, bound, decimals) if misleads else Decimal(rounded).scaleb(-decimals)


def _compare(left, right) -> int:
    return (left > right) - (left < right)


# --- R11 — ranking of the local offices ------------------------------------------------


def step_values(standing: Standing, decimals: int) -> tuple:
    """The seven R11 step values of a unit: five percentages rounded per R10 (None where
    undefined), the revenue in đồng, the unit code."""
    rates = (standing.participant_rate, standing.yoy_ratio, standing.revenue_rate,
             standing.nonpublic_share, standing.late_ratio)
    return (
        *(None if rate is None else percent(rate, decimals) for rate in rates),
        standing.revenue,
        standing.code,
    )


def _higher_first(value: Decimal | None) -> tuple:
    # Reading: an undefined metric counts as the lowest, so it comes last.
    return (1, 0) if value is None else (0, -value)


def _lower_first(value: Decimal | None) -> tuple:
    return (1, 0) if value is None else (0, value)


def ranking_key(values: tuple) -> tuple:
    """Sort key (ascending) for the R11 order, from `step_values`."""
    participant, yoy, revenue_rate, nonpublic, late, revenue, code = values
    return (
        _higher_first(participant),  # 1
        _higher_first(yoy),  # 2
        _higher_first(revenue_rate),  # 3
        _higher_first(nonpublic),  # 4
        _lower_first(late),  # 5
        -revenue,  # 6: larger first
        code,  # 7: ascending
    )


def deciding_step(values: tuple, above: tuple) -> int:
    """Index (0-6) of the first R11 step where a unit differs from the unit above."""
    for step, (mine, theirs) in enumerate(zip(values, above, strict=True)):
        if mine != theirs:
            return step
    raise ValueError("two units with the same code")


def tie_break_depths(ranked_values: Sequence[tuple]) -> list[int]:
    """For each ranked unit, from the `step_values` of the ranked units in rank order: the last
    R11 step its explanations draw on, its own (the step that set it below the unit above) or
    the unit below's (whose explanation quotes this unit's value at that step). 0 for the
    participant rate alone; a page shows the steps up to it, so that every value an
    explanation quotes is on the page."""
    if not ranked_values:
        return []
    deciding = [0] + [
        deciding_step(values, above) for above, values in pairwise(ranked_values)
    ]
    below = [*deciding[1:], 0]
    return [max(own, next_one) for own, next_one in zip(deciding, below, strict=True)]


def rank_local_offices(units: Sequence[UnitInput], rules: PeriodRules) -> tuple[Standing, ...]:
    """Every unit evaluated; the eligible ones ranked by R11, first; the rest by code.

    A unit with a missing or draft report, or no target, is listed but never ranked.
    """
    codes = [u.code for u in units]
    if len(set(codes)) != len(codes):
        raise ValueError("unit codes must be unique")
    decimals = rules.tie_decimals
    standings = [evaluate(u, rules) for u in units]

    eligible = [(step_values(s, decimals), s) for s in standings if s.eligible]
    eligible.sort(key=lambda pair: ranking_key(pair[0]))
    ranked = []
    for position, (values, standing) in enumerate(eligible, start=1):
        if position == 1:
            text = explain.first_place(values[0])
        else:
            above = eligible[position - 2][0]
            text = explain.below_unit_above(deciding_step(values, above), values, above)
        ranked.append(standing._replace(rank=position, explanation=text))

    rest = sorted((s for s in standings if not s.eligible), key=lambda s: s.code)
    return tuple(ranked) + tuple(rest)


# --- R12 — the collection department, on the province totals ----------------------------


def province_totals(results: Sequence[Result]) -> Result:
    """The sums of every report given, field by field (people and money)."""

    def scheme_total(scheme: str) -> SchemeResult:
        return SchemeResult(
            actual=sum(getattr(r, scheme).actual for r in results),
            last_year=sum(getattr(r, scheme).last_year for r in results),
        )

    return Result(
        mandatory=scheme_total("mandatory"),
        voluntary=scheme_total("voluntary"),
        health=scheme_total("health"),
        revenue=sum(r.revenue for r in results),
        nonpublic_revenue=sum(r.nonpublic_revenue for r in results),
        due=sum(r.due for r in results),
        late=sum(r.late for r in results),
        late_interest=sum(r.late_interest for r in results),
    )


def evaluate_province(
    code: str, name: str, target: Target | None, results: Sequence[Result],
    rules: PeriodRules,
) -> Standing:
    """The collection department judged on the province totals against its own province
    target. The caller passes the reports that count (the submitted ones, the department's
    own included). Never ranked."""
    if not results:
        unit = UnitInput(code=code, name=name, target=target, result=None, submitted=False)
        return _not_evaluated(unit, MISSING)._replace(explanation=explain.NO_REPORTS_TO_TOTAL)
    # Totals are computed, never typed, so they count as submitted.
    unit = UnitInput(code=code, name=name, target=target, result=province_totals(results),
                     submitted=True)
    standing = evaluate(unit, rules)
    if standing.eligible:
        standing = standing._replace(explanation=explain.PROVINCE_MET)
    return standing
