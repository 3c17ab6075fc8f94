"""Finance pays a decided dossier recipient by recipient: each collective and each person once,
the decided amount, on a day and a voucher; the dossier is paid when every one of them is. A
mistaken entry is cancelled with its reason and stays on record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from awards import selectors, services
from awards.models import Dossier, IssuedDecision, Payment
from awards.selectors import unpaid_recipients
from campaign import lifecycle
from campaign.models import Period

from .conftest import advance, full_dossier, pay_everyone

State = Dossier.State
PAID_ON = dt.date(2025, 11, 10)


@pytest.fixture
def approved(rolled):
    """The full October dossier (5 collectives, 8 persons, 18.000.000 đồng) approved."""
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    return rolled


def ids(recipients, kind):
    return [r.pk for r in recipients if r.kind == kind]


def record(cast, *, lines=(), individuals=(), paid_on=PAID_ON, voucher="UNC 45", user=None):
    return services.payments_record(user=user or cast.finance, dossier=cast.dossier, line_ids=lines,
                                    individual_ids=individuals, paid_on=paid_on, voucher=voucher)


def state(cast):
    cast.dossier.refresh_from_db()
    return cast.dossier.state


def test_collectives_then_persons_paid_the_dossier_is_paid_with_the_last(approved):
    recipients = unpaid_recipients(approved.dossier)
    assert [r.kind for r in recipients] == ["line"] * 5 + ["individual"] * 8
    record(approved, lines=ids(recipients, "line"), voucher="UNC 45 ngày 10/11/2025")
    assert state(approved) == State.APPROVED
    assert len(unpaid_recipients(approved.dossier)) == 8
    record(approved, individuals=ids(recipients, "individual"), voucher="PC 12", paid_on=dt.date(2025, 11, 12))
    assert state(approved) == State.PAID
    payments = Payment.objects.filter(cancelled_at__isnull=True)
    assert payments.count() == 13
    assert sum(p.amount for p in payments) == 18_000_000
    assert {(p.voucher, p.paid_on) for p in payments if p.individual_id} == {("PC 12", dt.date(2025, 11, 12))}
    events = [(e.action, e.from_state, e.to_state, e.actor) for e in approved.dossier.events.all()][-3:]
    assert events == [
        ("payment", "", State.APPROVED, approved.finance),
        ("payment", "", State.APPROVED, approved.finance),
        ("paid", State.APPROVED, State.PAID, approved.finance),
    ]
    assert approved.dossier.events.filter(action="payment").first().comment == (
        "Chi 5 tập thể, 14.000.000 đồng, ngày 10/11/2025, chứng từ UNC 45 ngày 10/11/2025.")


def test_each_payment_is_the_decided_amount_whole_dong(approved):
    recipients = unpaid_recipients(approved.dossier)
    record(approved, lines=ids(recipients, "line"), individuals=ids(recipients, "individual"))
    for r in selectors.recipients_of([approved.dossier.pk])[approved.dossier.pk]:
        assert r.payment.amount == r.amount and isinstance(r.payment.amount, int)


def test_a_recipient_cannot_be_paid_twice_and_nothing_is_written(approved):
    first = unpaid_recipients(approved.dossier)[0]
    record(approved, lines=[first.pk])
    events = approved.dossier.events.count()
    with pytest.raises(ValidationError, match=r"Không ghi nhận hai lần: BHXH cơ sở A \(Giải Nhất\) đã chi "
                                              r"ngày 10/11/2025, chứng từ UNC 45"):
        record(approved, lines=[first.pk, unpaid_recipients(approved.dossier)[0].pk])
    assert Payment.objects.count() == 1 and approved.dossier.events.count() == events


def test_the_database_refuses_a_second_standing_payment_of_a_line(approved):
    line = approved.dossier.lines.first()
    Payment.objects.create(line=line, amount=line.amount, paid_on=PAID_ON)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(line=line, amount=line.amount, paid_on=PAID_ON)


@pytest.mark.parametrize("who", ["staff_a", "compiler", "appraiser", "director"])
def test_only_finance_records_or_cancels_a_payment(approved, who):
    recipients = unpaid_recipients(approved.dossier)
    with pytest.raises(PermissionDenied, match="Phòng Kế hoạch - Tài chính"):
        record(approved, lines=ids(recipients, "line"), user=getattr(approved, who))
    [payment] = record(approved, lines=ids(recipients, "line")[:1])
    with pytest.raises(PermissionDenied, match="Phòng Kế hoạch - Tài chính"):
        services.payment_cancel(user=getattr(approved, who), payment=payment, reason="Nhầm")
    assert Payment.objects.filter(cancelled_at__isnull=True).count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"paid_on": dt.date(2025, 11, 4)}, r"Ngày chi \(04/11/2025\) không được trước ngày quyết định"),
    ({"paid_on": None}, "Phải ghi ngày chi"),
    ({"paid_on": dt.date(2999, 1, 1)}, "chưa đến"),
    ({"voucher": "  "}, "Phải ghi số, ngày chứng từ chi"),
    ({"voucher": "x" * 101}, "dài quá 100 ký tự"),
    ({"lines": (), "individuals": ()}, "Chưa chọn tập thể, cá nhân nào"),
    ({"lines": (999_999,)}, "không thuộc hồ sơ này"),
])
def test_a_wrong_entry_is_refused_with_its_reason(approved, change, message):
    arguments = {"lines": ids(unpaid_recipients(approved.dossier), "line")} | change
    with pytest.raises(ValidationError, match=message):
        record(approved, **arguments)
    assert not Payment.objects.exists()


def test_a_recipient_of_another_dossier_is_refused(approved, make_report):
    from scoring.services import period_rollup

    from .conftest import report_period

    report_period(approved, make_report, approved.periods[1])
    period_rollup(period=approved.periods[1], user=approved.compiler)
    other_line = Dossier.objects.get(period=approved.periods[1]).lines.first()
    with pytest.raises(ValidationError, match="không thuộc hồ sơ này"):
        record(approved, lines=[other_line.pk])


@pytest.mark.parametrize("before", [State.DRAFT, State.SUBMITTED, State.APPRAISED])
def test_an_undecided_dossier_cannot_be_paid(rolled, before):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, before)
    with pytest.raises(ValidationError, match="chỉ chi trả theo quyết định khen thưởng đã được phê duyệt"):
        record(rolled, lines=ids(unpaid_recipients(rolled.dossier), "line"))


def test_paying_changes_neither_the_decision_nor_its_lists(approved):
    issued = IssuedDecision.objects.get(dossier=approved.dossier)
    lines = list(approved.dossier.lines.values_list("pk", "amount", "prize_name"))
    pay_everyone(approved, approved.dossier, paid_on=PAID_ON)
    assert IssuedDecision.objects.get(pk=issued.pk).sha256 == issued.sha256
    assert bytes(IssuedDecision.objects.get(pk=issued.pk).content) == bytes(issued.content)
    assert list(approved.dossier.lines.values_list("pk", "amount", "prize_name")) == lines


def test_a_mistaken_payment_is_cancelled_with_its_reason_kept_and_paid_again(approved):
    pay_everyone(approved, approved.dossier, paid_on=PAID_ON)
    assert state(approved) == State.PAID
    wrong = Payment.objects.filter(individual__isnull=False).first()
    with pytest.raises(ValidationError, match="Phải ghi lý do"):
        services.payment_cancel(user=approved.finance, payment=wrong, reason=" ")
    services.payment_cancel(user=approved.finance, payment=wrong, reason="Ghi nhầm chứng từ, đúng là PC 13")
    wrong.refresh_from_db()
    assert (wrong.cancelled_by, wrong.cancel_reason) == (approved.finance, "Ghi nhầm chứng từ, đúng là PC 13")
    assert wrong.cancelled_at is not None and wrong.voucher == "UNC 45"  # kept as it was
    assert state(approved) == State.APPROVED
    event = approved.dossier.events.last()
    assert (event.action, event.from_state, event.to_state) == ("unpaid", State.PAID, State.APPROVED)
    assert "Lý do: Ghi nhầm chứng từ, đúng là PC 13" in event.comment
    assert [r.individual for r in unpaid_recipients(approved.dossier)] == [wrong.individual]
    with pytest.raises(ValidationError, match="đã được hủy"):
        services.payment_cancel(user=approved.finance, payment=wrong, reason="Lần nữa")
    record(approved, individuals=[wrong.individual_id], voucher="PC 13")
    assert state(approved) == State.PAID
    assert Payment.objects.filter(individual=wrong.individual).count() == 2  # the cancelled one stays


def test_cancelling_on_a_dossier_still_being_paid_keeps_it_approved(approved):
    [payment] = record(approved, lines=ids(unpaid_recipients(approved.dossier), "line")[:1])
    services.payment_cancel(user=approved.finance, payment=payment, reason="Nhầm đơn vị")
    assert state(approved) == State.APPROVED
    event = approved.dossier.events.last()
    assert (event.action, event.from_state, event.to_state) == ("unpaid", "", State.APPROVED)


def test_the_campaign_finishes_with_its_last_payment_and_then_nothing_is_cancelled(approved):
    Period.objects.filter(campaign=approved.campaign).update(status=Period.Status.LOCKED)
    recipients = unpaid_recipients(approved.dossier)
    assert not selectors.payment_outcome(approved.dossier, 12).finishes_campaign
    assert selectors.payment_outcome(approved.dossier, 13).finishes_campaign
    record(approved, lines=ids(recipients, "line"), individuals=ids(recipients, "individual")[:-1])
    assert not lifecycle.campaign_is_finished(approved.campaign)  # one person still to be paid
    record(approved, individuals=ids(recipients, "individual")[-1:])
    assert lifecycle.campaign_is_finished(approved.campaign)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.payment_cancel(user=approved.finance, payment=Payment.objects.first(), reason="Nhầm")


def test_a_dossier_is_paid_exactly_when_each_recipient_is(approved):
    recipients = unpaid_recipients(approved.dossier)
    for recipient in recipients:
        assert state(approved) == State.APPROVED
        record(approved, **{"lines" if recipient.kind == "line" else "individuals": [recipient.pk]})
    assert state(approved) == State.PAID


def test_the_budget_shows_committed_and_paid_per_recipient(approved):
    recipients = unpaid_recipients(approved.dossier)
    record(approved, lines=ids(recipients, "line")[:2])
    row = selectors.budget_overview(approved.campaign, per_recipient=True).rows[0]
    assert (row.approved, row.paid, row.unpaid, row.unpaid_count) == (18_000_000, 8_000_000, 10_000_000, 11)
    assert [(r.name, r.amount, r.paid) for r in row.recipients[:3]] == [
        ("BHXH cơ sở A", 5_000_000, 5_000_000), ("BHXH cơ sở B", 3_000_000, 3_000_000),
        ("BHXH cơ sở C", 2_000_000, 0)]


def test_the_budget_queries_do_not_grow_with_recipients(approved, django_assert_max_num_queries):
    pay_everyone(approved, approved.dossier, paid_on=PAID_ON)
    with django_assert_max_num_queries(7):
        budget = selectors.budget_overview(approved.campaign, per_recipient=True)
        assert [(r.name, r.paid) for row in budget.rows for r in row.recipients]


# --- the pages ------------------------------------------------------------------------------------

def dossier_page(client, user, dossier):
    client.force_login(user)
    return client.get(reverse("awards:dossier", args=[dossier.pk])).content.decode()


def test_finance_ticks_recipients_on_the_dossier_page_and_the_others_only_read(client, approved):
    body = dossier_page(client, approved.finance, approved.dossier)
    assert 'id="chi-tra"' in body and body.count('form="payment-form"') == 13
    assert "Ghi nhận đã chi trả" in body
    for who in ("compiler", "director", "appraiser"):
        body = dossier_page(client, getattr(approved, who), approved.dossier)
        assert 'id="chi-tra"' in body and 'form="payment-form"' not in body and "Hủy khoản chi" not in body


def test_a_cancelled_entry_is_listed_with_who_and_why(client, approved):
    [payment] = record(approved, lines=ids(unpaid_recipients(approved.dossier), "line")[:1])
    client.force_login(approved.finance)
    response = client.post(reverse("awards:payment_cancel", args=[approved.dossier.pk]),
                           {"payment": payment.pk, "reason": "Nhầm ngày chi"}, follow=True)
    body = response.content.decode()
    assert "Đã hủy khoản chi" in body
    assert 'id="cancelled-payments"' in body and "Nhầm ngày chi" in body


def test_cancelling_a_payment_not_of_the_dossier_is_not_found(client, approved):
    [payment] = record(approved, lines=ids(unpaid_recipients(approved.dossier), "line")[:1])
    client.force_login(approved.finance)
    response = client.post(reverse("awards:payment_cancel", args=[approved.dossier.pk]),
                           {"payment": payment.pk + 1000, "reason": "Nhầm"})
    assert response.status_code == 404
    assert Payment.objects.get(pk=payment.pk).cancelled_at is None


def test_finance_home_lists_each_unpaid_recipient_and_drops_the_paid(client, approved):
    client.force_login(approved.finance)
    body = client.get(reverse("home")).content.decode()
    assert "Chi trả tiền thưởng theo hồ sơ Tháng 10/2025: còn 5 tập thể và 8 cá nhân chưa chi, 18.000.000 đồng" in body
    assert "BHXH cơ sở A (Giải Nhất): 5.000.000 đồng" in body
    record(approved, lines=ids(unpaid_recipients(approved.dossier), "line"))
    body = client.get(reverse("home")).content.decode()
    assert "còn 8 cá nhân chưa chi, 4.000.000 đồng" in body
    assert "BHXH cơ sở A (Giải Nhất)" not in body
    assert body.count("): 500.000 đồng") == 8


def test_finance_home_queries_do_not_grow_with_recipients(approved):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard.worklist import items_for
    from units.models import Person

    def count():
        with CaptureQueriesContext(connection) as captured:
            items_for(approved.finance, approved.campaign)
        return len(captured.captured_queries)

    count()  # the first call warms what is read once a process
    few = count()
    # More people on the decided lists (test setup only: no service adds them after approval).
    line = approved.dossier.lines.first()
    for n in range(5):
        person = Person.objects.create(full_name=f"Trần Thị {n}", unit=line.unit, title="Viên chức")
        line.individuals.create(person=person, achievement="Vận động", slot=10 + n, quota=20, amount=500_000)
    assert count() == few


def test_the_decided_dossier_page_queries_do_not_grow_with_recipients_or_payments(client, approved):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        dossier_page(client, approved.finance, approved.dossier)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            dossier_page(client, approved.finance, approved.dossier)
        return len(captured)

    before = queries()
    [payment] = record(approved, lines=ids(unpaid_recipients(approved.dossier), "line")[:1])
    services.payment_cancel(user=approved.finance, payment=payment, reason="Nhầm")
    record(approved, lines=ids(unpaid_recipients(approved.dossier), "line"),
           individuals=ids(unpaid_recipients(approved.dossier), "individual")[:4])
    assert queries() == before
