"""R16: what the campaign's budget has proposed, approved and paid; an approval past it is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards import selectors, services
from awards.models import Dossier
from scoring.services import period_rollup

from .conftest import DECISION_DATE, advance, full_dossier, pay_everyone, report_period

State = Dossier.State


def test_the_full_dossier_costs_eighteen_million(rolled):
    full_dossier(rolled)
    # 5 + 3 + 2 + 2 + 2 million for the collectives, 8 × 500.000 for the individuals.
    assert selectors.dossier_total(rolled.dossier) == 18_000_000


def test_an_approval_past_the_budget_is_refused_with_the_figures(rolled):
    full_dossier(rolled)
    rolled.campaign.budget = 15_000_000
    rolled.campaign.save(update_fields=["budget"])
    advance(rolled, rolled.dossier, State.APPRAISED)
    with pytest.raises(ValidationError) as refused:
        services.dossier_approve(user=rolled.director, dossier=rolled.dossier, decision_number="123/QĐ-BHXH",
                                 decision_date=DECISION_DATE)
    message = refused.value.messages[0]
    assert "15.000.000 đồng" in message  # the budget
    assert "đã phê duyệt 0 đồng" in message
    assert "hồ sơ này 18.000.000 đồng" in message
    assert "vượt 3.000.000 đồng" in message
    rolled.dossier.refresh_from_db()
    assert rolled.dossier.state == State.APPRAISED and not rolled.dossier.decision_number


def test_earlier_approvals_count_against_the_budget(rolled, make_report):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.PAID)  # 18.000.000 committed and paid
    rolled.campaign.budget = 30_000_000
    rolled.campaign.save(update_fields=["budget"])
    period2 = rolled.periods[1]
    report_period(rolled, make_report, period2)
    period_rollup(period=period2, user=rolled.compiler)
    second = Dossier.objects.get(period=period2)
    rolled.dossier = second
    full_dossier(rolled)
    advance(rolled, second, State.APPRAISED)
    with pytest.raises(ValidationError, match="đã phê duyệt 18.000.000 đồng.*vượt 6.000.000 đồng"):
        services.dossier_approve(user=rolled.director, dossier=second, decision_number="150/QĐ-BHXH",
                                 decision_date=dt.date(2025, 12, 5))


def test_an_approval_within_the_budget_goes_through(rolled):
    full_dossier(rolled)
    rolled.campaign.budget = 18_000_000  # exactly enough
    rolled.campaign.save(update_fields=["budget"])
    advance(rolled, rolled.dossier, State.APPROVED)


def test_overview_per_period_and_in_total(rolled, make_report):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    period2 = rolled.periods[1]
    report_period(rolled, make_report, period2)
    period_rollup(period=period2, user=rolled.compiler)  # a draft of 10.000.000
    budget = selectors.budget_overview(rolled.campaign)
    rows = [(r.period.number, r.proposed, r.approved, r.paid) for r in budget.rows]
    assert rows == [(1, 18_000_000, 18_000_000, 0), (2, 10_000_000, 0, 0), (3, 0, 0, 0)]
    assert (budget.budget, budget.proposed, budget.approved, budget.paid) == (
        54_000_000, 28_000_000, 18_000_000, 0)
    assert budget.remaining == 36_000_000
    assert budget.remaining_if_all_approved == 26_000_000
    pay_everyone(rolled, rolled.dossier, paid_on=dt.date(2025, 11, 12))
    budget = selectors.budget_overview(rolled.campaign)
    assert (budget.paid, budget.unpaid, budget.rows[0].paid) == (18_000_000, 0, 18_000_000)


def test_cancelled_dossiers_count_for_nothing(rolled):
    from scoring.services import period_reopen

    period_reopen(period=rolled.period1, user=rolled.compiler, reason="Sửa số liệu")
    assert selectors.budget_overview(rolled.campaign).proposed == 0


def test_overview_queries_do_not_grow_with_periods(rolled, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        budget = selectors.budget_overview(rolled.campaign)
        [r.proposed for r in budget.rows]

