"""Vietnamese wording and number format of the explanations."""

from decimal import Decimal

from rules import explain, formatting


def test_numbers_use_comma_decimals_and_dot_thousands():
    assert formatting.format_number_as_written(Decimal("1234.5")) == "1.234,5"
    assert formatting.format_number_as_written(1234567) == "1.234.567"
    assert formatting.format_number_as_written(Decimal("-5.0")) == "-5,0"
    assert formatting.format_number_as_written(0) == "0"


def test_percent_has_a_space_before_the_sign():
    assert formatting.format_percent(Decimal("85.4")) == "85,4 %"
    assert formatting.format_percent(Decimal("1000.0")) == "1.000,0 %"


def test_undefined_percent_is_said_so():
    assert explain.percent_text(None) == "chưa xác định"


def test_bounds_are_shown_as_set_without_trailing_zeros():
    assert formatting.format_setting(Decimal("81")) == "81 %"
    assert formatting.format_setting(Decimal("3.50")) == "3,5 %"
    assert formatting.format_setting(Decimal("100")) == "100 %"
    assert formatting.format_setting(Decimal("100.0")) == "100 %"


def test_money_and_people():
    assert formatting.format_money(950_000) == "950.000 đồng"
    assert formatting.format_people(1000) == "1.000 người"


def test_missed_criteria_phrases():
    assert explain.scheme_rate_missed("BHYT", Decimal("78.3"), Decimal("81")) == (
        "BHYT đạt 78,3 %, cần 81 %"
    )
    assert explain.revenue_rate_missed(Decimal("75.0"), Decimal("81")) == (
        "Tỷ lệ thu đạt 75,0 %, cần 81 %"
    )
    assert explain.late_ratio_missed(Decimal("4.2"), Decimal("3.5")) == (
        "Tỷ lệ chậm đóng 4,2 %, trần 3,5 %"
    )
    assert explain.late_interest_ratio_missed(Decimal("1.2"), Decimal("1")) == (
        "Tỷ lệ chậm đóng phải tính lãi 1,2 %, trần 1 %"
    )
    assert explain.scheme_count_missed("BHXH tự nguyện", 1480, 1500).startswith(
        "BHXH tự nguyện có 1.480 người, cần 1.500 người"
    )


MINE = (Decimal("85.4"), Decimal("101.2"), Decimal("90.0"), Decimal("40.0"),
        Decimal("2.5"), 900_000, "DL02")
ABOVE = (Decimal("85.4"), Decimal("103.5"), Decimal("90.0"), Decimal("40.0"),
         Decimal("2.0"), 1_000_000, "DL01")


def test_below_on_the_first_step_names_only_that_step():
    mine = (Decimal("84.0"),) + MINE[1:]
    assert explain.below_unit_above(0, mine, ABOVE) == (
        "Tỷ lệ phát triển thấp hơn (84,0 % so với 85,4 %)"
    )


def test_below_on_a_later_step_names_the_equivalent_steps_first():
    assert explain.below_unit_above(1, MINE, ABOVE) == (
        "Tương đương tỷ lệ phát triển 85,4 % → tỷ lệ so với cùng kỳ thấp hơn "
        "(101,2 % so với 103,5 %)"
    )


def test_below_on_late_ratio_says_higher():
    assert explain.below_unit_above(4, MINE, ABOVE).endswith(
        "→ tỷ lệ chậm đóng cao hơn (2,5 % so với 2,0 %)"
    )


def test_below_on_revenue_shows_money():
    assert explain.below_unit_above(5, MINE, ABOVE).endswith(
        "→ số thu thấp hơn (900.000 đồng so với 1.000.000 đồng)"
    )


def test_below_on_code_says_all_equal():
    assert explain.below_unit_above(6, MINE, ABOVE).endswith(
        "→ bằng nhau ở mọi tiêu chí, xếp theo mã đơn vị (DL02 sau DL01)"
    )


def test_below_with_undefined_value():
    mine = (Decimal("85.4"), None) + MINE[2:]
    assert explain.below_unit_above(1, mine, ABOVE).endswith(
        "tỷ lệ so với cùng kỳ thấp hơn (chưa xác định so với 103,5 %)"
    )


def test_first_place():
    assert explain.first_place(Decimal("85.4")) == (
        "Đạt cả ba tiêu chí; đứng đầu theo thứ tự ưu tiên (tỷ lệ phát triển 85,4 %)"
    )
