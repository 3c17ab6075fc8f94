"""The ranking shows its key (R11): every number an explanation quotes is on its row, or on
the row above for the value it is compared with, rounded as the columns round it."""

import re
from decimal import Decimal

from hypothesis import given, settings

from rules.engine import (
    PeriodRules,
    Result,
    SchemeResult,
    SchemeTarget,
    Target,
    UnitInput,
    rank_local_offices,
    tie_break_depths,
)
from scoring.rollup import standing_json
from scoring.selectors import document_shown
from scoring.templatetags.scoring_tags import scheme_rate_text, shown_metric
from units.templatetags.vn import vn_percent, vn_percent_as_written

from ..conftest import examples
from .test_engine_properties import period_rules, provinces

NUMBER = re.compile(r"-?\d[\d.]*(?:,\d+)? (?:%|đồng)")


def test_a_first_place_draws_on_the_participant_rate_alone():
    values = [(Decimal("90"), None, None, None, None, 1, "A")]
    assert tie_break_depths(values) == [0]


def test_a_tie_broken_on_the_third_step_shows_three_steps_on_both_rows():
    above = (Decimal("85.4"), Decimal("101"), Decimal("93"), None, None, 5, "A")
    below = (Decimal("85.4"), Decimal("101"), Decimal("92"), None, None, 9, "B")
    third = (Decimal("80.0"), Decimal("99"), Decimal("99"), None, None, 9, "C")
    assert tie_break_depths([above, below, third]) == [2, 2, 0]


def test_no_ranked_unit_no_key():
    assert tie_break_depths([]) == []


def _document(units, rules):
    standings = rank_local_offices(units, rules)
    return {
        "participant_threshold": f"{rules.participant_threshold}",
        "revenue_threshold": f"{rules.revenue_threshold}",
        "tie_decimals": rules.tie_decimals, "province": None, "awards": [],
        "standings": [standing_json(s, "local_office", rules.tie_decimals) for s in standings],
    }


def _visible(row: dict, document: dict) -> set[str]:
    """The texts the row's cells show (templates/scoring/_standing_cells.html)."""
    texts = {vn_percent_as_written(row["metrics"]["participant_rate"]),
             vn_percent(row["metrics"]["nonpublic_share"], document["tie_decimals"])}
    texts |= {shown_metric(row, key) for key in ("revenue_rate", "late_ratio", "late_interest_ratio")}
    texts |= {scheme_rate_text(s, document) for s in row["schemes"] if s["applicable"]}
    texts |= {step["text"] for step in row.get("key", [])}
    return texts


def _assert_ranked_quotes_are_visible(document: dict) -> None:
    ranked = [row for row in document["standings"] if row["rank"]]
    for position, row in enumerate(ranked):
        # "… thấp hơn (100,0 % so với 104,2 %)": the second value is the unit above's.
        compared = re.search(r"\(([^()]*) so với ([^()]*)\)$", row["explanation"])
        mine = row["explanation"][:compared.start(2)] if compared else row["explanation"]
        theirs = compared.group(2) if compared else ""
        for number in NUMBER.findall(mine):
            assert number in _visible(row, document), (number, row["explanation"])
        for number in NUMBER.findall(theirs):
            above = ranked[position - 1]
            assert number in _visible(above, document), (number, row["explanation"])


def _office(code: str, *, health_last_year: int, revenue: int) -> UnitInput:
    # Both offices develop 90 % of every scheme: a tie on the first step.
    target = Target(SchemeTarget(100, 0), SchemeTarget(100, 0), SchemeTarget(100, 0), 1_000,
                    Decimal("5"), Decimal("5"))
    result = Result(SchemeResult(90, 90), SchemeResult(90, 90), SchemeResult(90, health_last_year),
                    revenue, 0, 100, 0, 0)
    return UnitInput(code, f"BHXH cơ sở {code}", target, result, True)


def test_a_tie_broken_on_the_year_on_year_ratio_shows_it_on_both_rows():
    rules = PeriodRules(Decimal("81"), Decimal("81"))
    document = document_shown(_document([_office("AAA", health_last_year=90, revenue=950),
                                         _office("BBB", health_last_year=80, revenue=990)], rules))
    first, second = document["standings"]
    assert second["explanation"] == ("Tương đương tỷ lệ phát triển 90,0 % → tỷ lệ so với cùng kỳ "
                                     "thấp hơn (100,0 % so với 104,2 %)")
    assert first["key"] == [{"label": "Tỷ lệ so với cùng kỳ", "text": "104,2 %"}]
    assert second["key"] == [{"label": "Tỷ lệ so với cùng kỳ", "text": "100,0 %"}]
    _assert_ranked_quotes_are_visible(document)


def test_a_tie_broken_on_the_revenue_in_dong_shows_the_amounts():
    rules = PeriodRules(Decimal("81"), Decimal("81"), tie_decimals=0)
    # 95,0 and 95,1 % of the plan are equivalent at no places: the revenue in đồng decides.
    document = document_shown(_document([
        _office("AAA", health_last_year=90, revenue=950), _office("BBB", health_last_year=90, revenue=951),
    ], rules))
    first, second = document["standings"]
    assert [first["unit"], second["unit"]] == ["BBB", "AAA"]
    assert second["explanation"].endswith("số thu thấp hơn (950 đồng so với 951 đồng)")
    assert first["key"][-1] == second["key"][-1] | {"text": "951 đồng"} == {"label": "Số thu", "text": "951 đồng"}
    _assert_ranked_quotes_are_visible(document)


@settings(max_examples=examples(300))
@given(provinces(), period_rules)
def test_every_number_a_ranked_explanation_quotes_is_on_the_page(units, rules):
    _assert_ranked_quotes_are_visible(document_shown(_document(units, rules)))


@given(provinces(), period_rules)
def test_every_rate_an_unranked_explanation_reports_is_its_column(units, rules):
    # "BHYT đạt 78,3 %, cần 81 %": the value reached is the column's; the bound is a setting.
    document = document_shown(_document(units, rules))
    for row in document["standings"]:
        if row["rank"]:
            continue
        for reached in re.findall(r"(?:đạt|đóng|tính lãi) (-?\d[\d.]*(?:,\d+)? %)", row["explanation"]):
            assert reached in _visible(row, document), (reached, row["explanation"])
