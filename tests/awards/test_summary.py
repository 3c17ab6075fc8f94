"""The campaign summary: per unit and per person, decided prizes across periods."""

import datetime as dt

from awards import selectors
from awards.models import Dossier
from scoring.services import period_rollup

from .conftest import advance, full_dossier, report_period

State = Dossier.State


def test_only_approved_or_paid_dossiers_count(rolled, make_report):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.PAID)
    period2 = rolled.periods[1]
    report_period(rolled, make_report, period2)
    period_rollup(period=period2, user=rolled.compiler)  # a draft: not counted
    summary = selectors.campaign_summary(rolled.campaign)
    by_code = {row.unit.code: row for row in summary.units}
    assert set(by_code) == {"AAA", "BBB", "CCC", "TCHC", "KHTC"}
    assert by_code["AAA"].prizes == {"first": 1, "second": 0, "third": 0}
    assert (by_code["AAA"].amount, by_code["AAA"].individuals, by_code["AAA"].total) == (5_000_000, 3, 6_500_000)
    assert summary.total == 18_000_000
    assert len(summary.people) == 8


def test_prizes_add_up_across_periods(rolled, make_report):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    period2 = rolled.periods[1]
    report_period(rolled, make_report, period2)
    period_rollup(period=period2, user=rolled.compiler)
    rolled.dossier = Dossier.objects.get(period=period2)
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPRAISED)
    from awards import services

    services.dossier_approve(user=rolled.director, dossier=rolled.dossier, decision_number="150/QĐ-BHXH",
                             decision_date=rolled.periods[1].last_day + dt.timedelta(days=5))
    summary = selectors.campaign_summary(rolled.campaign)
    aaa = next(row for row in summary.units if row.unit.code == "AAA")
    assert aaa.prizes["first"] == 2 and aaa.amount == 10_000_000
    assert aaa.periods == ["Giải Nhất Tháng 10/2025", "Giải Nhất Tháng 11/2025"]
    top = summary.people[0]
    assert top.count == 2 and top.amount == 1_000_000
    assert summary.total == 36_000_000


def test_summary_queries_do_not_grow_with_prizes(rolled, django_assert_max_num_queries):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    with django_assert_max_num_queries(2):
        summary = selectors.campaign_summary(rolled.campaign)
        [(u.unit.name, u.periods) for u in summary.units]
        [(p.person.unit.name, p.periods) for p in summary.people]
