from scoring.templatetags.scoring_tags import scheme_rate_text, shown_metric

DOCUMENT = {"tie_decimals": 1, "participant_threshold": "81"}


def entry(actual: int, met: bool, rate: str) -> dict:
    # Base 90.000, 10.000 to develop: the rate is (actual − 90.000) / 10.000.
    return {"scheme": "health", "plan": 100_000, "base": 90_000, "actual": actual,
            "to_develop": 10_000, "applicable": True, "met": met, "rate": rate}


def test_a_met_rate_is_shown_at_the_campaigns_places():
    assert scheme_rate_text(entry(99_123, True, "91.2"), DOCUMENT) == "91,2 %"


def test_a_missed_rate_that_rounds_to_the_threshold_shows_the_places_that_tell_them_apart():
    # 80,96 % rounds to 81,0 %: beside a ✗ it must not read as the threshold.
    assert scheme_rate_text(entry(98_096, False, "81.0"), DOCUMENT) == "80,96 %"


def test_a_missed_rate_clearly_below_is_shown_as_rounded():
    assert scheme_rate_text(entry(95_000, False, "50.0"), DOCUMENT) == "50,0 %"


def test_with_two_places_a_missed_rate_gets_a_third_when_it_needs_one():
    # 80.999 / 100.000 to develop = 80,999 %, which reads 81,00 % at two places.
    near = {"scheme": "health", "plan": 190_000, "base": 90_000, "actual": 170_999,
            "to_develop": 100_000, "applicable": True, "met": False, "rate": "81.00"}
    assert scheme_rate_text(near, DOCUMENT | {"tie_decimals": 2}) == "80,999 %"


def test_a_met_rate_that_rounds_below_the_threshold_shows_the_places_that_tell_them_apart():
    # 80,941 % against a threshold of 80,94 %: met, but "80,9 %" would read below it.
    met = {"scheme": "health", "plan": 190_000, "base": 90_000, "actual": 170_941,
           "to_develop": 100_000, "applicable": True, "met": True, "rate": "80.9"}
    assert scheme_rate_text(met, {"tie_decimals": 1, "participant_threshold": "80.94"}) == "80,941 %"


def test_shown_metric_prefers_the_stored_places_where_rounding_would_mislead():
    row = {"metrics": {"revenue_rate": "81.0", "late_ratio": "2.5"}, "shown": {"revenue_rate": "80.96"}}
    assert shown_metric(row, "revenue_rate") == "80,96 %"
    assert shown_metric(row, "late_ratio") == "2,5 %"
    assert shown_metric({"metrics": {"late_ratio": None}}, "late_ratio") == "–"
