"""R14: the proposed collective prizes, and R12's gate for the collection department."""

from decimal import Decimal

from rules.allocation import (
    PRIZE_LADDER,
    Proposal,
    allocate,
    collection_department_may_be_proposed,
)
from rules.engine import (
    PeriodRules,
    Result,
    SchemeResult,
    SchemeTarget,
    Target,
    evaluate_province,
)


def prizes(proposals):
    return [(p.unit, p.prize) for p in proposals]


def test_ladder_is_one_first_one_second_three_third():
    assert PRIZE_LADDER == ("first", "second", "third", "third", "third")


def test_prizes_go_down_the_ladder_in_candidate_order():
    proposals = allocate(["DL03", "DL01", "DL07"], [])
    assert proposals == (
        Proposal("DL03", "first", 1),
        Proposal("DL01", "second", 2),
        Proposal("DL07", "third", 3),
    )


def test_local_offices_come_before_nominated_departments():
    proposals = allocate(["DL02"], ["TCHC", "QLT"])
    assert prizes(proposals) == [("DL02", "first"), ("TCHC", "second"), ("QLT", "third")]


def test_departments_keep_the_compiler_order():
    proposals = allocate([], ["KHTC", "TCHC"])
    assert prizes(proposals) == [("KHTC", "first"), ("TCHC", "second")]


def test_no_more_than_five_prizes():
    proposals = allocate([f"DL{i:02}" for i in range(1, 9)], ["TCHC"])
    assert [p.prize for p in proposals] == list(PRIZE_LADDER)
    assert "TCHC" not in [p.unit for p in proposals]


def test_fewer_candidates_fewer_prizes():
    assert allocate([], []) == ()
    assert prizes(allocate(["DL01"], [])) == [("DL01", "first")]


def test_a_unit_never_gets_two_prizes():
    proposals = allocate(["DL01", "DL02"], ["DL01", "TCHC", "TCHC"])
    assert prizes(proposals) == [("DL01", "first"), ("DL02", "second"), ("TCHC", "third")]


def test_custom_ladder():
    proposals = allocate(["DL01", "DL02", "DL03"], [], ladder=("first", "third"))
    assert prizes(proposals) == [("DL01", "first"), ("DL02", "third")]


def province_target():
    scheme = SchemeTarget(plan=1200, base=1000)
    return Target(scheme, scheme, scheme, revenue_plan=1_000_000,
                  late_max=Decimal("3.5"), late_interest_max=Decimal("1"))


def province_result(actual=1180, revenue=900_000, late=20_000):
    scheme = SchemeResult(actual=actual, last_year=1000)
    return Result(scheme, scheme, scheme, revenue=revenue, nonpublic_revenue=0,
                  due=1_000_000, late=late, late_interest=0)


RULES = PeriodRules(Decimal("81"), Decimal("81"))


def test_collection_department_proposed_when_totals_meet_c1_c2_c3():
    standing = evaluate_province("QLT", "Phòng QLT", province_target(),
                                 [province_result()], RULES)
    assert collection_department_may_be_proposed(standing)


def test_collection_department_not_proposed_when_totals_miss_c1():
    standing = evaluate_province("QLT", "Phòng QLT", province_target(),
                                 [province_result(actual=1100)], RULES)  # 50 %
    assert not collection_department_may_be_proposed(standing)


def test_collection_department_not_proposed_when_totals_miss_c2():
    standing = evaluate_province("QLT", "Phòng QLT", province_target(),
                                 [province_result(revenue=500_000)], RULES)
    assert not collection_department_may_be_proposed(standing)


def test_collection_department_not_proposed_when_totals_miss_c3():
    standing = evaluate_province("QLT", "Phòng QLT", province_target(),
                                 [province_result(late=40_000)], RULES)
    assert not collection_department_may_be_proposed(standing)
