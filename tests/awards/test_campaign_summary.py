"""The campaign summary for the annual review (awards.summary): each month's standings as its
snapshot stored them, the prizes the decisions gave, per unit, per person, and in total
against the budget."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from awards import services
from awards.models import Dossier
from awards.summary import campaign_summary
from campaign.models import Campaign, Report
from scoring.services import period_rollup

from .conftest import advance, full_dossier, report_period

State = Dossier.State


@pytest.fixture
def decided(rolled):
    """October decided (18.000.000 đồng: five collectives, eight people), nothing else yet."""
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    return rolled


def decide_november(cast, make_report):
    period = cast.periods[1]
    report_period(cast, make_report, period)
    period_rollup(period=period, user=cast.compiler)
    cast.dossier = Dossier.objects.get(period=period)
    full_dossier(cast)
    advance(cast, cast.dossier, State.APPRAISED)
    services.dossier_approve(user=cast.director, dossier=cast.dossier, decision_number="150/QĐ-BHXH",
                             decision_date=dt.date(2025, 12, 5))


def by_code(records):
    return {r.code: r for r in records}


def test_each_month_reads_the_rank_criteria_and_rates_its_snapshot_stored(decided):
    summary = campaign_summary(decided.campaign)
    october, november, december = summary.months
    assert [s.code for s in october.standings] == ["AAA", "BBB", "CCC"]
    assert [s.rank for s in october.standings] == [1, 2, 3]
    aaa = october.standings[0]
    assert aaa.criteria == {"C1": True, "C2": True, "C3": True}
    stored = decided.dossier.snapshot.document["standings"][0]
    assert aaa.rates["participant_rate"] == Decimal(stored["metrics"]["participant_rate"])
    assert aaa.rates["revenue_rate"] == Decimal(stored["metrics"]["revenue_rate"])
    assert (aaa.prize, aaa.amount, aaa.verdict) == ("Giải Nhất", 5_000_000, "Hạng 1")
    assert october.participant_threshold == Decimal("81")
    assert october.province.verdict == "Đạt đủ tiêu chí" and october.province.code == "QLT"
    assert october.status == "Quyết định số 123/QĐ-BHXH ngày 05/11/2025"
    assert not november.rolled_up and november.standings == [] and november.status == "Chưa tổng hợp"


def test_live_reports_edited_after_the_roll_up_change_nothing(decided):
    before = campaign_summary(decided.campaign).months[0].standings
    # Figures typed into the database behind the locked month's back (no service would):
    # the summary still reads what the month was judged on.
    Report.objects.filter(period=decided.period1, unit=decided.office_c).update(
        mandatory_actual=1, health_actual=1, revenue=100_000_000_000)
    after = campaign_summary(decided.campaign).months[0].standings
    assert after == before
    assert after[2].rank == 3 and after[2].criteria["C1"] is True


def test_a_month_rolled_up_but_not_decided_shows_its_standings_without_prizes(rolled):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPRAISED)
    october = campaign_summary(rolled.campaign).months[0]
    assert october.rolled_up and not october.decided
    assert [s.rank for s in october.standings] == [1, 2, 3]
    assert all(s.prize == "" and s.amount == 0 for s in october.standings)
    assert october.status == "Chờ quyết định khen thưởng (đã thẩm định, chờ phê duyệt)"
    assert october.total == 0 and campaign_summary(rolled.campaign).total == 0


def test_a_report_not_submitted_at_the_roll_up_shows_its_state_and_no_figures(awards_cast, make_report):
    Report.objects.filter(period=awards_cast.period1, unit=awards_cast.office_c).update(
        status=Report.Status.DRAFT, submitted_at=None)
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    october = campaign_summary(awards_cast.campaign).months[0]
    ccc = next(s for s in october.standings if s.code == "CCC")
    assert ccc.report == "draft" and ccc.rank is None
    assert ccc.criteria == {"C1": None, "C2": None, "C3": None}
    assert set(ccc.rates.values()) == {None}
    assert ccc.verdict == "Báo cáo chưa gửi"


def test_each_unit_reads_month_by_month_with_the_province_first(decided, make_report):
    decide_november(decided, make_report)
    summary = campaign_summary(decided.campaign)
    assert [r.code for r in summary.records] == ["QLT", "AAA", "BBB", "CCC"]
    province, aaa, bbb, ccc = summary.records
    assert province.is_province and [m.verdict if m else None for m in province.months] == [
        "Đạt đủ tiêu chí", "Đạt đủ tiêu chí", None]
    assert [m.verdict if m else None for m in aaa.months] == ["Hạng 1", "Hạng 1", None]
    assert [m.prize if m else None for m in ccc.months] == ["Giải Ba", "Giải Ba", None]
    assert (aaa.ranked_months, aaa.prize_count) == (2, 2)


def test_a_unit_that_missed_a_criterion_says_which(awards_cast):
    # B's late payments above its 3,5 % ceiling: C3 fails, B is not ranked.
    Report.objects.filter(period=awards_cast.period1, unit=awards_cast.office_b).update(late=20_000_000_000)
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    bbb = by_code(campaign_summary(awards_cast.campaign).records)["BBB"]
    standing = bbb.months[0]
    assert standing.rank is None and standing.failed == ["C3"]
    assert standing.verdict == "Chưa đạt C3"


def test_amounts_per_person_add_up_over_the_months(decided, make_report):
    decide_november(decided, make_report)
    summary = campaign_summary(decided.campaign)
    first = decided.people["AAA"][0]
    row = next(p for p in summary.people if p.person == first)
    assert (row.count, row.amount) == (2, 1_000_000)
    assert row.periods == ["Tháng 10/2025", "Tháng 11/2025"]
    assert sum(p.amount for p in summary.people) == summary.individual_amount == 2 * 8 * 500_000
    aaa = next(u for u in summary.units if u.unit.code == "AAA")
    assert (aaa.amount, aaa.individuals, aaa.individual_amount) == (10_000_000, 6, 3_000_000)


def test_totals_are_set_against_the_budget(decided, make_report):
    summary = campaign_summary(decided.campaign)
    assert (summary.collective_amount, summary.individual_amount) == (14_000_000, 4_000_000)
    assert (summary.total, summary.budget, summary.remaining) == (18_000_000, 54_000_000, 36_000_000)
    assert summary.budget_used == Fraction(1, 3)
    assert (summary.collectives, summary.individual_count) == (5, 8)
    decide_november(decided, make_report)
    Campaign.objects.filter(pk=decided.campaign.pk).update(budget=30_000_000)
    decided.campaign.refresh_from_db()
    summary = campaign_summary(decided.campaign)
    assert [m.total for m in summary.months] == [18_000_000, 18_000_000, 0]
    assert (summary.total, summary.remaining, summary.overrun) == (36_000_000, -6_000_000, 6_000_000)


def test_the_summary_is_complete_and_dated_once_every_month_is_decided(decided):
    summary = campaign_summary(decided.campaign)
    assert not summary.complete and summary.as_of == dt.date(2025, 11, 5)


def test_the_summary_reads_in_the_same_number_of_queries_whatever_its_size(
        decided, make_report, django_assert_num_queries):
    def read():
        summary = campaign_summary(decided.campaign)
        # Everything the page, the workbook and the PDF touch.
        for month in summary.months:
            [(line.unit.name, line.dossier.period.name) for line in month.lines]
            [(i.person.full_name, i.person.unit.name, i.line.unit.name) for i in month.individuals]
            assert month.status
        [(u.unit.name, u.periods) for u in summary.units]
        [(p.person.unit.name, p.periods) for p in summary.people]
        return summary

    # The ladder, the periods, the snapshots, the dossiers, the lines, the individuals, the
    # local offices' order, and whether the campaign has finished.
    with django_assert_num_queries(8):
        read()
    decide_november(decided, make_report)
    with django_assert_num_queries(8):
        summary = read()
    assert summary.total == 36_000_000
