"""A campaign's definition file (campaign/definition.py): read whole, every error at once with
its key, written back to the same definition. Pure: no database."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from campaign.definition import DefinitionError, dump, load, parse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "campaigns"

NEXT = """
code = "NUOCRUT2030"
name = "Phong trào thử"
year = 2030
launch_date = 2030-09-15
end_date = 2030-12-31
budget = 120000000
individual_amount = 700000
legal_basis = ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]
dispatch = { number = "1234/BHXH-TCHC", date = 2030-09-15 }

[[prizes]]
key = "first"
name = "Giải Nhất"
count = 1
amount = 6000000
individuals = 3

[[prizes]]
key = "khuyen-khich"
name = "Giải Khuyến khích"
count = 2
amount = 1000000
individuals = 0

[[periods]]
number = 1
name = "Tháng 9/2030"
first_day = 2030-09-15
last_day = 2030-09-30
participant_threshold = "70"
revenue_threshold = "70.5"
rollup_due = 2030-10-05T07:00:00+07:00

[[periods]]
number = 2
name = "Tháng 10/2030"
first_day = 2030-10-01
last_day = 2030-10-31
participant_threshold = "80"
revenue_threshold = "80"
rollup_due = 2030-11-05T07:00:00+07:00
"""


def test_a_complete_definition_reads_into_its_settings():
    d = load(NEXT)
    assert d.code == "NUOCRUT2030"
    assert d.baseline_date == dt.date(2029, 12, 31)  # default: 31/12 of the year before
    assert d.tie_decimals == 1
    assert d.dispatch_number == "1234/BHXH-TCHC"
    assert [p.key for p in d.prizes] == ["first", "khuyen-khich"]
    assert d.periods[0].revenue_threshold == Decimal("70.5")
    assert d.periods[1].rollup_due.utcoffset() == dt.timedelta(hours=7)


def test_the_demo_campaign_file_reads_without_error_or_warning():
    parsed = parse((FIXTURES / "nuocrut2025.toml").read_text(encoding="utf-8"))
    assert parsed.errors == []
    assert parsed.warnings == []
    assert parsed.definition.monthly_cost() == 18_000_000


def test_a_definition_written_back_reads_as_the_same_definition():
    d = load(NEXT)
    assert load(dump(d)) == d


def test_every_error_is_reported_at_once_with_its_key():
    broken = (
        NEXT.replace('participant_threshold = "70"', 'participant_threshold = "120"')
        .replace("first_day = 2030-10-01", "first_day = 2030-09-20")
        .replace("budget = 120000000", "budget = 1.5e8")
        .replace('key = "khuyen-khich"', 'key = "Khuyến khích"')
    )
    parsed = parse(broken)
    assert parsed.definition is None
    keys = [e.split(":")[0] for e in parsed.errors]
    assert keys == ["budget", "prizes[2].key", "periods[1].participant_threshold", "periods[2].first_day"]
    assert "số nguyên" in parsed.errors[0]
    assert "chồng lên kỳ trước" in parsed.errors[3]


def test_a_gap_between_periods_is_refused():
    parsed = parse(NEXT.replace("first_day = 2030-10-01", "first_day = 2030-10-03"))
    assert parsed.errors == ["periods[2].first_day: để trống từ 01/10/2030: các kỳ phải liền nhau."]


def test_periods_numbered_out_of_order_are_refused():
    parsed = parse(NEXT.replace("number = 2", "number = 3"))
    assert parsed.errors[0].startswith("periods[2].number:")


def test_a_misspelt_key_is_named_rather_than_ignored():
    parsed = parse(NEXT.replace("tie_decimals", "x").replace("budget =", "budjet =", 1))
    assert "budjet: khóa không có trong định dạng (gõ nhầm?)." in parsed.errors
    assert "budget: thiếu." in parsed.errors


def test_a_rollup_due_before_the_period_ends_is_refused():
    parsed = parse(NEXT.replace("rollup_due = 2030-10-05T07:00:00+07:00", "rollup_due = 2030-09-30T07:00:00+07:00"))
    assert parsed.errors == ["periods[1].rollup_due: hạn tổng hợp phải sau ngày cuối kỳ 30/09/2030."]


def test_a_rollup_due_without_a_time_zone_is_refused():
    parsed = parse(NEXT.replace("2030-10-05T07:00:00+07:00", "2030-10-05T07:00:00"))
    assert parsed.errors[0].startswith("periods[1].rollup_due: phải là ngày giờ có múi giờ")


def test_a_ladder_costing_more_than_the_budget_is_a_warning_not_a_refusal():
    parsed = parse(NEXT.replace("budget = 120000000", "budget = 10000000"))
    assert parsed.errors == []
    assert parsed.definition is not None
    # 2 periods × (6.000.000 + 3 × 700.000 + 2 × 1.000.000) = 20.200.000
    assert parsed.warnings == [
        "budget: thang giải có thể tốn tới 20.200.000 đồng cho 2 kỳ, nhiều hơn kinh phí 10.000.000 đồng."
    ]


def test_text_that_is_not_toml_says_so():
    parsed = parse('code = "X')
    assert parsed.definition is None
    assert parsed.errors[0].startswith("Tệp không đúng cú pháp TOML")


def test_load_raises_with_every_reason():
    with pytest.raises(DefinitionError) as caught:
        load("code = 'x'")
    assert len(caught.value.errors) > 3
