"""The plausibility rules (rules/plausibility.py, P1-P4): pure, no database."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from rules.engine import Result, SchemeResult, SchemeTarget, Target
from rules.plausibility import (
    ABOVE_PROVINCE_PLAN,
    CUMULATIVE,
    CUMULATIVE_FELL,
    FIELDS,
    JUMP,
    RATE_ABOVE_BOUND,
    Bounds,
    above_province_plan,
    cumulative_fell,
    figures,
    jumps,
    plausibility_warnings,
    province_plan,
    rate_above_bound,
)

BOUNDS = Bounds(max_rate=Fraction(2), max_jump=Fraction(3))

TARGET = Target(
    mandatory=SchemeTarget(plan=9_500, base=8_500),
    voluntary=SchemeTarget(plan=4_000, base=3_000),
    health=SchemeTarget(plan=100_000, base=90_000),
    revenue_plan=260_000_000_000, late_max=Decimal("3.5"), late_interest_max=Decimal("2"),
)
PROVINCE = Target(
    mandatory=SchemeTarget(plan=30_000, base=26_000),
    voluntary=SchemeTarget(plan=12_500, base=9_500),
    health=SchemeTarget(plan=310_000, base=280_000),
    revenue_plan=800_000_000_000, late_max=Decimal("3.5"), late_interest_max=Decimal("2"),
)


def result(**overrides) -> Result:
    named = {
        "mandatory_actual": 9_000, "voluntary_actual": 3_600, "health_actual": 95_000,
        "mandatory_last_year": 8_500, "voluntary_last_year": 3_300, "health_last_year": 93_000,
        "revenue": 230_000_000_000, "nonpublic_revenue": 90_000_000_000,
        "due": 240_000_000_000, "late": 6_000_000_000, "late_interest": 3_000_000_000,
    } | overrides
    return Result(
        mandatory=SchemeResult(named["mandatory_actual"], named["mandatory_last_year"]),
        voluntary=SchemeResult(named["voluntary_actual"], named["voluntary_last_year"]),
        health=SchemeResult(named["health_actual"], named["health_last_year"]),
        revenue=named["revenue"], nonpublic_revenue=named["nonpublic_revenue"], due=named["due"],
        late=named["late"], late_interest=named["late_interest"],
    )


def every_warning(current, previous=None):
    return plausibility_warnings(current, bounds=BOUNDS, target=TARGET, previous=previous,
                                 previous_name="Tháng 10/2025", province=PROVINCE)


def test_ordinary_figures_raise_no_warning():
    assert every_warning(result(), previous=result(revenue=200_000_000_000)) == []


def test_figures_name_every_field_of_a_report():
    assert set(figures(result())) == set(FIELDS)


# --- P1 ---------------------------------------------------------------------------------------

def test_a_revenue_lower_than_last_month_is_warned_with_both_figures_written_as_vietnamese_do():
    (warning,) = cumulative_fell(result(revenue=4_000_000), result(revenue=5_000_000), "Tháng 10/2025")
    assert warning.rule == CUMULATIVE_FELL and warning.field == "revenue"
    assert warning.message == ("Số thu lũy kế 4.000.000 đồng thấp hơn Tháng 10/2025 "
                               "(5.000.000 đồng): số cộng dồn từ đầu năm không thể giảm.")
    assert warning.evidence == (4_000_000, 5_000_000)


def test_an_equal_cumulative_figure_is_not_warned():
    assert cumulative_fell(result(), result(), "Tháng 10/2025") == []


def test_participants_may_fall_without_a_warning_they_are_not_cumulative():
    assert cumulative_fell(result(health_actual=80_000), result(), "Tháng 10/2025") == []


def test_without_last_months_report_nothing_is_compared():
    assert cumulative_fell(result(revenue=1), None, "") == []
    assert jumps(result(revenue=10**15), None, "", BOUNDS.max_jump) == []


@given(now=st.integers(0, 10**13), before=st.integers(0, 10**13))
def test_a_cumulative_figure_is_warned_exactly_when_it_fell(now, before):
    fell = cumulative_fell(result(due=now), result(due=before), "kỳ trước")
    assert [w.field for w in fell] == (["due"] if now < before else [])


# --- P2 ---------------------------------------------------------------------------------------

def test_a_development_rate_above_the_bound_is_warned_on_the_participants_box():
    # health: 10.000 to develop; 90.000 + 20.001 is 200,01 %
    (warning,) = rate_above_bound(result(health_actual=110_001), TARGET, Fraction(2))
    assert warning.rule == RATE_ABOVE_BOUND and warning.field == "health_actual"
    # shown as R10 shows a rate beside its bound: never as the 200,0 % it exceeds
    assert "Tỷ lệ phát triển BHYT là 200,01 %" in warning.message and "quá mức 200 %" in warning.message
    assert warning.evidence == (110_001, 90_000, 100_000)


def test_a_rate_exactly_at_the_bound_is_not_warned():
    assert rate_above_bound(result(health_actual=110_000), TARGET, Fraction(2)) == []


def test_the_revenue_rate_above_the_bound_is_warned():
    (warning,) = rate_above_bound(result(revenue=6_612_000_000_000, nonpublic_revenue=0),
                                  TARGET, Fraction(2))
    assert warning.field == "revenue"
    assert "Tỷ lệ thu là 2.543,1 % kế hoạch" in warning.message


def test_a_scheme_with_nothing_to_develop_has_no_rate_to_doubt():
    target = TARGET._replace(voluntary=SchemeTarget(plan=3_000, base=3_000))
    assert rate_above_bound(result(voluntary_actual=9_999), target, Fraction(2)) == []


def test_without_a_target_or_a_revenue_plan_no_rate_is_doubted():
    assert rate_above_bound(result(revenue=10**15), None, Fraction(2)) == []
    assert rate_above_bound(result(revenue=10**15), TARGET._replace(revenue_plan=0), Fraction(2)) == []


@given(actual=st.integers(0, 10**6), bound=st.fractions(min_value=1, max_value=20, max_denominator=100))
def test_a_development_rate_is_warned_exactly_when_it_exceeds_the_bound(actual, bound):
    found = [w for w in rate_above_bound(result(mandatory_actual=actual), TARGET, bound)
             if w.field == "mandatory_actual"]
    assert bool(found) == (Fraction(actual - 8_500, 1_000) > bound)


# --- P3 ---------------------------------------------------------------------------------------

def test_a_figure_more_than_n_times_last_month_is_warned_with_the_factor():
    (warning,) = jumps(result(late=18_000_000_001), result(), "Tháng 10/2025", Fraction(3))
    assert warning.rule == JUMP and warning.field == "late"
    assert warning.message == ("Số tiền chậm đóng 18.000.000.001 đồng gấp 3 lần Tháng 10/2025 "
                               "(6.000.000.000 đồng), quá 3 lần: kiểm tra lại có thừa chữ số không.")


def test_exactly_n_times_is_not_a_jump_nor_is_anything_after_a_zero():
    assert jumps(result(late=18_000_000_000), result(), "kỳ trước", Fraction(3)) == []
    assert jumps(result(late=1), result(late=0, late_interest=0), "kỳ trước", Fraction(3)) == []


@given(now=st.integers(0, 10**9), before=st.integers(0, 10**9),
       factor=st.fractions(min_value=1, max_value=50, max_denominator=10))
def test_a_jump_is_warned_exactly_above_factor_times_a_nonzero_figure(now, before, factor):
    found = jumps(result(voluntary_last_year=now), result(voluntary_last_year=before), "kỳ trước", factor)
    found = [w for w in found if w.field == "voluntary_last_year"]
    assert bool(found) == (before > 0 and now > factor * before)


# --- P4 ---------------------------------------------------------------------------------------

def test_a_units_figure_above_the_provinces_plan_is_warned():
    found = above_province_plan(result(health_actual=2_500_000, revenue=900_000_000_000), PROVINCE)
    assert [(w.rule, w.field) for w in found] == [(ABOVE_PROVINCE_PLAN, "health_actual"),
                                                  (ABOVE_PROVINCE_PLAN, "revenue")]
    assert found[0].message.startswith("Số người tham gia BHYT 2.500.000 người lớn hơn kế hoạch của "
                                       "cả tỉnh (310.000 người)")


def test_last_years_participants_are_held_to_the_provinces_plan_too():
    (warning,) = above_province_plan(result(mandatory_last_year=30_001), PROVINCE)
    assert warning.field == "mandatory_last_year" and warning.evidence == (30_001, 30_000)


def test_the_provinces_plan_is_its_own_target_or_else_the_sum_of_the_units():
    assert province_plan(PROVINCE, [TARGET]) is PROVINCE
    summed = province_plan(None, [TARGET, TARGET])
    assert summed.health.plan == 200_000 and summed.revenue_plan == 520_000_000_000
    assert province_plan(None, []) is None


def test_without_a_province_plan_nothing_is_compared_with_it():
    assert above_province_plan(result(health_actual=10**9), None) == []


# --- all together ---------------------------------------------------------------------------

def test_province_sized_figures_in_one_row_raise_every_rule_that_applies_in_field_order():
    current = result(health_actual=2_800_000, revenue=150_000_000_000)
    found = every_warning(current, previous=result())
    assert [(w.field, w.rule) for w in found] == [
        ("health_actual", RATE_ABOVE_BOUND), ("health_actual", JUMP),
        ("health_actual", ABOVE_PROVINCE_PLAN), ("revenue", CUMULATIVE_FELL),
    ]


def test_a_warnings_key_and_fingerprint_change_with_the_figures_it_rests_on():
    first = every_warning(result(revenue=1), previous=result())[0]
    same = every_warning(result(revenue=1), previous=result())[0]
    changed = every_warning(result(revenue=2), previous=result())[0]
    assert (first.key, first.fingerprint) == (same.key, same.fingerprint)
    assert first.key == changed.key == "cumulative_fell:revenue"
    assert first.fingerprint != changed.fingerprint


def test_bounds_come_from_settings_in_percent_and_times():
    bounds = Bounds.from_settings(Decimal("200"), Decimal("3.5"))
    assert bounds.max_rate == 2 and bounds.max_jump == Fraction(7, 2)
    assert bounds.rate_text == "200 %" and bounds.jump_text == "3,5"


@given(st.lists(st.integers(0, 10**12), min_size=len(FIELDS), max_size=len(FIELDS)),
       st.lists(st.integers(0, 10**12), min_size=len(FIELDS), max_size=len(FIELDS)))
def test_every_warning_names_a_report_field_and_cumulative_ones_only_cumulative_fields(now, before):
    found = every_warning(result(**dict(zip(FIELDS, now, strict=True))),
                          previous=result(**dict(zip(FIELDS, before, strict=True))))
    assert all(w.field in FIELDS and w.message for w in found)
    assert all(w.field in CUMULATIVE for w in found if w.rule == CUMULATIVE_FELL)
