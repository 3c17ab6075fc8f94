"""The roll-up's document says what the province totals cover and, while reports are
missing, the like-for-like rates (rules/province.py); R12's verdict stays on the sums."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from campaign.models import Report
from scoring.rollup import build_rollup

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "scoring" / "rollup.schema.json").read_text())

# The collection department's own part of the cast's province target is 1.500 / 500 people
# (mandatory) and 20 billion đồng; its report develops 900 of its 1.000.
QLT_OWN = {"mandatory_actual": 1_400, "voluntary_actual": 500, "health_actual": 10_000,
           "mandatory_last_year": 1_300, "voluntary_last_year": 500, "health_last_year": 9_900,
           "revenue": 18_000_000_000, "nonpublic_revenue": 0, "due": 18_000_000_000,
           "late": 0, "late_interest": 0}


@pytest.fixture
def one_draft(cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b)
    make_report(cast.period1, cast.office_c, status=Report.Status.DRAFT)
    make_report(cast.period1, cast.qlt, **QLT_OWN)
    return cast


def test_the_document_counts_the_units_in_the_totals(one_draft):
    coverage = build_rollup(one_draft.period1).document["coverage"]
    assert {k: coverage[k] for k in ("expected", "submitted", "draft", "missing", "complete")} == {
        "expected": 4, "submitted": 3, "draft": 1, "missing": 0, "complete": False}
    assert coverage["department"] == "submitted"  # its own part, in the totals


def test_the_like_for_like_rates_are_the_sent_reports_over_the_same_units_targets(one_draft):
    like = build_rollup(one_draft.period1).document["coverage"]["like_for_like"]
    # Mandatory: (9.000 + 9.000 + 1.400 − 17.500) / (20.500 − 17.500) = 63,3 %; voluntary
    # 1.200 / 2.000; health 10.000 / 20.000; revenue 478 / 540 billion.
    assert [(s["scheme"], s["rate"]) for s in like["schemes"]] == [
        ("mandatory", "63.3"), ("voluntary", "60.0"), ("health", "50.0")]
    assert like["participant_rate"] == "57.8" and like["revenue_rate"] == "88.5"
    assert like["units"] == 3


def test_r12_still_judges_the_sums_and_the_explanation_quotes_none_of_their_rates(one_draft):
    province = build_rollup(one_draft.period1).document["province"]
    # The sums over the whole province target: C's draft counts as nothing.
    assert province["schemes"][0]["rate"] == "-165.0" and province["criteria"]["participants"] is False
    assert province["explanation"].startswith("Chưa đủ báo cáo (3/4 đơn vị đã gửi); khi tổng hợp, "
                                              "báo cáo chưa gửi (thiếu hoặc bản nháp) được tính bằng 0")
    assert "%" not in province["explanation"]


def test_the_document_with_coverage_still_follows_the_schema(one_draft):
    jsonschema.validate(build_rollup(one_draft.period1).document, SCHEMA)


def test_with_every_report_in_there_is_no_like_for_like_and_the_explanation_is_the_rules(one_draft):
    Report.objects.filter(unit=one_draft.office_c).update(status=Report.Status.SUBMITTED,
                                                          submitted_at=timezone.now())
    document = build_rollup(one_draft.period1).document
    assert document["coverage"]["complete"] and document["coverage"]["like_for_like"] is None
    assert document["province"]["explanation"].startswith("BHXH bắt buộc đạt")


def test_every_standing_carries_its_revenue_for_the_ranking_key(one_draft):
    document = build_rollup(one_draft.period1).document
    revenues = {row["unit"]: row["revenue"] for row in document["standings"]}
    assert revenues == {"AAA": 230_000_000_000, "BBB": 230_000_000_000, "CCC": 230_000_000_000}
    assert document["province"]["revenue"] == 478_000_000_000
