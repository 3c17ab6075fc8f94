"""The scoring engine, rule by rule (docs/rules.md R1-R12), without a database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from rules import explain
from rules.allocation import allocate, collection_department_may_be_proposed, prize_ladder
from rules.engine import (
    DRAFT,
    MISSING,
    SUBMITTED,
    PeriodRules,
    Result,
    SchemeResult,
    SchemeTarget,
    Target,
    UnitInput,
    evaluate,
    evaluate_province,
    percent,
    province_totals,
    rank_local_offices,
    shown_beside_verdict,
    shown_percent,
)

RULES = PeriodRules(participant_threshold=Decimal("81"), revenue_threshold=Decimal("81"))


def scheme(plan=1000, base=800, actual=970, last_year=900):
    """One scheme's (target, result). Defaults: 200 to develop, 170 developed: 85 %."""
    return SchemeTarget(plan, base), SchemeResult(actual, last_year)


def make_unit(
    code="DL01",
    *,
    mandatory=None,
    voluntary=None,
    health=None,
    revenue_plan=1_000_000,
    revenue=900_000,
    nonpublic=400_000,
    due=1_000_000,
    late=20_000,
    late_interest=5_000,
    late_max="3.5",
    late_interest_max="1",
    submitted=True,
    with_report=True,
    with_target=True,
):
    """A unit that, by default, meets C1 (85 % each), C2 (90 %) and C3 (2 %, 0,5 %)."""
    pairs = [p or scheme() for p in (mandatory, voluntary, health)]
    target = Target(
        *(t for t, _ in pairs),
        revenue_plan=revenue_plan,
        late_max=Decimal(late_max),
        late_interest_max=Decimal(late_interest_max),
    )
    result = Result(
        *(r for _, r in pairs),
        revenue=revenue,
        nonpublic_revenue=nonpublic,
        due=due,
        late=late,
        late_interest=late_interest,
    )
    return UnitInput(
        code=code,
        name=f"BHXH cơ sở {code}",
        target=target if with_target else None,
        result=result if with_report else None,
        submitted=submitted,
    )


def by_code(standings):
    return {s.code: s for s in standings}


# --- R1, R2 ------------------------------------------------------------------------


def test_r1_number_to_develop_is_plan_minus_base():
    standing = evaluate(make_unit(mandatory=scheme(plan=1200, base=800)), RULES)
    assert standing.scheme("mandatory").to_develop == 400


def test_r2_rate_is_developed_share_of_number_to_develop():
    standing = evaluate(make_unit(mandatory=scheme(plan=1200, base=800, actual=1100)), RULES)
    outcome = standing.scheme("mandatory")
    assert outcome.applicable
    assert outcome.rate == Fraction(300, 400)


def test_r2_scheme_with_nothing_to_develop_is_met_when_actual_reaches_plan():
    standing = evaluate(make_unit(voluntary=scheme(plan=500, base=500, actual=500)), RULES)
    outcome = standing.scheme("voluntary")
    assert outcome.to_develop == 0
    assert not outcome.applicable
    assert outcome.rate is None
    assert outcome.met
    assert standing.c1.holds
    assert standing.eligible


def test_r2_scheme_with_nothing_to_develop_fails_below_plan():
    # Base above plan: to_develop is negative, the scheme must still reach its plan.
    standing = evaluate(make_unit(voluntary=scheme(plan=500, base=600, actual=480)), RULES)
    outcome = standing.scheme("voluntary")
    assert not outcome.applicable
    assert not outcome.met
    assert outcome.bound == 500
    assert not standing.c1.holds
    assert not standing.eligible
    assert "BHXH tự nguyện có 480 người, cần 500 người" in standing.explanation


def test_r2_scheme_with_nothing_to_develop_takes_no_part_in_the_average():
    standing = evaluate(
        make_unit(
            mandatory=scheme(plan=1000, base=800, actual=970),  # 85 %
            voluntary=scheme(plan=500, base=500, actual=900),  # not applicable
            health=scheme(plan=1000, base=800, actual=980),  # 90 %
        ),
        RULES,
    )
    assert standing.participant_rate == Fraction(875, 1000)


def test_r2_participants_below_base_give_a_negative_rate():
    standing = evaluate(make_unit(health=scheme(plan=1000, base=800, actual=780)), RULES)
    assert standing.scheme("health").rate == Fraction(-20, 200)
    assert not standing.c1.holds
    assert "BHYT đạt -10,0 %, cần 81 %" in standing.explanation


# --- R3 ----------------------------------------------------------------------------


def test_r3_each_scheme_must_reach_the_threshold_on_its_own():
    standing = evaluate(
        make_unit(
            mandatory=scheme(actual=1000),  # 100 %
            voluntary=scheme(actual=1000),  # 100 %
            health=scheme(actual=960),  # 80 %
        ),
        RULES,
    )
    assert standing.participant_rate > Fraction(81, 100)  # the mean would pass
    assert not standing.c1.holds
    assert [c.holds for c in standing.c1.checks] == [True, True, False]
    assert standing.explanation == "BHYT đạt 80,0 %, cần 81 %"


def test_r3_rate_exactly_at_threshold_holds():
    standing = evaluate(make_unit(health=scheme(plan=1000, base=800, actual=962)), RULES)
    assert standing.scheme("health").rate == Fraction(81, 100)
    assert standing.c1.holds
    assert standing.eligible


def test_r3_rate_just_below_threshold_fails_and_is_not_shown_as_the_threshold():
    # 80,999 % rounds to "81,0 %" at one place; the explanation shows enough places.
    standing = evaluate(
        make_unit(health=scheme(plan=200_000, base=100_000, actual=180_999)), RULES
    )
    assert not standing.c1.holds
    assert standing.explanation == "BHYT đạt 80,999 %, cần 81 %"


def test_a_failed_check_never_reads_as_a_pass_when_its_bound_has_more_places():
    # Bounds carry two places: rounding to one can jump past them, not only onto them.
    late = evaluate(make_unit(due=1_000_000, late=34_490, late_max="3.44"), RULES)
    assert not late.c3.holds
    assert late.explanation == "Tỷ lệ chậm đóng 3,45 %, trần 3,44 %"  # not "3,4 %"
    rules = PeriodRules(participant_threshold=Decimal("80.97"), revenue_threshold=Decimal("81"))
    rate = evaluate(make_unit(health=scheme(plan=10_000, base=0, actual=8_096)), rules)
    assert rate.explanation == "BHYT đạt 80,96 %, cần 80,97 %"


@pytest.mark.parametrize("value, bound, shown", [
    (Fraction(80_941, 100_000), Fraction(8_094, 10_000), "80.941"),  # a pass must not read below
    (Fraction(3_441, 100_000), Fraction(344, 10_000), "3.441"),  # above a ceiling of 3,44
    (Fraction(8_097, 10_000), Fraction(8_097, 10_000), "80.97"),  # on the bound: as the bound
    (Fraction(50, 100), Fraction(81, 100), "50.0"),  # far from it: as rounded
    # Closer than six more places can tell: the last place cut towards the value's side.
    (Fraction(35, 1000) - Fraction(1, 10**12), Fraction(35, 1000), "3.4999999"),
    (Fraction(35, 1000) + Fraction(1, 10**12), Fraction(35, 1000), "3.5000001"),
])
def test_shown_percent_keeps_a_value_on_its_side_of_the_bound(value, bound, shown):
    assert f"{shown_percent(value, bound, 1):f}" == shown


@pytest.mark.parametrize("value, bound, at_least, shown", [
    (Fraction(346, 10_000), Fraction(35, 1000), False, "3.5"),  # within the ceiling: reads as it
    (Fraction(3_441, 100_000), Fraction(344, 10_000), False, "3.441"),  # over a 3,44 % ceiling
    (Fraction(81_000_001, 100_000_000), Fraction(81, 100), True, "81.0"),  # a hair over 81 %
    (Fraction(8_096, 10_000), Fraction(81, 100), True, "80.96"),  # missed: never "81,0"
])
def test_shown_beside_verdict_adds_places_only_where_the_text_would_mislead(value, bound, at_least, shown):
    assert f"{shown_beside_verdict(value, bound, 1, at_least):f}" == shown


def test_r3_criterion_records_values_and_bounds():
    standing = evaluate(make_unit(), RULES)
    assert standing.c1.key == "participants"
    assert standing.c1.values == (Fraction(85, 100),) * 3
    assert standing.c1.bounds == (Fraction(81, 100),) * 3


# --- R4, R5 ------------------------------------------------------------------------


def test_r4_participant_rate_is_mean_of_applicable_rates():
    standing = evaluate(
        make_unit(
            mandatory=scheme(actual=970),  # 85 %
            voluntary=scheme(actual=980),  # 90 %
            health=scheme(actual=940),  # 70 %
        ),
        RULES,
    )
    assert standing.participant_rate == Fraction(245, 300)


def test_r4_participant_rate_undefined_without_applicable_scheme():
    nothing = scheme(plan=500, base=500, actual=500)
    standing = evaluate(make_unit(mandatory=nothing, voluntary=nothing, health=nothing), RULES)
    assert standing.participant_rate is None
    assert standing.c1.holds  # every scheme met its plan


def test_r5_yoy_ratio_is_mean_over_schemes_with_last_year():
    standing = evaluate(
        make_unit(
            mandatory=scheme(actual=970, last_year=900),
            voluntary=scheme(actual=970, last_year=0),  # no last year: left out
            health=scheme(actual=970, last_year=970),
        ),
        RULES,
    )
    assert standing.yoy_ratio == (Fraction(970, 900) + 1) / 2


def test_r5_yoy_ratio_undefined_without_last_year():
    standing = evaluate(
        make_unit(
            mandatory=scheme(last_year=0), voluntary=scheme(last_year=0),
            health=scheme(last_year=0),
        ),
        RULES,
    )
    assert standing.yoy_ratio is None
    assert standing.eligible  # yoy only orders; it is no criterion


# --- R6, R7 ------------------------------------------------------------------------


def test_r6_revenue_rate_is_revenue_over_plan():
    standing = evaluate(make_unit(revenue=900_000, revenue_plan=1_200_000), RULES)
    assert standing.revenue_rate == Fraction(3, 4)
    assert not standing.c2.holds
    assert standing.explanation == "Tỷ lệ thu đạt 75,0 %, cần 81 %"


def test_r6_revenue_rate_exactly_at_threshold_holds():
    standing = evaluate(make_unit(revenue=810_000, revenue_plan=1_000_000), RULES)
    assert standing.c2.holds
    assert standing.eligible


def test_r6_revenue_threshold_is_its_own_setting():
    rules = PeriodRules(participant_threshold=Decimal("81"), revenue_threshold=Decimal("100"))
    standing = evaluate(make_unit(revenue=900_000, revenue_plan=1_000_000), rules)
    assert standing.c1.holds
    assert not standing.c2.holds
    assert standing.c2.bounds == (Fraction(1),)


def test_r6_r7_zero_revenue():
    standing = evaluate(make_unit(revenue=0, nonpublic=0), RULES)
    assert standing.revenue_rate == 0
    assert standing.nonpublic_share == 0
    assert not standing.c2.holds
    assert standing.explanation == "Tỷ lệ thu đạt 0,0 %, cần 81 %"


def test_r6_zero_revenue_plan_leaves_rate_undefined_and_c2_failed():
    standing = evaluate(make_unit(revenue_plan=0), RULES)
    assert standing.revenue_rate is None
    assert not standing.c2.holds
    assert standing.explanation == explain.NO_REVENUE_PLAN


def test_r7_nonpublic_share_is_nonpublic_over_revenue():
    standing = evaluate(make_unit(revenue=900_000, nonpublic=400_000), RULES)
    assert standing.nonpublic_share == Fraction(4, 9)


# --- R8 ----------------------------------------------------------------------------


def test_r8_late_ratios_are_over_amount_due():
    standing = evaluate(make_unit(due=1_000_000, late=20_000, late_interest=5_000), RULES)
    assert standing.late_ratio == Fraction(2, 100)
    assert standing.late_interest_ratio == Fraction(5, 1000)
    assert standing.c3.holds


def test_r8_late_ratio_exactly_at_ceiling_holds():
    standing = evaluate(make_unit(due=1_000_000, late=35_000, late_max="3.5"), RULES)
    assert standing.late_ratio == Fraction(35, 1000)
    assert standing.c3.holds
    assert standing.eligible


def test_r8_late_interest_ratio_exactly_at_ceiling_holds():
    standing = evaluate(make_unit(due=1_000_000, late_interest=10_000), RULES)
    assert standing.late_interest_ratio == Fraction(1, 100)
    assert standing.c3.holds


def test_r8_late_ratio_above_ceiling_fails():
    standing = evaluate(make_unit(due=1_000_000, late=42_000), RULES)
    assert not standing.c3.holds
    assert standing.explanation == "Tỷ lệ chậm đóng 4,2 %, trần 3,5 %"


def test_r8_late_interest_ratio_above_ceiling_fails():
    standing = evaluate(make_unit(due=1_000_000, late_interest=12_000), RULES)
    assert not standing.c3.holds
    assert standing.explanation == "Tỷ lệ chậm đóng phải tính lãi 1,2 %, trần 1 %"


def test_r8_ratios_of_negative_figures_keep_their_sign():
    # The application refuses negative figures; a direct caller of the engine still gets the
    # ratio that Fraction(-5, -100) is, and the verdict and explanation that go with it.
    standing = evaluate(make_unit(due=-100, late=-5, late_interest=0), RULES)
    assert standing.late_ratio == Fraction(5, 100)
    assert standing.late_interest_ratio == 0
    assert not standing.c3.holds
    assert "Tỷ lệ chậm đóng 5,0 %, trần 3,5 %" in standing.explanation


def test_r8_zero_amount_due_gives_zero_ratios():
    standing = evaluate(make_unit(due=0, late=0, late_interest=0), RULES)
    assert standing.late_ratio == 0
    assert standing.late_interest_ratio == 0
    assert standing.c3.holds


# --- R9 ----------------------------------------------------------------------------


def test_r9_submitted_unit_meeting_all_criteria_is_eligible():
    standing = evaluate(make_unit(), RULES)
    assert standing.report == SUBMITTED
    assert (standing.c1.holds, standing.c2.holds, standing.c3.holds) == (True, True, True)
    assert standing.eligible
    assert standing.explanation == explain.ALL_CRITERIA_MET


def test_r9_draft_report_is_not_eligible_even_when_criteria_hold():
    standing = evaluate(make_unit(submitted=False), RULES)
    assert standing.report == DRAFT
    assert standing.c1.holds and standing.c2.holds and standing.c3.holds
    assert not standing.eligible
    assert standing.explanation == "Báo cáo chưa được gửi (bản nháp)"


def test_r9_missing_report_is_not_eligible():
    standing = evaluate(make_unit(with_report=False), RULES)
    assert standing.report == MISSING
    assert not standing.eligible
    assert standing.participant_rate is None
    assert standing.explanation == "Chưa có báo cáo"


def test_r9_unit_without_target_is_not_eligible():
    standing = evaluate(make_unit(with_target=False), RULES)
    assert not standing.eligible
    assert not standing.has_target
    assert standing.explanation == "Chưa có chỉ tiêu"


def test_r9_every_missed_criterion_is_explained():
    standing = evaluate(
        make_unit(health=scheme(plan=1100, base=800, actual=1035), revenue=750_000, late=42_000),
        RULES,
    )
    assert standing.explanation == (
        "BHYT đạt 78,3 %, cần 81 %; Tỷ lệ thu đạt 75,0 %, cần 81 %; "
        "Tỷ lệ chậm đóng 4,2 %, trần 3,5 %"
    )


# --- R10 ---------------------------------------------------------------------------


def test_r10_percent_rounds_half_up():
    assert percent(Fraction(8545, 10000), 1) == Decimal("85.5")  # half-even would say 85.4
    assert percent(Fraction(8535, 10000), 1) == Decimal("85.4")


def test_r10_percent_rounds_once_from_the_exact_value():
    # 85.449 % is 85.4; rounding twice (85.45, then 85.5) would be wrong.
    assert percent(Fraction(85449, 100000), 1) == Decimal("85.4")
    assert percent(Fraction(1, 3), 1) == Decimal("33.3")
    assert percent(Fraction(2, 3), 1) == Decimal("66.7")


def test_r10_percent_honours_decimals_and_sign():
    assert percent(Fraction(2, 3), 0) == Decimal("67")
    assert percent(Fraction(2, 3), 2) == Decimal("66.67")
    assert percent(Fraction(1), 1) == Decimal("100.0")
    assert percent(Fraction(-1, 10), 1) == Decimal("-10.0")
    assert percent(Fraction(-5, 10000), 1) == Decimal("-0.1")  # a tie goes away from zero


# --- R11 ---------------------------------------------------------------------------
# Two contenders per step. B is better at the step under test, equivalent (after
# rounding to one place) at every step before it, and worse at every step after it,
# code included: so only that step can put B first.
# Every scheme: base 100.000, plan 200.000 (100.000 to develop), amount due 1.000.000.


def contender(code, *, actual=185_000, last_year=180_000, revenue=900_000,
              revenue_plan=1_000_000, nonpublic=450_000, late=20_000):
    s = scheme(plan=200_000, base=100_000, actual=actual, last_year=last_year)
    return make_unit(
        code, mandatory=s, voluntary=s, health=s, revenue_plan=revenue_plan,
        revenue=revenue, nonpublic=nonpublic, due=1_000_000, late=late, late_interest=0,
    )


# A: 85,0 % | 102,8 % (185/180) | 90,0 % | 50,0 % | 2,0 % | 900.000 đồng | DL01
A = contender("DL01")


def ranked_codes(units, rules=RULES):
    return [s.code for s in rank_local_offices(units, rules) if s.rank is not None]


def test_r11_step1_higher_participant_rate_first():
    b = contender("DL02", actual=186_000, last_year=190_000, revenue=850_000,
                  nonpublic=340_000, late=30_000)
    standings = rank_local_offices([A, b], RULES)
    assert [s.code for s in standings] == ["DL02", "DL01"]
    assert standings[1].explanation == "Tỷ lệ phát triển thấp hơn (85,0 % so với 86,0 %)"


def test_r11_step2_equivalent_participant_rate_then_higher_yoy_first():
    a = contender("DL01", actual=185_040)  # 85,04 % -> 85,0 %; yoy 102,8 %
    b = contender("DL02", actual=184_960, last_year=170_000,  # 84,96 % -> 85,0 %; 108,8 %
                  revenue=850_000, nonpublic=340_000, late=30_000)
    standings = rank_local_offices([a, b], RULES)
    assert [s.code for s in standings] == ["DL02", "DL01"]
    assert standings[1].explanation == (
        "Tương đương tỷ lệ phát triển 85,0 % → tỷ lệ so với cùng kỳ thấp hơn "
        "(102,8 % so với 108,8 %)"
    )


def test_r10_r11_tie_decimals_decide_what_is_equivalent():
    a = contender("DL01", actual=185_040)
    b = contender("DL02", actual=184_960, last_year=170_000,
                  revenue=850_000, nonpublic=340_000, late=30_000)
    two_places = PeriodRules(Decimal("81"), Decimal("81"), tie_decimals=2)
    assert ranked_codes([a, b], two_places) == ["DL01", "DL02"]  # 85,04 % > 84,96 %


def test_r11_step3_equivalent_yoy_then_higher_revenue_rate_first():
    b = contender("DL02", last_year=180_010,  # 102,77 % -> 102,8 %
                  revenue=850_000, revenue_plan=900_000,  # 94,4 %
                  nonpublic=340_000, late=30_000)
    standings = rank_local_offices([A, b], RULES)
    assert [s.code for s in standings] == ["DL02", "DL01"]
    assert standings[1].explanation == (
        "Tương đương tỷ lệ phát triển 85,0 %, tỷ lệ so với cùng kỳ 102,8 % → "
        "tỷ lệ số thu thấp hơn (90,0 % so với 94,4 %)"
    )


def test_r11_step4_equivalent_revenue_rate_then_higher_nonpublic_share_first():
    b = contender("DL02", last_year=180_010,
                  revenue=850_000, revenue_plan=944_500,  # 89,995 % -> 90,0 %
                  nonpublic=510_000, late=30_000)  # 60,0 %
    standings = rank_local_offices([A, b], RULES)
    assert [s.code for s in standings] == ["DL02", "DL01"]
    assert standings[1].explanation.endswith(
        "tỷ lệ số thu 90,0 % → tỷ trọng thu khối ngoài công lập thấp hơn "
        "(50,0 % so với 60,0 %)"
    )


def test_r11_step5_equivalent_nonpublic_share_then_lower_late_ratio_first():
    b = contender("DL02", last_year=180_010, revenue=850_000, revenue_plan=944_500,
                  nonpublic=424_990,  # 49,9988 % -> 50,0 %
                  late=10_000)  # 1,0 %
    standings = rank_local_offices([A, b], RULES)
    assert [s.code for s in standings] == ["DL02", "DL01"]
    assert standings[1].explanation.endswith(
        "tỷ trọng thu khối ngoài công lập 50,0 % → tỷ lệ chậm đóng cao hơn "
        "(2,0 % so với 1,0 %)"
    )


def test_r11_step6_equivalent_late_ratio_then_larger_revenue_first():
    b = contender("DL02", last_year=180_010,
                  revenue=950_000, revenue_plan=1_055_556,  # 89,99996 % -> 90,0 %
                  nonpublic=474_990,  # 49,9989 % -> 50,0 %
                  late=20_040)  # 2,004 % -> 2,0 %
    standings = rank_local_offices([A, b], RULES)
    assert [s.code for s in standings] == ["DL02", "DL01"]
    assert standings[1].explanation.endswith(
        "tỷ lệ chậm đóng 2,0 % → số thu thấp hơn (900.000 đồng so với 950.000 đồng)"
    )


def test_r11_step7_all_equal_then_unit_code_ascending():
    # DL02 is a little better on the exact values of steps 1-5, equal after rounding,
    # and has the same revenue: only the code is left, and DL01 comes first.
    b = contender("DL02", actual=185_040, revenue_plan=999_990, nonpublic=450_040,
                  late=19_960)
    standings = rank_local_offices([b, A], RULES)
    assert [s.code for s in standings] == ["DL01", "DL02"]
    assert standings[1].explanation.endswith(
        "số thu 900.000 đồng → bằng nhau ở mọi tiêu chí, xếp theo mã đơn vị (DL02 sau DL01)"
    )


def test_r11_undefined_yoy_counts_as_lowest():
    # DL01 has no last-year figures; DL02 is behind on everything after step 2.
    a = contender("DL01", last_year=0)
    b = contender("DL02", last_year=500_000, revenue=850_000, nonpublic=340_000, late=30_000)
    assert ranked_codes([a, b]) == ["DL02", "DL01"]


def test_r11_undefined_participant_rate_counts_as_lowest():
    nothing = scheme(plan=500, base=500, actual=500, last_year=400)
    a = make_unit("DL01", mandatory=nothing, voluntary=nothing, health=nothing)
    b = make_unit("DL02", mandatory=scheme(actual=962), voluntary=scheme(actual=962),
                  health=scheme(actual=962), revenue=820_000)  # 81 %, worse later
    assert ranked_codes([a, b]) == ["DL02", "DL01"]


def test_r11_first_place_is_explained():
    standings = rank_local_offices([A], RULES)
    assert standings[0].rank == 1
    assert standings[0].explanation == (
        "Đạt cả ba tiêu chí; đứng đầu theo thứ tự ưu tiên (tỷ lệ phát triển 85,0 %)"
    )


def test_r11_missing_report_is_listed_but_never_ranked():
    standings = rank_local_offices([make_unit("DL00", with_report=False), A], RULES)
    assert [(s.code, s.rank) for s in standings] == [("DL01", 1), ("DL00", None)]
    assert standings[1].report == MISSING
    assert standings[1].explanation == "Chưa có báo cáo"


def test_r11_draft_report_is_listed_but_never_ranked():
    draft = make_unit("DL00", submitted=False)
    standings = rank_local_offices([draft, A], RULES)
    assert [(s.code, s.rank) for s in standings] == [("DL01", 1), ("DL00", None)]
    assert standings[1].report == DRAFT


def test_r11_unit_without_target_is_listed_but_never_ranked():
    standings = rank_local_offices([make_unit("DL00", with_target=False), A], RULES)
    assert [(s.code, s.rank) for s in standings] == [("DL01", 1), ("DL00", None)]


def test_r11_ranked_first_then_the_rest_by_code():
    units = [
        make_unit("DL05", late=50_000),  # fails C3
        make_unit("DL03"),
        make_unit("DL04", with_report=False),
        make_unit("DL01", revenue=100_000),  # fails C2
        make_unit("DL02", health=scheme(actual=980)),  # higher participant rate
    ]
    standings = rank_local_offices(units, RULES)
    assert [(s.code, s.rank) for s in standings] == [
        ("DL02", 1), ("DL03", 2), ("DL01", None), ("DL04", None), ("DL05", None),
    ]


def test_r11_duplicate_unit_codes_are_refused():
    with pytest.raises(ValueError):
        rank_local_offices([make_unit("DL01"), make_unit("DL01")], RULES)


# --- R12 ---------------------------------------------------------------------------


def test_r12_province_totals_sum_every_field():
    first = make_unit(mandatory=scheme(actual=10, last_year=1), revenue=100, nonpublic=10,
                      due=1000, late=5, late_interest=1).result
    second = make_unit(mandatory=scheme(actual=20, last_year=2), revenue=200, nonpublic=20,
                       due=2000, late=6, late_interest=2).result
    total = province_totals([first, second])
    assert total.mandatory == SchemeResult(actual=30, last_year=3)
    assert total.voluntary == SchemeResult(actual=970 * 2, last_year=900 * 2)
    assert (total.revenue, total.nonpublic_revenue, total.due, total.late,
            total.late_interest) == (300, 30, 3000, 11, 3)


def test_r12_province_judged_on_totals_against_its_own_target():
    # Each office alone misses C1 in one scheme; the province, on its own target, passes.
    first = make_unit(mandatory=scheme(actual=900)).result  # 50 % of its 200
    second = make_unit(health=scheme(actual=900)).result
    own_target = make_unit(
        mandatory=scheme(plan=1800, base=1600), voluntary=scheme(plan=1800, base=1600),
        health=scheme(plan=1800, base=1600), revenue_plan=2_000_000,
    ).target
    standing = evaluate_province("QLT", "Phòng QLT", own_target, [first, second], RULES)
    # mandatory (1870 - 1600) / 200 = 135 %; revenue 1.800.000 / 2.000.000 = 90 %
    assert standing.scheme("mandatory").rate == Fraction(270, 200)
    assert standing.revenue_rate == Fraction(9, 10)
    assert standing.eligible
    assert standing.rank is None
    assert standing.explanation == explain.PROVINCE_MET
    assert collection_department_may_be_proposed(standing)


def test_r12_province_missing_criteria_cannot_be_proposed():
    results = [make_unit(revenue=500_000).result, make_unit(revenue=500_000).result]
    own_target = make_unit(revenue_plan=2_000_000).target
    standing = evaluate_province("QLT", "Phòng QLT", own_target, results, RULES)
    assert not standing.c2.holds
    assert standing.explanation.startswith("Tỷ lệ thu đạt 50,0 %, cần 81 %")
    assert not collection_department_may_be_proposed(standing)


def test_r12_province_without_reports_or_target_cannot_be_proposed():
    no_reports = evaluate_province("QLT", "Phòng QLT", make_unit().target, [], RULES)
    assert no_reports.report == MISSING
    assert no_reports.explanation == explain.NO_REPORTS_TO_TOTAL
    no_target = evaluate_province("QLT", "Phòng QLT", None, [make_unit().result], RULES)
    assert no_target.explanation == explain.NO_TARGET
    assert not collection_department_may_be_proposed(no_reports)
    assert not collection_department_may_be_proposed(no_target)


# --- a worked example ----------------------------------------------------------------


def worked_target(health_plan=5100, revenue_plan=100_000_000_000):
    return Target(
        SchemeTarget(plan=1100, base=1000), SchemeTarget(plan=300, base=200),
        SchemeTarget(plan=health_plan, base=5000), revenue_plan=revenue_plan,
        late_max=Decimal("3.5"), late_interest_max=Decimal("1"),
    )


def worked_result(people, revenue, nonpublic, due, late, late_interest):
    (m, m_ly), (v, v_ly), (h, h_ly) = people
    return Result(
        SchemeResult(m, m_ly), SchemeResult(v, v_ly), SchemeResult(h, h_ly),
        revenue=revenue, nonpublic_revenue=nonpublic, due=due, late=late,
        late_interest=late_interest,
    )


def test_worked_example_small_province():
    """Period 1 (thresholds 81 % / 81 %), five local offices, money in tỷ (10^9 đồng).

    Targets: mandatory 1.000 -> 1.100, voluntary 200 -> 300, health 5.000 -> 5.100
    (100 to develop each; KRP's health plan is 5.300, 300 to develop). Ceilings 3,5 % / 1 %.

    EAK: rates 85/100, 95/100, 90/100 -> mean 90 %.
         yoy (1085/1000 + 295/250 + 5090/4900) / 3 = (1,085 + 1,18 + 1,03878) / 3
         = 1,10126 -> 110,1 %. Revenue 85/100 = 85 %; late 3/100 = 3 %, 0,8 %. Eligible.
    BMT: rates 90, 90, 90 -> 90 % (equivalent to EAK).
         yoy (1,09 + 1,16 + 1,03878) / 3 = 1,09626 -> 109,6 % < 110,1 %: below EAK.
         Revenue 90 %, late 2 %, 0,5 %. Eligible.
    CMG: rates 88, 88, 88 -> 88 %, below both. Revenue 45/50 = 90 %. Late 1,4/40 = 3,5 %
         and 0,4/40 = 1 %: exactly at the ceilings, so C3 holds. Eligible.
    KRP: mandatory 95 %, voluntary 95 %, health 235/300 = 78,33 % < 81 %: C1 fails;
         revenue 40/50 = 80 % < 81 %: C2 fails. Not ranked.
    LAK: no report. Not ranked.

    Ranking: EAK 1, BMT 2, CMG 3; then KRP, LAK by code.

    Province totals (the four reports): mandatory 1090+1085+1088+1095 = 4.358,
    voluntary 290+295+288+295 = 1.168, health 5090+5090+5088+5235 = 20.503;
    revenue 90+85+45+40 = 260; due 100+100+40+50 = 290; late 2+3+1,4+1 = 7,4;
    late with interest 0,5+0,8+0,4+0,2 = 1,9.
    Against the province target (4.000 -> 4.400, 1.000 -> 1.200, 20.000 -> 20.600, 300):
    358/400 = 89,5 %, 168/200 = 84 %, 503/600 = 83,8 %; 260/300 = 86,7 %;
    7,4/290 = 2,55 % <= 3,5 %; 1,9/290 = 0,66 % <= 1 %. The department may be proposed.

    Prizes: EAK first, BMT second, CMG third, QLT third, TCHC third.
    """
    bn = 1_000_000_000
    units = [
        UnitInput("LAK", "BHXH Lắk", worked_target(revenue_plan=50 * bn), None, False),
        UnitInput("BMT", "BHXH Buôn Ma Thuột", worked_target(), worked_result(
            ((1090, 1000), (290, 250), (5090, 4900)),
            90 * bn, 36 * bn, 100 * bn, 2 * bn, bn // 2), True),
        UnitInput("KRP", "BHXH Krông Pắc", worked_target(5300, 50 * bn), worked_result(
            ((1095, 1000), (295, 250), (5235, 5100)),
            40 * bn, 10 * bn, 50 * bn, 1 * bn, bn // 5), True),
        UnitInput("EAK", "BHXH Ea Kar", worked_target(), worked_result(
            ((1085, 1000), (295, 250), (5090, 4900)),
            85 * bn, 34 * bn, 100 * bn, 3 * bn, 8 * bn // 10), True),
        UnitInput("CMG", "BHXH Cư M'gar", worked_target(revenue_plan=50 * bn), worked_result(
            ((1088, 1050), (288, 260), (5088, 5000)),
            45 * bn, 9 * bn, 40 * bn, 14 * bn // 10, 4 * bn // 10), True),
    ]
    standings = rank_local_offices(units, RULES)
    s = by_code(standings)

    assert [(x.code, x.rank) for x in standings] == [
        ("EAK", 1), ("BMT", 2), ("CMG", 3), ("KRP", None), ("LAK", None),
    ]
    assert percent(s["EAK"].yoy_ratio, 1) == Decimal("110.1")
    assert percent(s["BMT"].yoy_ratio, 1) == Decimal("109.6")
    assert s["BMT"].explanation == (
        "Tương đương tỷ lệ phát triển 90,0 % → tỷ lệ so với cùng kỳ thấp hơn "
        "(109,6 % so với 110,1 %)"
    )
    assert s["CMG"].late_ratio == Fraction(35, 1000)
    assert s["CMG"].explanation == "Tỷ lệ phát triển thấp hơn (88,0 % so với 90,0 %)"
    assert s["KRP"].explanation == "BHYT đạt 78,3 %, cần 81 %; Tỷ lệ thu đạt 80,0 %, cần 81 %"
    assert s["LAK"].explanation == "Chưa có báo cáo"

    province_target = Target(
        SchemeTarget(plan=4400, base=4000), SchemeTarget(plan=1200, base=1000),
        SchemeTarget(plan=20600, base=20000), revenue_plan=300 * bn,
        late_max=Decimal("3.5"), late_interest_max=Decimal("1"),
    )
    reports = [u.result for u in units if u.result is not None and u.submitted]
    province = evaluate_province("QLT", "Phòng QLT", province_target, reports, RULES)
    assert province.schemes[0].actual == 4358
    assert [o.rate for o in province.schemes] == [
        Fraction(358, 400), Fraction(168, 200), Fraction(503, 600),
    ]
    assert province.revenue_rate == Fraction(260, 300)
    assert province.late_ratio == Fraction(74, 2900)
    assert province.eligible

    nominations = ["TCHC"]
    if collection_department_may_be_proposed(province):
        nominations.insert(0, "QLT")
    ranked = [x.code for x in standings if x.rank is not None]
    proposals = allocate(ranked, nominations, prize_ladder([("first", 1), ("second", 1), ("third", 3)]))
    assert [(p.unit, p.prize) for p in proposals] == [
        ("EAK", "first"), ("BMT", "second"), ("CMG", "third"), ("QLT", "third"),
        ("TCHC", "third"),
    ]
