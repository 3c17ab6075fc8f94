"""Vietnamese explanation strings for the standings (pure, standard library only).

This module is the bottom layer of the scoring package: it knows nothing about the
engine's records, only about numbers, labels and Vietnamese wording. The engine
(scoring.engine) decides *what* to explain; this module decides *how it reads*.

Vietnamese number format: comma as decimal separator, dot as thousands separator,
a space before "%" ("1.234,5 %").
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

# Fixed phrases, kept here so the wording lives in one place.
MISSING_REPORT = "Chưa có báo cáo"
DRAFT_REPORT = "Báo cáo chưa được gửi (bản nháp)"
NO_TARGET = "Chưa có chỉ tiêu"
NO_REVENUE_PLAN = "Chưa có chỉ tiêu số thu (kế hoạch thu bằng 0)"
NO_REPORTS_TO_TOTAL = "Chưa có báo cáo nào để tổng hợp số liệu toàn tỉnh"
ALL_CRITERIA_MET = "Đạt cả ba tiêu chí"
PROVINCE_MET = "Số liệu toàn tỉnh đạt cả ba tiêu chí"
UNDEFINED = "chưa xác định"

# Labels of the R11 steps, in the same order as engine.RANKING_STEPS.
STEP_LABELS = (
    "tỷ lệ phát triển",
    "tỷ lệ so với cùng kỳ",
    "tỷ lệ số thu",
    "tỷ trọng thu khối ngoài công lập",
    "tỷ lệ chậm đóng",
    "số thu",
    "mã đơn vị",
)
# Index of the one R11 step where lower is better (late_ratio).
LOWER_IS_BETTER_STEP = 4
REVENUE_STEP = 5
CODE_STEP = 6


# Python writes "1,234.5"; Vietnamese reads "1.234,5": the two marks swap.
_VIETNAMESE_MARKS = str.maketrans(",.", ".,")


def format_number(value: Decimal | int) -> str:
    """A number in Vietnamese format, keeping exactly the digits it has.

    Decimal("1234.50") -> "1.234,50"; 1234567 -> "1.234.567"; Decimal("-5.0") -> "-5,0".
    """
    text = format(value if type(value) is Decimal else Decimal(value), ",f")
    if "," in text:
        return text.translate(_VIETNAMESE_MARKS)
    # No thousands: one mark to swap; replace() is half the cost of translate(), and a roll-up
    # writes some 6,000 of these (issue 8).
    return text.replace(".", ",")


def format_percent(value: Decimal | None) -> str:
    """An already rounded percentage: Decimal("85.4") -> "85,4 %"; None -> "chưa xác định"."""
    if value is None:
        return UNDEFINED
    return f"{format_number(value)} %"


@lru_cache(maxsize=256)
def format_bound(percent_setting: Decimal) -> str:
    """A threshold or ceiling as the campaign set it, without trailing zeros.

    Decimal("81") -> "81 %", Decimal("3.50") -> "3,5 %", Decimal("100") -> "100 %".
    Cached: a roll-up writes the same two thresholds and few ceilings thousands of times.
    """
    value = Decimal(percent_setting).normalize()
    # normalize() writes 100 as 1E+2; quantizing to 1 brings the plain integer back.
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format_percent(value)


def format_people(count: int) -> str:
    return f"{format_number(count)} người"


def format_money(amount: int) -> str:
    return f"{format_number(amount)} đồng"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_reasons(reasons: Sequence[str]) -> str:
    return "; ".join(reasons)


# --- criteria missed (R3, R6, R8) -------------------------------------------------


def scheme_rate_missed(label: str, rate: Decimal, threshold: Decimal) -> str:
    """C1, an applicable scheme below the threshold: "BHYT đạt 78,3 %, cần 81 %"."""
    return f"{label} đạt {format_percent(rate)}, cần {format_bound(threshold)}"


def scheme_count_missed(label: str, actual: int, plan: int) -> str:
    """C1, a scheme with nothing to develop (R2) that did not reach its plan."""
    return (
        f"{label} có {format_people(actual)}, cần {format_people(plan)} "
        "(không có số người phải phát triển, phải đạt kế hoạch)"
    )


def revenue_rate_missed(rate: Decimal, threshold: Decimal) -> str:
    """C2: "Tỷ lệ thu đạt 75,0 %, cần 81 %"."""
    return f"Tỷ lệ thu đạt {format_percent(rate)}, cần {format_bound(threshold)}"


def late_ratio_missed(ratio: Decimal, ceiling: Decimal) -> str:
    """C3: "Tỷ lệ chậm đóng 4,2 %, trần 3,5 %"."""
    return f"Tỷ lệ chậm đóng {format_percent(ratio)}, trần {format_bound(ceiling)}"


def late_interest_ratio_missed(ratio: Decimal, ceiling: Decimal) -> str:
    """C3: "Tỷ lệ chậm đóng phải tính lãi 1,2 %, trần 1 %"."""
    return (
        f"Tỷ lệ chậm đóng phải tính lãi {format_percent(ratio)}, trần {format_bound(ceiling)}"
    )


# --- the ranking (R11) ------------------------------------------------------------


def format_step_value(step: int, value: Decimal | int | str | None) -> str:
    """A value of one R11 step, as shown: a percentage, an amount of money, or a code."""
    if step == REVENUE_STEP:
        return format_money(value)
    if step == CODE_STEP:
        return str(value)
    return format_percent(value)


def first_place(participant_rate: Decimal | None) -> str:
    """The explanation of rank 1."""
    return (
        f"{ALL_CRITERIA_MET}; đứng đầu theo thứ tự ưu tiên "
        f"({STEP_LABELS[0]} {format_percent(participant_rate)})"
    )


def below_unit_above(step: int, mine: Sequence, above: Sequence) -> str:
    """Why a ranked unit sits below the unit just above it.

    `mine` and `above` are the seven R11 step values of the two units (rounded
    percentages, revenue in đồng, code); `step` is the first step where they differ.
    Example: "Tương đương tỷ lệ phát triển 85,4 % → tỷ lệ so với cùng kỳ thấp hơn
    (101,2 % so với 103,5 %)".
    """
    label = STEP_LABELS[step]
    if step == CODE_STEP:
        decided = f"bằng nhau ở mọi tiêu chí, xếp theo {label} ({mine[step]} sau {above[step]})"
    else:
        worse = "cao hơn" if step == LOWER_IS_BETTER_STEP else "thấp hơn"
        decided = (
            f"{label} {worse} ({format_step_value(step, mine[step])} "
            f"so với {format_step_value(step, above[step])})"
        )
    if step == 0:
        return capitalise(decided)
    equal = ", ".join(
        f"{STEP_LABELS[i]} {format_step_value(i, mine[i])}" for i in range(step)
    )
    return f"Tương đương {equal} → {decided}"
