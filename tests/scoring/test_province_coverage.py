"""What the province totals cover while reports are missing, and the like-for-like rates
(rules/province.py): pure, no database."""

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import engine, explain
from rules import province as province_rules
from rules.engine import PeriodRules, Result, SchemeResult, SchemeTarget, Target

from .test_engine_properties import period_rules, unit_bodies

RULES = PeriodRules(participant_threshold=Decimal("81"), revenue_threshold=Decimal("81"))


def target(plan: int, base: int, revenue_plan: int = 100) -> Target:
    scheme = SchemeTarget(plan, base)
    return Target(scheme, scheme, scheme, revenue_plan, Decimal("3.5"), Decimal("2"))


def result(actual: int, revenue: int = 90) -> Result:
    scheme = SchemeResult(actual, actual)
    return Result(scheme, scheme, scheme, revenue, 0, 100, 1, 0)


def test_coverage_counts_each_state():
    covered = province_rules.coverage(["submitted", "draft", "missing", "submitted", "missing"])
    assert covered == province_rules.Coverage(expected=5, submitted=2, draft=1, missing=2)
    assert not covered.complete and covered.unsubmitted == 3


def test_coverage_of_every_report_submitted_is_complete():
    assert province_rules.coverage(["submitted"] * 24).complete


def test_coverage_refuses_an_unknown_state():
    with pytest.raises(ValueError, match="unknown report states"):
        province_rules.coverage(["submitted", "returned"])


def test_coverage_is_written_as_units_sent_out_of_units_expected():
    assert explain.coverage_text(21, 24) == "21/24 đơn vị đã gửi"


def test_the_department_part_is_the_province_target_less_the_offices():
    direct = province_rules.direct_part(target(1_000, 800, 500), [target(300, 250, 150), target(400, 300, 200)])
    assert direct.mandatory == SchemeTarget(300, 250) and direct.revenue_plan == 150
    assert direct.late_max == Decimal("3.5")


def test_the_department_is_expected_with_a_part_of_its_own_or_a_report():
    nothing = province_rules.direct_part(target(700, 550, 350), [target(300, 250, 150), target(400, 300, 200)])
    assert not province_rules.department_expected(nothing, has_report=False)
    assert province_rules.department_expected(nothing, has_report=True)
    assert province_rules.department_expected(target(1, 0, 0), has_report=False)
    assert not province_rules.department_expected(None, has_report=False)


def test_like_for_like_sums_the_reports_over_the_same_units_targets():
    # Two offices in of three: (90 + 50 − 160) / (200 − 160) over their own targets; the
    # missing third office's target is not in the denominator.
    lfl = province_rules.like_for_like([(target(100, 80), result(90)), (target(100, 80), result(50, 70))], RULES)
    assert lfl.units == 2
    assert lfl.schemes[0].rate == Fraction(90 + 50 - 160, 40)
    assert lfl.participant_rate == Fraction(-20, 40)
    assert lfl.revenue_rate == Fraction(160, 200)


def test_like_for_like_of_nothing_is_none():
    assert province_rules.like_for_like([], RULES) is None


@given(st.lists(unit_bodies(), min_size=1, max_size=6), period_rules)
def test_with_every_report_in_the_like_for_like_rates_are_the_provinces(bodies, rules):
    parts = [(t, r) for t, r, _ in bodies if t is not None and r is not None]
    if not parts:
        return
    offices, department = parts[:-1], parts[-1]
    province_target = province_rules.summed_target([t for t, _ in parts], parts[0][0])
    direct = province_rules.direct_part(province_target, [t for t, _ in offices])
    lfl = province_rules.like_for_like([*offices, (direct, department[1])], rules)
    province = engine.evaluate_province("QLT", "Phòng", province_target, [r for _, r in parts], rules)
    assert lfl.participant_rate == province.participant_rate
    assert lfl.revenue_rate == province.revenue_rate
    assert [o.rate for o in lfl.schemes] == [o.rate for o in province.schemes]


@given(
    rate=st.integers(0, 12).map(lambda tenths: Fraction(tenths, 10)),
    units=st.lists(st.tuples(st.integers(0, 500), st.integers(1, 50).map(lambda d: d * 10)),
                   min_size=2, max_size=8),
    missing=st.integers(1, 7),
)
def test_offices_at_one_rate_read_at_that_rate_however_many_are_missing(rate, units, missing):
    # Every office develops the same share of its own number to develop; some have not
    # reported. Like for like, the province reads at that share; the R12 totals over the whole
    # province target read lower, as if the missing offices had lost their participants.
    missing = min(missing, len(units) - 1)
    targets = [target(base + to_develop, base) for base, to_develop in units]
    results = [result(base + int(rate * to_develop)) for base, to_develop in units]
    sent = list(zip(targets, results, strict=True))[missing:]
    lfl = province_rules.like_for_like(sent, RULES)
    assert [o.rate for o in lfl.schemes] == [rate] * 3 and lfl.participant_rate == rate
    whole = province_rules.summed_target(targets, targets[0])
    totals = engine.evaluate_province("QLT", "Phòng", whole, [r for _, r in sent], RULES)
    assert totals.participant_rate < rate if rate else totals.participant_rate <= rate


def test_an_incomplete_explanation_quotes_no_rate_and_says_a_missing_report_counts_as_nothing():
    # A province short of two of its reports: the totals' rates collapse below zero.
    standing = engine.evaluate_province("QLT", "Phòng", target(1_000, 900), [result(850)], RULES)
    assert standing.participant_rate < 0
    text = province_rules.incomplete_explanation(standing, province_rules.Coverage(3, 1, 1, 1))
    assert text.startswith("Chưa đủ báo cáo (1/3 đơn vị đã gửi)")
    assert "tính bằng 0" in text and text.endswith("chưa đạt tiêu chí người tham gia")
    assert not re.search(r"\d %", text)
