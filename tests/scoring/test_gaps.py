"""The gaps are the smallest amounts that make each criterion hold: one less would not."""

from decimal import Decimal

from rules.engine import (
    PeriodRules,
    Result,
    SchemeResult,
    SchemeTarget,
    Target,
    UnitInput,
    evaluate,
)
from rules.gaps import gaps

TARGET = Target(
    mandatory=SchemeTarget(plan=10_000, base=9_000),
    voluntary=SchemeTarget(plan=3_000, base=3_000),  # nothing to develop: aim is the plan
    health=SchemeTarget(plan=100_003, base=90_000),
    revenue_plan=1_000_000_001,
    late_max=Decimal("3.5"),
    late_interest_max=Decimal("2"),
)


def result(mandatory=9_500, voluntary=2_990, health=98_000, revenue=800_000_000,
           due=1_000_000, late=40_000, late_interest=25_000) -> Result:
    return Result(
        mandatory=SchemeResult(mandatory, 1), voluntary=SchemeResult(voluntary, 1),
        health=SchemeResult(health, 1), revenue=revenue, nonpublic_revenue=0, due=due,
        late=late, late_interest=late_interest,
    )


def test_people_needed_per_scheme():
    g = gaps(TARGET, result(), Decimal("81"), Decimal("81"))
    by_scheme = {s.scheme: s for s in g.schemes}
    assert by_scheme["mandatory"].people_needed == 9_000 + 810 - 9_500  # 310
    assert by_scheme["voluntary"].people_needed == 10 and not by_scheme["voluntary"].applicable
    # health: 81 % of 10.003 = 8.102,43 → 8.103 people above the base
    assert by_scheme["health"].people_needed == 90_000 + 8_103 - 98_000


def test_revenue_and_late_amounts():
    g = gaps(TARGET, result(), Decimal("81"), Decimal("81"))
    assert g.revenue_needed == 810_000_001 - 800_000_000  # ceil(0,81 × 1.000.000.001)
    assert g.late_to_recover == 40_000 - 35_000
    assert g.late_interest_to_recover == 25_000 - 20_000


def test_closing_every_gap_makes_the_unit_eligible_and_one_less_does_not():
    rules = PeriodRules(Decimal("81"), Decimal("81"))
    g = gaps(TARGET, result(), rules.participant_threshold, rules.revenue_threshold)
    need = {s.scheme: s.people_needed for s in g.schemes}
    closed = result(
        mandatory=9_500 + need["mandatory"], voluntary=2_990 + need["voluntary"],
        health=98_000 + need["health"], revenue=800_000_000 + g.revenue_needed,
        late=40_000 - g.late_to_recover, late_interest=25_000 - g.late_interest_to_recover,
    )
    assert evaluate(UnitInput("X", "X", TARGET, closed, True), rules).eligible
    assert gaps(TARGET, closed, rules.participant_threshold, rules.revenue_threshold).all_clear
    short = result(
        mandatory=9_500 + need["mandatory"], voluntary=2_990 + need["voluntary"],
        health=98_000 + need["health"] - 1, revenue=800_000_000 + g.revenue_needed,
        late=35_000, late_interest=20_000,
    )
    assert not evaluate(UnitInput("X", "X", TARGET, short, True), rules).c1.holds


def test_nothing_needed_when_already_above():
    g = gaps(TARGET, result(mandatory=20_000, voluntary=5_000, health=200_000,
                            revenue=2_000_000_000, late=0, late_interest=0),
             Decimal("100"), Decimal("100"))
    assert g.all_clear


def test_no_revenue_plan_means_no_revenue_gap():
    target = Target(TARGET.mandatory, TARGET.voluntary, TARGET.health, 0, Decimal("3.5"), Decimal("2"))
    assert gaps(target, result(), Decimal("81"), Decimal("81")).revenue_needed is None


def test_nothing_to_recover_when_nothing_is_due():
    # R8: with nothing due both ratios are 0, C3 holds; the panel must not ask for money back.
    nothing_due = result(due=0, late=1_000, late_interest=500)
    g = gaps(TARGET, nothing_due, Decimal("81"), Decimal("81"))
    assert (g.late_to_recover, g.late_interest_to_recover) == (0, 0)
    assert evaluate(UnitInput("X", "X", TARGET, nothing_due, True), PeriodRules(Decimal("81"), Decimal("81"))).c3.holds
