"""The roll-up's own helpers (scoring.rollup), apart from the service that stores snapshots."""

from decimal import Decimal
from fractions import Fraction

from rules import engine
from scoring.rollup import metric_text, setting_text, shown_metrics


def test_metric_text_rounds_half_away_from_zero_and_never_writes_minus_zero():
    assert metric_text(Fraction(8545, 10000), 1) == "85.5"
    assert metric_text(Fraction(-8545, 10000), 1) == "-85.5"
    assert metric_text(Fraction(-1, 10**7), 1) == "0.0"
    assert metric_text(Fraction(-1, 10**7), 0) == "0"
    assert metric_text(Fraction(1, 3), 2) == "33.33"
    assert metric_text(Fraction(2, 4000), 3) == "0.050"
    assert metric_text(None, 1) is None


def test_setting_text_drops_trailing_zeros():
    assert setting_text(Decimal("81.00")) == "81"
    assert setting_text(Decimal("3.50")) == "3.5"


def standing_with_late_ratio(late: int, due: int) -> engine.Standing:
    target = engine.Target(engine.SchemeTarget(100, 90), engine.SchemeTarget(100, 90),
                           engine.SchemeTarget(100, 90), revenue_plan=1_000,
                           late_max=Decimal("3.5"), late_interest_max=Decimal("2"))
    result = engine.Result(engine.SchemeResult(100, 90), engine.SchemeResult(100, 90),
                           engine.SchemeResult(100, 90), revenue=1_000, nonpublic_revenue=0,
                           due=due, late=late, late_interest=0)
    rules = engine.PeriodRules(participant_threshold=Decimal("81"), revenue_threshold=Decimal("81"))
    return engine.evaluate(engine.UnitInput("AAA", "A", target, result, True), rules)


def test_a_ratio_a_hair_within_its_ceiling_reads_as_the_ceiling():
    # 34.999.999.999 / 1.000.000.000.000: C3 holds; "3,5 %" (at the ceiling) reads as held.
    standing = standing_with_late_ratio(34_999_999_999, 10**12)
    assert standing.c3.holds
    assert shown_metrics(standing, 1) == {}


def test_a_ratio_a_hair_over_its_ceiling_never_reads_as_within_it():
    standing = standing_with_late_ratio(35_000_000_001, 10**12)
    assert not standing.c3.holds
    assert shown_metrics(standing, 1) == {"late_ratio": "3.5000001"}
    assert "Tỷ lệ chậm đóng 3,5000001 %, trần 3,5 %" in standing.explanation
