"""The standings workbook (scoring/xlsx.py): what each cell holds and how Excel shows it."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from scoring.xlsx import export_standings

HEADER_ROW = 5
FIRST_SCHEME_COLUMN = 5  # after rank, code, name, report


def document(tie_decimals: int, *, actual: int, met: bool, rate: str) -> dict:
    scheme = {"scheme": "mandatory", "plan": 200_000, "base": 100_000, "actual": actual,
              "to_develop": 100_000, "applicable": True, "met": met, "rate": rate}
    others = [{"scheme": key, "plan": 10, "base": 0, "actual": 10, "to_develop": 10,
               "applicable": True, "met": True, "rate": "100" + ("." + "0" * tie_decimals if tie_decimals else "")}
              for key in ("voluntary", "health")]
    zero = "0" + ("." + "0" * tie_decimals if tie_decimals else "")
    return {
        "campaign": "T", "period": 1, "participant_threshold": "81", "revenue_threshold": "81",
        "tie_decimals": tie_decimals, "province": None, "awards": [],
        "standings": [{
            "unit": "AAA", "name": "BHXH cơ sở A", "kind": "local_office", "report": "submitted",
            "eligible": False, "rank": None,
            "criteria": {"participants": met, "revenue": True, "late": True},
            "metrics": {key: zero for key in ("participant_rate", "yoy_ratio", "revenue_rate",
                                               "nonpublic_share", "late_ratio", "late_interest_ratio")},
            "schemes": [scheme, *others], "explanation": "",
        }],
    }


def first_row(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [sheet.cell(row=HEADER_ROW + 1, column=column) for column in range(1, sheet.max_column + 1)]


def test_percentages_carry_the_campaigns_places():
    cells = first_row(export_standings(document(2, actual=190_000, met=True, rate="90.00"),
                                       title="t", subtitle="s"))
    scheme = cells[FIRST_SCHEME_COLUMN - 1]
    assert Decimal(str(scheme.value)) == 90 and scheme.number_format == "0.00"
    participant_rate = cells[FIRST_SCHEME_COLUMN + 2]
    assert participant_rate.number_format == "0.00"


def test_a_missed_rate_that_would_round_to_the_threshold_keeps_the_places_that_tell_them_apart():
    # 80.996 % at 2 places reads 81.00 beside "Không đạt"; the cell keeps 80.996.
    cells = first_row(export_standings(document(2, actual=180_996, met=False, rate="81.00"),
                                       title="t", subtitle="s"))
    scheme = cells[FIRST_SCHEME_COLUMN - 1]
    assert Decimal(str(scheme.value)) == Decimal("80.996") and scheme.number_format == "0.000"
    assert "Không đạt" in [c.value for c in cells]


def test_whole_percentages_have_no_decimal_point():
    cells = first_row(export_standings(document(0, actual=190_000, met=True, rate="90"),
                                       title="t", subtitle="s"))
    assert cells[FIRST_SCHEME_COLUMN - 1].number_format == "0"


def test_a_metric_with_stored_extra_places_is_written_with_them():
    doc = document(1, actual=190_000, met=True, rate="90.0")
    doc["standings"][0]["metrics"]["revenue_rate"] = "81.0"
    doc["standings"][0]["shown"] = {"revenue_rate": "80.96"}
    cells = first_row(export_standings(doc, title="t", subtitle="s"))
    revenue = cells[FIRST_SCHEME_COLUMN + 4]  # after the three schemes, participant rate, yoy
    assert Decimal(str(revenue.value)) == Decimal("80.96") and revenue.number_format == "0.00"


def test_a_unit_name_that_looks_like_a_formula_stays_text():
    doc = document(1, actual=190_000, met=True, rate="90.0")
    doc["standings"][0]["name"] = "=1+2"
    cells = first_row(export_standings(doc, title="t", subtitle="s"))
    assert cells[2].value == "=1+2" and cells[2].data_type == "s"
