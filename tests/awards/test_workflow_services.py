"""The dossier workflow: every transition, for every role, from every state.

Allowed: the transition's role (or an administrator) from one of its source states.
A wrong role is refused with PermissionDenied (403), whatever the state; a wrong state with
ValidationError; either way nothing changes.
"""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards import services
from awards.models import Dossier, DossierEvent, Payment
from awards.selectors import unpaid_recipients

from .conftest import COUNCIL_DATE, DECISION_DATE, advance, set_state

State = Dossier.State

CALLS = {
    "submit": lambda user, d: services.dossier_submit(user=user, dossier=d, comment="Kính trình"),
    "return": lambda user, d: services.dossier_return(user=user, dossier=d, comment="Bổ sung thành tích"),
    "appraise": lambda user, d: services.dossier_appraise(
        user=user, dossier=d, council_date=COUNCIL_DATE, council_minutes="05/BB-HĐTĐKT"),
    "approve": lambda user, d: services.dossier_approve(
        user=user, dossier=d, decision_number="123/QĐ-BHXH", decision_date=DECISION_DATE),
    # Finance's payment of every recipient at once: the last payment moves the dossier.
    "pay": lambda user, d: pay_all(user, d, dt.date(2025, 11, 10)),
}
ROLE_OF = {"submit": "compiler", "return": "appraiser", "appraise": "appraiser", "approve": "director",
           "pay": "finance"}
SOURCES = {
    "submit": (State.DRAFT, State.RETURNED),
    "return": (State.SUBMITTED,),
    "appraise": (State.SUBMITTED,),
    "approve": (State.APPRAISED,),
    "pay": (State.APPROVED,),
}
TARGET = {"submit": State.SUBMITTED, "return": State.RETURNED, "appraise": State.APPRAISED,
          "approve": State.APPROVED, "pay": State.PAID}
EVENT = {"submit": DossierEvent.Action.SUBMITTED, "return": DossierEvent.Action.RETURNED,
         "appraise": DossierEvent.Action.APPRAISED, "approve": DossierEvent.Action.APPROVED,
         "pay": DossierEvent.Action.PAID}
WHO = ["staff_a", "compiler", "appraiser", "director", "finance", "admin"]


def pay_all(user, dossier, paid_on, voucher="UNC 45"):
    unpaid = unpaid_recipients(dossier)
    return services.payments_record(
        user=user, dossier=dossier, paid_on=paid_on, voucher=voucher,
        line_ids=[r.pk for r in unpaid if r.kind == "line"],
        individual_ids=[r.pk for r in unpaid if r.kind == "individual"])


def snapshot_of(dossier):
    dossier.refresh_from_db()
    return (dossier.state, dossier.version, dossier.decision_number, dossier.council_minutes,
            Payment.objects.filter(line__dossier=dossier).count(), dossier.events.count())


class TestTransitionMatrix:
    """210 cases on one rolled-up province, built once for the class: each case's transition
    is rolled back after it, and set_state reloads the dossier before the case begins."""

    @pytest.mark.parametrize("state", list(State.values))
    @pytest.mark.parametrize("action", list(CALLS))
    @pytest.mark.parametrize("who", WHO)
    def test_transition_matrix(self, db, shared_rolled, who, action, state):
        dossier = set_state(shared_rolled.dossier, state)
        user = getattr(shared_rolled, who)
        before = snapshot_of(dossier)
        role_ok = who == "admin" or ROLE_OF[action] == who
        if not role_ok:
            with pytest.raises(PermissionDenied):
                CALLS[action](user, dossier)
            assert snapshot_of(dossier) == before
        elif state not in SOURCES[action]:
            with pytest.raises(ValidationError, match="Không thể"):
                CALLS[action](user, dossier)
            assert snapshot_of(dossier) == before
        else:
            CALLS[action](user, dossier)
            dossier.refresh_from_db()
            assert dossier.state == TARGET[action]
            assert dossier.version == before[1] + 1
            event = dossier.events.last()
            assert (event.action, event.from_state, event.to_state, event.actor) == (
                EVENT[action], state, TARGET[action], user)


def test_the_whole_path_records_who_when_and_why(rolled):
    dossier = rolled.dossier
    services.dossier_submit(user=rolled.compiler, dossier=dossier)
    services.dossier_return(user=rolled.appraiser, dossier=dossier, comment="Thiếu cá nhân giải Nhất")
    services.dossier_submit(user=rolled.compiler, dossier=dossier, comment="Đã bổ sung")
    services.dossier_appraise(user=rolled.appraiser, dossier=dossier, council_date=COUNCIL_DATE,
                              council_minutes="05/BB-HĐTĐKT", comment="Đủ điều kiện")
    services.dossier_approve(user=rolled.director, dossier=dossier, decision_number="123/QĐ-BHXH",
                             decision_date=DECISION_DATE)
    pay_all(rolled.finance, dossier, dt.date(2025, 11, 10), voucher="UNC 45 ngày 10/11/2025")
    dossier.refresh_from_db()
    assert dossier.state == State.PAID
    assert (dossier.council_date, dossier.council_minutes) == (COUNCIL_DATE, "05/BB-HĐTĐKT")
    assert (dossier.decision_number, dossier.decision_date, dossier.approved_by) == (
        "123/QĐ-BHXH", DECISION_DATE, rolled.director)
    assert {(p.paid_on, p.voucher, p.recorded_by) for p in Payment.objects.filter(line__dossier=dossier)} == {
        (dt.date(2025, 11, 10), "UNC 45 ngày 10/11/2025", rolled.finance)}
    events = [(e.action, e.actor.username if e.actor else None, e.comment) for e in dossier.events.all()]
    assert [e[:2] for e in events] == [
        ("created", "compiler"), ("submitted", "compiler"), ("returned", "appraiser"),
        ("submitted", "compiler"), ("appraised", "appraiser"), ("approved", "director"),
        ("payment", "finance"), ("paid", "finance"),
    ]
    assert events[2][2] == "Thiếu cá nhân giải Nhất"
    assert all(e.at for e in dossier.events.all())


def test_returning_needs_a_comment(rolled):
    advance(rolled, rolled.dossier, State.SUBMITTED)
    with pytest.raises(ValidationError, match="ý kiến"):
        services.dossier_return(user=rolled.appraiser, dossier=rolled.dossier, comment="  ")
    assert snapshot_of(rolled.dossier)[0] == State.SUBMITTED


def test_appraisal_needs_the_council_minutes(rolled):
    advance(rolled, rolled.dossier, State.SUBMITTED)
    with pytest.raises(ValidationError, match="biên bản"):
        services.dossier_appraise(user=rolled.appraiser, dossier=rolled.dossier, council_date=COUNCIL_DATE,
                                  council_minutes="")


@pytest.mark.parametrize("number", ["", "123", "QĐ-BHXH", "123/BHXH", "12a/QĐ-BHXH", "0/QĐ-BHXH",
                                    "000/QĐ-BHXH", "1٢٣/QĐ-BHXH"])
def test_approval_needs_a_decision_number_of_the_official_form(rolled, number):
    advance(rolled, rolled.dossier, State.APPRAISED)
    with pytest.raises(ValidationError, match="Số quyết định"):
        services.dossier_approve(user=rolled.director, dossier=rolled.dossier, decision_number=number,
                                 decision_date=DECISION_DATE)
    assert snapshot_of(rolled.dossier)[0] == State.APPRAISED


def test_a_decision_cannot_predate_the_council(rolled):
    advance(rolled, rolled.dossier, State.APPRAISED)
    with pytest.raises(ValidationError, match="trước ngày họp"):
        services.dossier_approve(user=rolled.director, dossier=rolled.dossier, decision_number="123/QĐ-BHXH",
                                 decision_date=COUNCIL_DATE - dt.timedelta(days=1))


def test_a_council_must_meet_after_the_month_it_judges(rolled):
    advance(rolled, rolled.dossier, State.SUBMITTED)
    with pytest.raises(ValidationError, match=r"phải sau ngày cuối của Tháng 10/2025 \(31/10/2025\)"):
        services.dossier_appraise(user=rolled.appraiser, dossier=rolled.dossier,
                                  council_date=dt.date(2025, 10, 31), council_minutes="05/BB-HĐTĐKT")
    assert snapshot_of(rolled.dossier)[0] == State.SUBMITTED


def test_no_step_can_record_a_date_still_to_come(rolled):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    advance(rolled, rolled.dossier, State.SUBMITTED)
    with pytest.raises(ValidationError, match="Ngày họp Hội đồng .* chưa đến"):
        services.dossier_appraise(user=rolled.appraiser, dossier=rolled.dossier,
                                  council_date=tomorrow, council_minutes="05/BB-HĐTĐKT")
    services.dossier_appraise(user=rolled.appraiser, dossier=rolled.dossier,
                              council_date=COUNCIL_DATE, council_minutes="05/BB-HĐTĐKT")
    with pytest.raises(ValidationError, match="Ngày ký quyết định .* chưa đến"):
        services.dossier_approve(user=rolled.director, dossier=rolled.dossier,
                                 decision_number="123/QĐ-BHXH", decision_date=tomorrow)
    services.dossier_approve(user=rolled.director, dossier=rolled.dossier,
                             decision_number="123/QĐ-BHXH", decision_date=DECISION_DATE)
    with pytest.raises(ValidationError, match="Ngày chi .* chưa đến"):
        pay_all(rolled.finance, rolled.dossier, tomorrow)
    assert snapshot_of(rolled.dossier)[0] == State.APPROVED
    # Today itself is fine.
    pay_all(rolled.finance, rolled.dossier, timezone.localdate())


def test_an_empty_dossier_cannot_be_submitted(cast):
    from scoring.services import period_rollup

    period_rollup(period=cast.period1, user=cast.compiler)
    dossier = Dossier.objects.get(period=cast.period1)
    with pytest.raises(ValidationError, match="chưa có tập thể"):
        services.dossier_submit(user=cast.compiler, dossier=dossier)


def test_a_second_press_from_a_stale_page_is_refused_and_leaves_one_event(rolled):
    advance(rolled, rolled.dossier, State.APPRAISED)
    first_tab = Dossier.objects.get(pk=rolled.dossier.pk)
    second_tab = Dossier.objects.get(pk=rolled.dossier.pk)  # both read "appraised"
    services.dossier_approve(user=rolled.director, dossier=first_tab, decision_number="123/QĐ-BHXH",
                             decision_date=DECISION_DATE)
    with pytest.raises(ValidationError, match="Đã phê duyệt"):
        services.dossier_approve(user=rolled.director, dossier=second_tab, decision_number="124/QĐ-BHXH",
                                 decision_date=DECISION_DATE)
    rolled.dossier.refresh_from_db()
    assert rolled.dossier.decision_number == "123/QĐ-BHXH"
    assert rolled.dossier.events.filter(action=DossierEvent.Action.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_pressing_at_once_give_one_transition(rolled):
    """Two threads, two connections, one barrier: exactly one submit goes through."""
    dossier_pk = rolled.dossier.pk
    barrier = threading.Barrier(2)
    outcomes = []

    def press():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.dossier_submit(user=rolled.compiler, dossier=Dossier.objects.get(pk=dossier_pk))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert DossierEvent.objects.filter(dossier_id=dossier_pk, action=DossierEvent.Action.SUBMITTED).count() == 1
