"""Vietnamese explanation strings for the standings (pure, standard library only).

It knows nothing about the engine's records, only about numbers, labels and Vietnamese
wording: the engine (rules.engine) decides *what* to explain, this module *how it reads*,
with the numbers written by rules.formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .formatting import format_money, format_people, format_percent, format_setting

# Fixed phrases, kept here so the wording lives in one place.
MISSING_REPORT = "Chưa có báo cáo"
DRAFT_REPORT = "Báo cáo chưa được gửi (bản nháp)"
NO_TARGET = "Chưa có chỉ tiêu"
NO_REVENUE_PLAN = "Chưa có chỉ tiêu số thu (kế hoạch thu bằng 0)"
NO_REPORTS_TO_TOTAL = "Chưa có báo cáo nào để tổng hợp số liệu toàn tỉnh"
ALL_CRITERIA_MET = "Đạt cả ba tiêu chí"
PROVINCE_MET = "Số liệu toàn tỉnh đạt cả ba tiêu chí"
UNDEFINED = "chưa xác định"
CRITERION_NAMES = {"participants": "người tham gia", "revenue": "số thu", "late": "chậm đóng"}
LIKE_FOR_LIKE = "tỷ lệ trên chỉ tiêu của các đơn vị đã gửi"
INCOMPLETE_PREFIX = "Chưa đủ báo cáo"
MISSING_COUNTS_AS_NOTHING = (
    "khi tổng hợp, báo cáo chưa gửi (thiếu hoặc bản nháp) được tính bằng 0: Phòng Quản lý thu "
    "được xét trên tổng các báo cáo đã gửi so với chỉ tiêu toàn tỉnh"
)

# Labels of the R11 steps, in the same order as rules.engine.RANKING_STEPS.
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


def percent_text(value: Decimal | None) -> str:
    """An already rounded percentage as an explanation writes it: "85,4 %", or "chưa xác định"
    for an undefined rate."""
    return UNDEFINED if value is None else format_percent(value)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_reasons(reasons: Sequence[str]) -> str:
    return "; ".join(reasons)


# --- the province totals while reports are missing (R12) ---------------------------


def coverage_text(submitted: int, expected: int) -> str:
    """"21/24 đơn vị đã gửi"."""
    return f"{submitted}/{expected} đơn vị đã gửi"


def province_incomplete(submitted: int, expected: int, failed: Sequence[str]) -> str:
    """The province's explanation while reports are missing, with no rate of the totals:
    "Chưa đủ báo cáo (21/24 đơn vị đã gửi); khi tổng hợp, …: chưa đạt tiêu chí người tham
    gia, số thu"."""
    verdict = (
        f"chưa đạt tiêu chí {', '.join(CRITERION_NAMES[key] for key in failed)}" if failed
        else "đạt cả ba tiêu chí"
    )
    return (
        f"{INCOMPLETE_PREFIX} ({coverage_text(submitted, expected)}); "
        f"{MISSING_COUNTS_AS_NOTHING}: {verdict}"
    )


# --- criteria missed (R3, R6, R8) -------------------------------------------------


def scheme_rate_missed(label: str, rate: Decimal, threshold: Decimal) -> str:
    """C1, an applicable scheme below the threshold: "BHYT đạt 78,3 %, cần 81 %"."""
    return f"{label} đạt {percent_text(rate)}, cần {format_setting(threshold)}"


def scheme_count_missed(label: str, actual: int, plan: int) -> str:
    """C1, a scheme with nothing to develop (R2) that did not reach its plan."""
    return (
        f"{label} có {format_people(actual)}, cần {format_people(plan)} "
        "(không có số người phải phát triển, phải đạt kế hoạch)"
    )


def revenue_rate_missed(rate: Decimal, threshold: Decimal) -> str:
    """C2: "Tỷ lệ thu đạt 75,0 %, cần 81 %"."""
    return f"Tỷ lệ thu đạt {percent_text(rate)}, cần {format_setting(threshold)}"


def late_ratio_missed(ratio: Decimal, ceiling: Decimal) -> str:
    """C3: "Tỷ lệ chậm đóng 4,2 %, trần 3,5 %"."""
    return f"Tỷ lệ chậm đóng {percent_text(ratio)}, trần {format_setting(ceiling)}"


def late_interest_ratio_missed(ratio: Decimal, ceiling: Decimal) -> str:
    """C3: "Tỷ lệ chậm đóng phải tính lãi 1,2 %, trần 1 %"."""
    return (
        f"Tỷ lệ chậm đóng phải tính lãi {percent_text(ratio)}, trần {format_setting(ceiling)}"
    )


# --- the ranking (R11) ------------------------------------------------------------


def format_step_value(step: int, value: Decimal | int | str | None) -> str:
    """A value of one R11 step, as shown: a percentage, an amount of money, or a code."""
    if step == REVENUE_STEP:
        return format_money(value)
    if step == CODE_STEP:
        return str(value)
    return percent_text(value)


def first_place(participant_rate: Decimal | None) -> str:
    """The explanation of rank 1."""
    return (
        f"{ALL_CRITERIA_MET}; đứng đầu theo thứ tự ưu tiên "
        f"({STEP_LABELS[0]} {percent_text(participant_rate)})"
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
