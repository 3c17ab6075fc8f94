"""Figures that look wrong (pure, no Django): warnings, never refusals (docs/rules.md, P1-P4).

A figure can be legal (whole, not negative, a part within its whole: those are refused by
`campaign.services.validate_report_figures`) and still most likely a typo: a cumulative revenue
lower than last month's, a rate of 2.543 %, one unit's row holding the province's numbers.
These rules say so, in Vietnamese, naming the figure; the unit may still save and submit, and
the compiler either gets the figure corrected or acknowledges it before the roll-up.

Each warning carries the numbers it rests on (`evidence`). An acknowledgement is stored with
them, so it holds only while they stay: a figure changed afterwards raises the warning again.

Figures are named as the report's fields are (`health_actual`, `revenue`, …): the one converter
(`campaign/records.py`) builds the rules' records from those names, and `figures()` gives them
back, so a warning points at the box or the spreadsheet column it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .engine import (
    SCHEME_LABELS,
    SCHEMES,
    Result,
    SchemeTarget,
    Target,
    as_percent,
    percent,
    shown_percent,
)
from .formatting import (
    format_money,
    format_number,
    format_number_as_written,
    format_people,
    format_percent,
    format_setting,
)

# The rules, by key (stored with an acknowledgement: never renamed).
CUMULATIVE_FELL = "cumulative_fell"  # P1
RATE_ABOVE_BOUND = "rate_above_bound"  # P2
JUMP = "jump"  # P3
ABOVE_PROVINCE_PLAN = "above_province_plan"  # P4

RULE_LABELS = {
    CUMULATIVE_FELL: "Số lũy kế giảm so với tháng trước",
    RATE_ABOVE_BOUND: "Tỷ lệ cao bất thường",
    JUMP: "Tăng đột biến so với tháng trước",
    ABOVE_PROVINCE_PLAN: "Lớn hơn kế hoạch cả tỉnh",
}

# Counted since 1 January: they never go down from one month to the next (Reading: "số phải
# thu", the denominator of R8, is the amount due since 1 January like the revenue it is
# collected against).
CUMULATIVE = ("revenue", "nonpublic_revenue", "due")
MONEY = ("revenue", "nonpublic_revenue", "due", "late", "late_interest")

FIGURE_LABELS = {
    "mandatory_actual": "Số người tham gia BHXH bắt buộc",
    "voluntary_actual": "Số người tham gia BHXH tự nguyện",
    "health_actual": "Số người tham gia BHYT",
    "mandatory_last_year": "Số người tham gia BHXH bắt buộc cùng kỳ năm trước",
    "voluntary_last_year": "Số người tham gia BHXH tự nguyện cùng kỳ năm trước",
    "health_last_year": "Số người tham gia BHYT cùng kỳ năm trước",
    "revenue": "Số thu lũy kế",
    "nonpublic_revenue": "Số thu khối DN, HTX, ngoài công lập",
    "due": "Số phải thu",
    "late": "Số tiền chậm đóng",
    "late_interest": "Số tiền chậm đóng phải tính lãi",
}
FIELDS = tuple(FIGURE_LABELS)


@dataclass(frozen=True)
class Bounds:
    """What counts as too much: both are installation settings
    (PLAUSIBILITY_MAX_RATE_PERCENT, PLAUSIBILITY_MAX_JUMP)."""

    max_rate: Fraction  # a rate above it is doubtful: 2 for 200 %
    max_jump: Fraction  # a figure more than this many times last month's is doubtful

    @property
    def rate_text(self) -> str:
        return _percent(self.max_rate)

    @property
    def jump_text(self) -> str:
        return _times(self.max_jump)

    @classmethod
    def from_settings(cls, max_rate_percent, max_jump) -> Bounds:
        return cls(max_rate=Fraction(Decimal(str(max_rate_percent))) / 100,
                   max_jump=Fraction(Decimal(str(max_jump))))


@dataclass(frozen=True)
class FigureWarning:
    rule: str
    field: str  # the figure, named as the report's field
    message: str  # Vietnamese, numbers as written: 5.000.000
    evidence: tuple[int, ...]  # the numbers it rests on; an acknowledgement holds while they do

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.field}"

    @property
    def fingerprint(self) -> str:
        return ",".join(str(number) for number in self.evidence)

    @property
    def label(self) -> str:
        return FIGURE_LABELS[self.field]

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]


def figures(result: Result) -> dict[str, int]:
    """The rules' record back to its figures by field name."""
    named = {}
    for scheme in SCHEMES:
        part = getattr(result, scheme)
        named[f"{scheme}_actual"] = part.actual
        named[f"{scheme}_last_year"] = part.last_year
    for name in ("revenue", "nonpublic_revenue", "due", "late", "late_interest"):
        named[name] = getattr(result, name)
    return named


def _written(field: str, value: int) -> str:
    if field in MONEY:
        return format_money(value)
    if field.endswith(("_actual", "_last_year")):
        return format_people(value)
    return format_number(value)


def _times(ratio: Fraction) -> str:
    """3 → "3", 7/2 → "3,5", 10/3 → "3,3": one place at most, none when it is whole."""
    return format_number_as_written(percent(ratio / 100, 1).normalize())


def _percent(ratio: Fraction) -> str:
    return format_setting(as_percent(ratio))


def _rate_beside(rate: Fraction, bound: Fraction) -> str:
    # As R10 shows a rate beside its bound: 200,01 % never reads as the 200 % it exceeds.
    return format_percent(shown_percent(rate, bound, 1))


# --- P1: a cumulative figure lower than last month's ----------------------------------------

def cumulative_fell(current: Result, previous: Result | None, previous_name: str) -> list[FigureWarning]:
    """Revenue (and the other figures counted since 1 January) below the unit's own figure of
    the month before."""
    if previous is None:
        return []
    now, before = figures(current), figures(previous)
    return [
        FigureWarning(
            rule=CUMULATIVE_FELL, field=field, evidence=(now[field], before[field]),
            message=(f"{FIGURE_LABELS[field]} {_written(field, now[field])} thấp hơn {previous_name} "
                     f"({_written(field, before[field])}): số cộng dồn từ đầu năm không thể giảm."),
        )
        for field in CUMULATIVE if now[field] < before[field]
    ]


# --- P2: a rate above a sane bound ----------------------------------------------------------

def rate_above_bound(current: Result, target: Target | None, max_rate: Fraction) -> list[FigureWarning]:
    """A development rate (R2) or the revenue rate (R6) above `max_rate`: more than twice what
    was planned in one year is more likely a typed zero too many."""
    if target is None:
        return []
    found = []
    bound = _percent(max_rate)
    for scheme in SCHEMES:
        planned: SchemeTarget = getattr(target, scheme)
        actual = getattr(current, scheme).actual
        to_develop = planned.plan - planned.base
        if to_develop <= 0:
            continue  # R2: no rate
        rate = Fraction(actual - planned.base, to_develop)
        if rate > max_rate:
            found.append(FigureWarning(
                rule=RATE_ABOVE_BOUND, field=f"{scheme}_actual",
                evidence=(actual, planned.base, planned.plan),
                message=(f"Tỷ lệ phát triển {SCHEME_LABELS[scheme]} là {_rate_beside(rate, max_rate)} số phải "
                         f"phát triển, quá mức {bound}: {format_people(actual)} so với "
                         f"{format_people(planned.base)} ngày chốt và kế hoạch "
                         f"{format_people(planned.plan)}."),
            ))
    if target.revenue_plan > 0:
        rate = Fraction(current.revenue, target.revenue_plan)
        if rate > max_rate:
            found.append(FigureWarning(
                rule=RATE_ABOVE_BOUND, field="revenue", evidence=(current.revenue, target.revenue_plan),
                message=(f"Tỷ lệ thu là {_rate_beside(rate, max_rate)} kế hoạch, quá mức {bound}: "
                         f"{format_money(current.revenue)} so với kế hoạch "
                         f"{format_money(target.revenue_plan)}."),
            ))
    return found


# --- P3: a jump of more than N times last month ---------------------------------------------

def jumps(current: Result, previous: Result | None, previous_name: str,
          max_jump: Fraction) -> list[FigureWarning]:
    """A figure more than `max_jump` times the unit's own of the month before (which was not 0:
    from nothing, any figure is a jump)."""
    if previous is None:
        return []
    now, before = figures(current), figures(previous)
    found = []
    for field in FIELDS:
        if before[field] > 0 and now[field] > max_jump * before[field]:
            times = _times(Fraction(now[field], before[field]))
            found.append(FigureWarning(
                rule=JUMP, field=field, evidence=(now[field], before[field]),
                message=(f"{FIGURE_LABELS[field]} {_written(field, now[field])} gấp {times} lần "
                         f"{previous_name} ({_written(field, before[field])}), quá {_times(max_jump)} lần: "
                         "kiểm tra lại có thừa chữ số không."),
            ))
    return found


# --- P4: one unit's figure larger than the province's plan ----------------------------------

def province_plan(own: Target | None, unit_targets: Iterable[Target]) -> Target | None:
    """The province's plan: its own target (the collection department's, R12) when it has one,
    otherwise the sum of the units' targets. None when there is neither."""
    if own is not None:
        return own
    targets = list(unit_targets)
    if not targets:
        return None

    def total(scheme: str) -> SchemeTarget:
        return SchemeTarget(plan=sum(getattr(t, scheme).plan for t in targets),
                            base=sum(getattr(t, scheme).base for t in targets))

    return Target(mandatory=total("mandatory"), voluntary=total("voluntary"),
                  health=total("health"), revenue_plan=sum(t.revenue_plan for t in targets),
                  late_max=Decimal(0), late_interest_max=Decimal(0))


def _province_figure(field: str, plan: Target) -> int:
    if field in MONEY:
        return plan.revenue_plan
    return getattr(plan, field.split("_", 1)[0]).plan  # mandatory_last_year → mandatory


# A unit's participants (this year's and last year's) against the province's planned people; its
# revenue and the amount due against the province's planned revenue.
PROVINCE_COMPARED = ("mandatory_actual", "voluntary_actual", "health_actual",
                     "mandatory_last_year", "voluntary_last_year", "health_last_year",
                     "revenue", "due")


def above_province_plan(current: Result, province: Target | None) -> list[FigureWarning]:
    """A figure of one unit larger than the whole province's plan for it: most likely the
    province's number typed in a unit's row."""
    if province is None:
        return []
    now = figures(current)
    found = []
    for field in PROVINCE_COMPARED:
        plan = _province_figure(field, province)
        if plan > 0 and now[field] > plan:
            found.append(FigureWarning(
                rule=ABOVE_PROVINCE_PLAN, field=field, evidence=(now[field], plan),
                message=(f"{FIGURE_LABELS[field]} {_written(field, now[field])} lớn hơn kế hoạch "
                         f"của cả tỉnh ({_written(field, plan)}): có phải số liệu toàn tỉnh bị nhập "
                         "vào dòng của một đơn vị?"),
            ))
    return found


# --- all of them ----------------------------------------------------------------------------

def plausibility_warnings(current: Result, *, bounds: Bounds, target: Target | None = None,
                          previous: Result | None = None, previous_name: str = "tháng trước",
                          province: Target | None = None) -> list[FigureWarning]:
    """Every warning on a unit's figures, in the order of the report's fields, then of P1-P4."""
    found = (cumulative_fell(current, previous, previous_name)
             + rate_above_bound(current, target, bounds.max_rate)
             + jumps(current, previous, previous_name, bounds.max_jump)
             + above_province_plan(current, province))
    order = {field: index for index, field in enumerate(FIELDS)}
    return sorted(found, key=lambda w: order[w.field])  # stable: P1-P4 within a field
