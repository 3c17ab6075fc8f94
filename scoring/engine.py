"""The campaign's scoring rules, R1 to R12 of RULES.md, as pure functions.

Nothing here touches Django or a database: immutable records come in (targets, results,
the period's thresholds), immutable records go out (every rate, every criterion with the
value and the bound it was held against, eligibility, rank, an explanation).

The records are NamedTuples rather than frozen dataclasses: just as immutable, and four
times cheaper to build. A national roll-up builds some 10,000 of them (2,400 units × a
standing and three scheme outcomes; a standing's criteria and their checks are built only
when asked), and building frozen dataclasses was a third of its time (issue 8). Being
tuples, two records of different kinds holding the same values compare equal; nothing here
compares records of different kinds.

Arithmetic is exact: people and money are integers, ratios are exact, and settings given
in percent (Decimal) become Fractions before any comparison. A computed ratio is kept as its
two whole numbers (`Terms`: numerator, denominator) and given as a Fraction when asked for
(the rate properties of SchemeOutcome and Standing); criteria compare and rounding rounds the
two integers. Criteria compare the exact values; only ties (R10), display and JSON use
rounded percentages, rounded once, half-up, by `percent`.

Where RULES.md is silent, the engine takes the readings listed in ENGINE_READINGS
(Vietnamese, so the rules page can show them to users).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from scoring import explain

# Bump when a rule or reading below changes, so stored snapshots say which rules made them.
RULES_VERSION = "2025.1"

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

# Readings the engine takes where RULES.md is silent; shown on the rules page.
ENGINE_READINGS = (
    "Chỉ tiêu kế hoạch thu bằng 0: không tính được tỷ lệ số thu, tiêu chí số thu "
    "không đạt (không có căn cứ để xét).",
    "Đơn vị không có loại hình nào phải phát triển (cả ba loại đều không có số người "
    "phải phát triển): tỷ lệ phát triển không xác định; khi xếp hạng, chỉ số không xác "
    "định được coi là thấp nhất.",
    "Không có số người tham gia cùng kỳ năm trước ở loại hình nào: tỷ lệ so với cùng kỳ "
    "không xác định, được coi là thấp nhất khi xếp hạng.",
    "Số người tham gia thấp hơn số ngày 31/12/2024 cho tỷ lệ phát triển âm; tỷ lệ âm "
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
    plan: int  # people planned for 2025
    base: int  # participants on 31/12/2024


class Target(NamedTuple):
    mandatory: SchemeTarget
    voluntary: SchemeTarget
    health: SchemeTarget
    revenue_plan: int  # đồng
    late_max: Decimal  # ceiling in percent, e.g. Decimal("3.5")
    late_interest_max: Decimal  # ceiling in percent


class SchemeResult(NamedTuple):
    actual: int  # participants on the period's last day
    last_year: int  # participants on the same day of 2024


class Result(NamedTuple):
    mandatory: SchemeResult
    voluntary: SchemeResult
    health: SchemeResult
    revenue: int  # đồng collected since 01/01/2025
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

# A ratio as its two whole numbers (numerator, denominator), the denominator positive, the
# pair not reduced. The engine decides, ranks and explains on these in integers and makes a
# Fraction only when one is asked for: a national roll-up would otherwise build 21,600
# Fractions (nine a unit, at some 1.2 µs each) only to round them (issue 8).
Terms = tuple[int, int]


def fraction(terms: Terms | None) -> Fraction | None:
    return None if terms is None else Fraction(*terms)


class SchemeOutcome(NamedTuple):
    """One scheme under R1-R3."""

    scheme: str
    plan: int
    base: int
    actual: int
    to_develop: int  # R1
    applicable: bool  # R2: to_develop > 0
    met: bool
    # What `met` was held against: the threshold ratio when applicable (rate >= bound),
    # otherwise the plan in people (actual >= bound).
    bound: Fraction | int

    @property
    def rate_terms(self) -> Terms | None:
        """R2: the share of the number to develop reached; None when not applicable."""
        return (self.actual - self.base, self.to_develop) if self.applicable else None

    @property
    def rate(self) -> Fraction | None:
        return fraction(self.rate_terms)


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
    # The ratios as Terms; the properties below give them as Fractions.
    participant_terms: Terms | None  # R4
    yoy_terms: Terms | None  # R5
    revenue_terms: Terms | None  # R6
    nonpublic_terms: Terms | None  # R7
    late_terms: Terms | None  # R8
    late_interest_terms: Terms | None  # R8
    revenue: int | None  # đồng, R11 step 6
    # The verdicts of C1 (R3), C2 (R6) and C3 (R8). The criteria with every comparison behind
    # them (c1, c2, c3) are built from the fields when asked: a roll-up needs only the
    # verdicts, and building the 9 records of every unit was a fifth of its engine time.
    participants_met: bool
    revenue_met: bool
    late_met: bool
    # What C2 and C3 held the ratios against; None when not evaluated.
    revenue_threshold: Fraction | None
    late_max: Fraction | None
    late_interest_max: Fraction | None
    eligible: bool  # R9
    rank: int | None  # R11; None when not ranked
    explanation: str  # the last field (see _explained)

    @property
    def participant_rate(self) -> Fraction | None:
        return fraction(self.participant_terms)

    @property
    def yoy_ratio(self) -> Fraction | None:
        return fraction(self.yoy_terms)

    @property
    def revenue_rate(self) -> Fraction | None:
        return fraction(self.revenue_terms)

    @property
    def nonpublic_share(self) -> Fraction | None:
        return fraction(self.nonpublic_terms)

    @property
    def late_ratio(self) -> Fraction | None:
        return fraction(self.late_terms)

    @property
    def late_interest_ratio(self) -> Fraction | None:
        return fraction(self.late_interest_terms)

    @property
    def c1(self) -> Criterion:
        if not self.schemes:
            return Criterion(PARTICIPANTS, False, ())
        return participants_criterion(self.schemes)

    @property
    def c2(self) -> Criterion:
        if not self.schemes:
            return Criterion(REVENUE, False, ())
        return revenue_criterion(self.revenue_terms, self.revenue_threshold)

    @property
    def c3(self) -> Criterion:
        if not self.schemes:
            return Criterion(LATE, False, ())
        return late_criterion(
            self.late_terms, self.late_max, self.late_interest_terms, self.late_interest_max
        )

    @property
    def criteria(self) -> tuple[Criterion, Criterion, Criterion]:
        return (self.c1, self.c2, self.c3)

    @property
    def evaluated(self) -> bool:
        return bool(self.schemes)

    def scheme(self, key: str) -> SchemeOutcome:
        return self.schemes[SCHEMES.index(key)]


# --- R10: exact values, rounded once ------------------------------------------------


_PERCENT_SCALE = tuple(100 * 10**places for places in range(12))  # 100 × 10**decimals


def percent(value: Fraction, decimals: int) -> Decimal:
    """A ratio as a percentage, rounded ONCE, half-up, to `decimals` places (R10).

    Half-up as Decimal's ROUND_HALF_UP: a tie goes away from zero (0.8545 -> 85.5,
    -0.0005 -> -0.1 at one place). The rounding is done on the exact Fraction, so no
    binary or intermediate rounding creeps in.
    """
    return Decimal(percent_scaled(value, decimals)).scaleb(-decimals)


def percent_scaled(value: Fraction, decimals: int) -> int:
    """`percent` as a whole number of 10**-decimals percent (85.5 % at one place: 855), rounded
    the same way, once."""
    exact = value if type(value) is Fraction else Fraction(value)
    return percent_scaled_terms((exact.numerator, exact.denominator), decimals)


def percent_scaled_terms(terms: Terms, decimals: int) -> int:
    """`percent_scaled` of a ratio given as Terms. Integer arithmetic only: a roll-up rounds
    some 30 values per unit, and intermediate Fraction objects made this the engine's hottest
    line (issue 8)."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    numerator, denominator = terms
    scale = _PERCENT_SCALE[decimals] if decimals < len(_PERCENT_SCALE) else 100 * 10**decimals
    # floor(|value| × scale + 1/2)
    rounded = (2 * abs(numerator) * scale + denominator) // (2 * denominator)
    return -rounded if numerator < 0 else rounded


def percent_of_terms(terms: Terms | None, decimals: int) -> Decimal | None:
    """`percent` of a ratio given as Terms, or None."""
    if terms is None:
        return None
    return Decimal(percent_scaled_terms(terms, decimals)).scaleb(-decimals)


def as_ratio(percent_setting: Decimal) -> Fraction:
    """A setting given in percent (Decimal("81")) as an exact ratio (81/100).

    Cached: a roll-up asks for the same few settings (two thresholds, two ceilings) once per
    unit. Equal settings (3.5 and 3.50) have equal ratios, so the cache cannot mix them up.
    """
    try:
        return _as_ratio_cached(percent_setting)
    except TypeError:  # not hashable (a signalling NaN): computed, so it fails as it always did
        return Fraction(percent_setting) / 100


@lru_cache(maxsize=1024)
def _as_ratio_cached(percent_setting: Decimal) -> Fraction:
    return Fraction(percent_setting) / 100


def _mean(ratios: Sequence[Terms]) -> Terms | None:
    """The exact mean of ratios, None of nothing; summed over a common denominator."""
    if not ratios:
        return None
    numerator, denominator = 0, 1
    for part, whole in ratios:
        numerator = numerator * whole + part * denominator
        denominator *= whole
    return (numerator, denominator * len(ratios))


def _at_least(value: Terms, bound: Fraction) -> bool:
    """value >= bound, cross-multiplied in integers (denominators are positive)."""
    numerator, denominator = value
    return numerator * bound.denominator >= bound.numerator * denominator


def _at_most(value: Terms, bound: Fraction) -> bool:
    numerator, denominator = value
    return numerator * bound.denominator <= bound.numerator * denominator


ZERO: Terms = (0, 1)


# --- R1-R3: participants ------------------------------------------------------------


def scheme_outcome(
    scheme: str, target: SchemeTarget, result: SchemeResult, threshold: Fraction
) -> SchemeOutcome:
    plan, base = target
    actual = result.actual
    # R1: the number to develop is the plan minus the base of 31/12/2024.
    to_develop = plan - base
    if to_develop > 0:
        # R2: the share of the number to develop reached; below the base it is negative.
        # Met when rate >= threshold, compared in integers (to_develop > 0): this runs three
        # times a unit, and the Fractions' own comparison costs several times more.
        developed = actual - base
        met = developed * threshold.denominator >= threshold.numerator * to_develop
        # Positional arguments (fields: applicable, met, bound): a third cheaper to build
        # than with keywords. The rate itself is the outcome's `rate` property.
        return SchemeOutcome(scheme, plan, base, actual, to_develop, True, met, threshold)
    # R2 (Reading): nothing to develop, so no rate; the scheme is met when the plan is.
    return SchemeOutcome(scheme, plan, base, actual, to_develop, False, actual >= plan, plan)


def participants_met(schemes: Sequence[SchemeOutcome]) -> bool:
    # R3: C1 holds when each scheme, on its own, is met. (A loop, not all() over a
    # generator: half the cost, once a unit.)
    for outcome in schemes:
        if not outcome.met:
            return False
    return True


def participants_criterion(schemes: Sequence[SchemeOutcome]) -> Criterion:
    """C1 with one check per scheme."""
    # Check(name, value, bound, at_least, holds, measure)
    checks = tuple(
        Check(o.scheme, o.rate, o.bound, True, o.met, "ratio") if o.applicable
        else Check(o.scheme, o.actual, o.bound, True, o.met, "people")
        for o in schemes
    )
    return Criterion(PARTICIPANTS, participants_met(schemes), checks)


# --- R6: revenue --------------------------------------------------------------------


def revenue_met(revenue_rate: Terms | None, threshold: Fraction) -> bool:
    # R6: C2 holds when revenue_rate >= the period's revenue threshold.
    # Reading: with no revenue plan there is no rate, and C2 cannot hold.
    return revenue_rate is not None and _at_least(revenue_rate, threshold)


def revenue_criterion(revenue_rate: Terms | None, threshold: Fraction) -> Criterion:
    """C2 with its one check."""
    holds = revenue_met(revenue_rate, threshold)
    check = Check("revenue_rate", fraction(revenue_rate), threshold, True, holds)
    return Criterion(REVENUE, holds, (check,))


# --- R8: late payments --------------------------------------------------------------


def _share(part: int, whole: int) -> Terms:
    # R7, R8: a share of nothing is 0, not undefined.
    if whole > 0:
        return (part, whole)
    if whole < 0:
        # Terms keep a positive denominator. Figures are never negative in the application
        # (the database refuses them); a direct caller's still get the sign right.
        return (-part, -whole)
    return ZERO


def late_met(
    late_ratio: Terms, late_max: Fraction, late_interest_ratio: Terms,
    late_interest_max: Fraction,
) -> bool:
    # R8: C3 holds when both ratios are at or below their ceilings.
    return _at_most(late_ratio, late_max) and _at_most(late_interest_ratio, late_interest_max)


def late_criterion(
    late_ratio: Terms, late_max: Fraction, late_interest_ratio: Terms,
    late_interest_max: Fraction,
) -> Criterion:
    """C3 with its two checks, each against its own ceiling."""
    checks = (
        Check("late_ratio", fraction(late_ratio), late_max, False, _at_most(late_ratio, late_max)),
        Check("late_interest_ratio", fraction(late_interest_ratio), late_interest_max, False,
              _at_most(late_interest_ratio, late_interest_max)),
    )
    return Criterion(
        LATE, late_met(late_ratio, late_max, late_interest_ratio, late_interest_max), checks
    )


# --- evaluation of one unit (R1-R9) -----------------------------------------------------


def report_state(unit: UnitInput) -> str:
    if unit.result is None:
        return MISSING
    return SUBMITTED if unit.submitted else DRAFT


def evaluate(unit: UnitInput, rules: PeriodRules) -> Standing:
    """Every rate and criterion of one unit for one period; never ranked (rank None)."""
    report = report_state(unit)
    if unit.target is None or unit.result is None:
        return _not_evaluated(unit, report)
    target, result = unit.target, unit.result

    # R1, R2: each scheme's rate, or its plan when there is nothing to develop.
    threshold = as_ratio(rules.participant_threshold)
    schemes = (
        scheme_outcome("mandatory", target.mandatory, result.mandatory, threshold),
        scheme_outcome("voluntary", target.voluntary, result.voluntary, threshold),
        scheme_outcome("health", target.health, result.health, threshold),
    )
    # R3: C1.
    c1 = participants_met(schemes)
    # R4: participant_rate, the mean of the applicable schemes' rates.
    participant_rate = _mean([(o.actual - o.base, o.to_develop) for o in schemes if o.applicable])
    # R5: yoy_ratio, the mean of actual / last_year over schemes with last_year > 0.
    yoy_ratio = _mean([
        (figures.actual, figures.last_year)
        for figures in (result.mandatory, result.voluntary, result.health)
        if figures.last_year > 0
    ])
    # R6: revenue_rate and C2.
    revenue_rate = (result.revenue, target.revenue_plan) if target.revenue_plan > 0 else None
    revenue_threshold = as_ratio(rules.revenue_threshold)
    c2 = revenue_met(revenue_rate, revenue_threshold)
    # R7: nonpublic_share (0 when nothing was collected).
    nonpublic_share = _share(result.nonpublic_revenue, result.revenue)
    # R8: late ratios (0 when nothing is due) and C3.
    late_ratio = _share(result.late, result.due)
    late_interest_ratio = _share(result.late_interest, result.due)
    late_max, late_interest_max = as_ratio(target.late_max), as_ratio(target.late_interest_max)
    c3 = late_met(late_ratio, late_max, late_interest_ratio, late_interest_max)
    # R9: eligible when submitted before the roll-up and C1, C2, C3 all hold.
    eligible = report == SUBMITTED and c1 and c2 and c3

    # Positional, in the order of Standing's fields: keywords cost 1.1 µs more a unit.
    standing = Standing(
        unit.code, unit.name, report, True, schemes,  # code, name, report, has_target, schemes
        participant_rate, yoy_ratio, revenue_rate, nonpublic_share,  # the *_terms
        late_ratio, late_interest_ratio, result.revenue,
        c1, c2, c3,  # participants_met, revenue_met, late_met
        revenue_threshold, late_max, late_interest_max,
        eligible, None, explain.ALL_CRITERIA_MET,  # eligible, rank, explanation
    )
    if eligible:
        return standing
    return _explained(standing, _explanation(standing, rules))


def _explained(standing: Standing, explanation: str) -> Standing:
    """`standing._replace(explanation=…)` for a field known to be the last: a third of the
    cost, and this runs for every unit that missed a criterion."""
    return Standing._make((*standing[:-1], explanation))


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
        schemes=(), participant_terms=None, yoy_terms=None, revenue_terms=None,
        nonpublic_terms=None, late_terms=None, late_interest_terms=None, revenue=None,
        participants_met=False, revenue_met=False, late_met=False, revenue_threshold=None,
        late_max=None, late_interest_max=None, eligible=False, rank=None,
        explanation=explain.join_reasons(reasons),
    )


# --- explanations of an evaluated unit -------------------------------------------------


def shown_percent(value: Fraction, bound: Fraction, decimals: int) -> Decimal:
    """`value` rounded for display, with more places when rounding would put it on the other
    side of `bound` than it really is, or on the bound itself: a failed check must never read
    as a pass. 80,96 % against 81 % is "80,96 %", not "81,0 %"; 3,449 % against a ceiling of
    3,44 % is "3,449 %", not "3,4 %"; a value exactly on the bound reads as the bound. Up to
    six places more; closer than that, the last place is cut towards the value's side
    (3,4999999 % for a value a hair under 3,5 %), so the side always holds."""
    return shown_percent_terms((value.numerator, value.denominator), bound, decimals)


def shown_percent_terms(value: Terms, bound: Fraction, decimals: int) -> Decimal:
    """`shown_percent` of a ratio given as Terms."""
    numerator, denominator = value
    # rounded / 10**places against bound × 100, in integers
    bound_numerator, bound_denominator = bound.numerator * 100, bound.denominator
    side = _compare_ints(numerator * 100 * bound_denominator, bound_numerator * denominator)
    places = decimals
    rounded = percent_scaled_terms(value, places)
    while _compare_ints(rounded * bound_denominator, bound_numerator * 10**places) != side:
        if places == decimals + 6:
            # floor below the bound, ceiling above it: still the value's own digits
            scaled = numerator * 100 * 10**places
            rounded = scaled // denominator if side < 0 else -(-scaled // denominator)
            break
        places += 1
        rounded = percent_scaled_terms(value, places)
    return Decimal(rounded).scaleb(-places)


def shown_beside_verdict(value: Fraction, bound: Fraction, decimals: int, at_least: bool) -> Decimal:
    """`value` rounded once for display beside its check's verdict (holds when value >= bound
    if `at_least`, value <= bound otherwise), with `shown_percent`'s extra places only where the
    rounded text would read as the other verdict: a hair within a 3,5 % ceiling is "3,5 %" (at
    the ceiling is within it); a hair over it is "3,5000001 %"."""
    rounded = percent(value, decimals)
    bound_percent = bound * 100
    if at_least:
        misleads = (rounded >= bound_percent) != (value >= bound)
    else:
        misleads = (rounded <= bound_percent) != (value <= bound)
    return shown_percent(value, bound, decimals) if misleads else rounded


def near_bound(value: Terms, bound: Fraction, decimals: int) -> bool:
    """Whether rounding `value` to `decimals` places could land on `bound` or cross it: they
    are at most half a unit of the last place apart. Only then can `shown_percent` need more
    places; a cheap test, run for three checks of every unit of a roll-up."""
    scale = _PERCENT_SCALE[decimals] if decimals < len(_PERCENT_SCALE) else 100 * 10**decimals
    numerator, value_den = value
    bound_den = bound.denominator
    return 2 * abs(numerator * bound_den - bound.numerator * value_den) * scale <= value_den * bound_den


def _compare_ints(left: int, right: int) -> int:
    return (left > right) - (left < right)


def _as_percent(ratio: Fraction) -> Decimal:
    """Back from an exact ratio to the percent setting it came from (3.5 for 7/200)."""
    return _percent_of(ratio.numerator, ratio.denominator)


@lru_cache(maxsize=256)
def _percent_of(numerator: int, denominator: int) -> Decimal:
    # Cached on the integers: a Fraction's own hash is computed in Python, and costs more
    # than the division it would save.
    return Decimal(numerator * 100) / Decimal(denominator)


def missed_criteria(standing: Standing, rules: PeriodRules) -> list[str]:
    """One Vietnamese phrase per failed check of an evaluated unit: what was reached and what
    was needed. Read from the standing's fields, the same values and bounds its criteria's
    checks hold (c1, c2, c3), without building those records: this runs for every unit that
    missed a criterion, three in four of a national roll-up (issue 8)."""
    decimals = rules.tie_decimals
    reasons = []
    for outcome in standing.schemes:
        if outcome.met:
            continue
        label = SCHEME_LABELS[outcome.scheme]
        if outcome.applicable:
            shown = shown_percent_terms(outcome.rate_terms, outcome.bound, decimals)
            reasons.append(
                explain.scheme_rate_missed(label, shown, rules.participant_threshold)
            )
        else:
            reasons.append(explain.scheme_count_missed(label, outcome.actual, outcome.plan))
    if not standing.revenue_met:
        if standing.revenue_terms is None:
            reasons.append(explain.NO_REVENUE_PLAN)
        else:
            shown = shown_percent_terms(standing.revenue_terms, standing.revenue_threshold, decimals)
            reasons.append(explain.revenue_rate_missed(shown, rules.revenue_threshold))
    if standing.late_met:
        return reasons
    if not _at_most(standing.late_terms, standing.late_max):
        shown = shown_percent_terms(standing.late_terms, standing.late_max, decimals)
        reasons.append(explain.late_ratio_missed(shown, _as_percent(standing.late_max)))
    if not _at_most(standing.late_interest_terms, standing.late_interest_max):
        shown = shown_percent_terms(standing.late_interest_terms, standing.late_interest_max, decimals)
        reasons.append(
            explain.late_interest_ratio_missed(shown, _as_percent(standing.late_interest_max))
        )
    return reasons


def _explanation(standing: Standing, rules: PeriodRules) -> str:
    reasons = missed_criteria(standing, rules)
    if standing.report == DRAFT:
        reasons.insert(0, explain.DRAFT_REPORT)
    if not reasons:
        return explain.ALL_CRITERIA_MET
    return explain.join_reasons(reasons)


# --- R11: ranking of the local offices ------------------------------------------------


def step_values(standing: Standing, decimals: int) -> tuple:
    """The seven R11 step values of a unit: five percentages rounded per R10 (None where
    undefined), the revenue in đồng, the unit code."""
    return (
        percent_of_terms(standing.participant_terms, decimals),
        percent_of_terms(standing.yoy_terms, decimals),
        percent_of_terms(standing.revenue_terms, decimals),
        percent_of_terms(standing.nonpublic_terms, decimals),
        percent_of_terms(standing.late_terms, decimals),
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


# --- R12: the collection department, on the province totals --------------------------


def province_totals(results: Sequence[Result]) -> Result:
    """R12: the sums of every report given, field by field (people and money)."""
    if not results:
        return Result(SchemeResult(0, 0), SchemeResult(0, 0), SchemeResult(0, 0), 0, 0, 0, 0, 0)
    # Column by column (zip), each summed in C: a national roll-up totals 2,400 reports.
    mandatory, voluntary, health, *money = zip(*results, strict=True)

    def scheme_total(column: tuple[SchemeResult, ...]) -> SchemeResult:
        actual, last_year = zip(*column, strict=True)
        return SchemeResult(sum(actual), sum(last_year))

    return Result(scheme_total(mandatory), scheme_total(voluntary), scheme_total(health),
                  *map(sum, money))


def evaluate_province(
    code: str, name: str, target: Target | None, results: Sequence[Result],
    rules: PeriodRules,
) -> Standing:
    """R12: the collection department judged on the province totals against its own
    province target. The caller passes the reports that count (the submitted ones, the
    department's own included). Never ranked."""
    if not results:
        standing = _not_evaluated(UnitInput(code, name, target, None, submitted=False), MISSING)
        return standing._replace(explanation=explain.NO_REPORTS_TO_TOTAL)
    # Totals are computed, never typed, so they count as submitted.
    unit = UnitInput(code, name, target, province_totals(results), submitted=True)
    standing = evaluate(unit, rules)
    if standing.eligible:
        standing = standing._replace(explanation=explain.PROVINCE_MET)
    return standing
