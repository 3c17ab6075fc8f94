"""R14: the proposed collective prizes, and R12's gate for the collection department."""

from dataclasses import dataclass
from decimal import Decimal

from rules.allocation import (
    Proposal,
    allocate,
    collection_department_may_be_proposed,
    monthly_prize_ceiling,
    prize_ladder,
    prize_terms,
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


# The dispatch of 2025: 1 first, 1 second, 3 third prizes a month.
LADDER_2025 = prize_ladder([("first", 1), ("second", 1), ("third", 3)])


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    count: int
    amount: int
    individuals: int


def test_the_ladder_gives_each_level_its_count_in_order():
    assert LADDER_2025 == ("first", "second", "third", "third", "third")
    assert prize_ladder([("first", 1), ("second", 2), ("third", 3), ("khuyen-khich", 2)]) == (
        "first", "second", "second", "third", "third", "third", "khuyen-khich", "khuyen-khich",
    )


def test_a_level_counted_zero_is_not_on_the_ladder():
    assert prize_ladder([("first", 0), ("second", 1), ("khuyen-khich", 0)]) == ("second",)
    assert prize_ladder([]) == ()


def test_prizes_go_down_the_ladder_in_candidate_order():
    proposals = allocate(["DL03", "DL01", "DL07"], [], LADDER_2025)
    assert proposals == (
        Proposal("DL03", "first", 1),
        Proposal("DL01", "second", 2),
        Proposal("DL07", "third", 3),
    )


def test_local_offices_come_before_nominated_departments():
    proposals = allocate(["DL02"], ["TCHC", "QLT"], LADDER_2025)
    assert prizes(proposals) == [("DL02", "first"), ("TCHC", "second"), ("QLT", "third")]


def test_departments_keep_the_compiler_order():
    proposals = allocate([], ["KHTC", "TCHC"], LADDER_2025)
    assert prizes(proposals) == [("KHTC", "first"), ("TCHC", "second")]


def test_no_more_than_five_prizes():
    proposals = allocate([f"DL{i:02}" for i in range(1, 9)], ["TCHC"], LADDER_2025)
    assert [p.prize for p in proposals] == list(LADDER_2025)
    assert "TCHC" not in [p.unit for p in proposals]


def test_fewer_candidates_fewer_prizes():
    assert allocate([], [], LADDER_2025) == ()
    assert prizes(allocate(["DL01"], [], LADDER_2025)) == [("DL01", "first")]


def test_a_unit_never_gets_two_prizes():
    proposals = allocate(["DL01", "DL02"], ["DL01", "TCHC", "TCHC"], LADDER_2025)
    assert prizes(proposals) == [("DL01", "first"), ("DL02", "second"), ("TCHC", "third")]


def test_custom_ladder():
    proposals = allocate(["DL01", "DL02", "DL03"], [], ladder=("first", "third"))
    assert prizes(proposals) == [("DL01", "first"), ("DL02", "third")]


def test_any_ladder_goes_to_offices_first_then_nominated_departments():
    ladder = prize_ladder([("first", 1), ("second", 2), ("third", 3), ("khuyen-khich", 2)])
    proposals = allocate(["DL01", "DL02", "DL03", "DL04"], ["TCHC", "QLT", "KHTC", "KT"], ladder)
    assert prizes(proposals) == [
        ("DL01", "first"), ("DL02", "second"), ("DL03", "second"), ("DL04", "third"),
        ("TCHC", "third"), ("QLT", "third"), ("KHTC", "khuyen-khich"), ("KT", "khuyen-khich"),
    ]
    assert [p.position for p in proposals] == list(range(1, 9))


def test_an_empty_ladder_gives_no_prize():
    assert allocate(["DL01"], ["TCHC"], prize_ladder([("first", 0)])) == ()


LEVELS = [
    Level("first", "Giải Nhất", 1, 6_000_000, 3),
    Level("second", "Giải Nhì", 2, 4_000_000, 2),
    Level("khuyen-khich", "Giải Khuyến khích", 0, 1_000_000, 0),
]


def test_prize_terms_carry_amount_quota_name_and_place_of_each_level():
    assert prize_terms(LEVELS) == {
        "first": {"amount": 6_000_000, "individual_quota": 3, "name": "Giải Nhất", "position": 1},
        "second": {"amount": 4_000_000, "individual_quota": 2, "name": "Giải Nhì", "position": 2},
        "khuyen-khich": {"amount": 1_000_000, "individual_quota": 0, "name": "Giải Khuyến khích",
                         "position": 3},
    }


def test_the_monthly_ceiling_is_every_prize_of_the_ladder_with_all_its_individuals():
    # 6M + 3 × 500.000, then twice 4M + 2 × 500.000; the level counted zero costs nothing.
    assert monthly_prize_ceiling(LEVELS, 500_000) == 7_500_000 + 2 * 5_000_000
    assert monthly_prize_ceiling([], 500_000) == 0


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
