"""The finance page: the budget moves as dossiers are approved and paid."""

import pytest
from django.urls import reverse

from awards import services
from awards.models import Dossier
from awards.selectors import unpaid_recipients

from .conftest import advance, full_dossier, pay_everyone

State = Dossier.State


def figures(client, user):
    client.force_login(user)
    response = client.get(reverse("awards:budget"))
    assert response.status_code == 200
    return response.context["budget"], response.content.decode()


def test_finance_sees_the_budget_move(client, rolled):
    full_dossier(rolled)
    budget, body = figures(client, rolled.finance)
    assert (budget.proposed, budget.approved, budget.paid, budget.remaining) == (18_000_000, 0, 0, 54_000_000)
    assert "54.000.000" in body and "18.000.000" in body
    advance(rolled, rolled.dossier, State.APPROVED)
    budget, body = figures(client, rolled.finance)
    assert (budget.approved, budget.paid, budget.remaining) == (18_000_000, 0, 36_000_000)
    assert "36.000.000" in body
    pay_everyone(rolled, rolled.dossier, paid_on=rolled.dossier.decision_date)
    budget, _ = figures(client, rolled.finance)
    assert (budget.paid, budget.unpaid) == (18_000_000, 0)


@pytest.mark.parametrize("who", ["compiler", "appraiser", "director", "finance", "admin"])
def test_the_award_departments_see_the_budget(client, rolled, who):
    full_dossier(rolled)
    budget, body = figures(client, getattr(rolled, who))
    assert (budget.proposed, budget.remaining) == (18_000_000, 54_000_000)
    assert "18.000.000" in body and "54.000.000" in body


def test_unit_staff_do_not(client, rolled):
    client.force_login(rolled.staff_b)
    assert client.get(reverse("awards:budget")).status_code == 403


def test_the_page_lists_the_amount_of_every_level_of_the_ladder(client, rolled):
    from ..conftest import set_ladder

    set_ladder(rolled.campaign, (
        ("first", "Giải Nhất", 1, 6_000_000, 3),
        ("khuyen-khich", "Giải Khuyến khích", 2, 1_000_000, 0),
    ))
    _, body = figures(client, rolled.finance)
    assert "Mức thưởng: Giải Nhất 6.000.000, Giải Khuyến khích 1.000.000 đồng một tập thể; 500.000 đồng một cá nhân." in body


def test_the_page_shows_committed_and_paid_per_collective_and_person(client, rolled):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    first = unpaid_recipients(rolled.dossier)[0]
    services.payments_record(user=rolled.finance, dossier=rolled.dossier, line_ids=[first.pk],
                             paid_on=rolled.dossier.decision_date, voucher="UNC 45")
    _, body = figures(client, rolled.finance)
    assert "Tháng 10/2025: đã quyết định và đã chi từng tập thể, cá nhân" in body
    assert "còn 12/13 khoản chưa chi" in body
    row = body[body.index(first.name, body.index("budget-lines")):]
    assert row.index("5.000.000") < row.index("05/11/2025") < row.index("UNC 45") < row.index("chưa chi")
