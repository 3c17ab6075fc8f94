"""The roll-up's own helpers (scoring.rollup), apart from the service that stores snapshots."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from scoring import engine
from scoring.rollup import metric_text, setting_text


@given(
    st.fractions(min_value=-100, max_value=100_000, max_denominator=10**9),
    st.integers(min_value=0, max_value=13),
)
def test_metric_text_writes_the_engines_rounded_percent(value, decimals):
    assert metric_text(value, decimals) == f"{engine.percent(value, decimals):f}"


def test_metric_text_rounds_half_away_from_zero_and_never_writes_minus_zero():
    assert metric_text(Fraction(8545, 10000), 1) == "85.5"
    assert metric_text(Fraction(-8545, 10000), 1) == "-85.5"
    assert metric_text(Fraction(-1, 10**7), 1) == "0.0"
    assert metric_text(Fraction(-1, 10**7), 0) == "0"
    assert metric_text(Fraction(1, 3), 2) == "33.33"
    assert metric_text(Fraction(1, 2000), 3) == "0.050"
    assert metric_text(None, 1) is None


def test_setting_text_drops_trailing_zeros():
    assert setting_text(Decimal("81.00")) == "81"
    assert setting_text(Decimal("3.50")) == "3.5"
