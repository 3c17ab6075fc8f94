"""The roll-up task in-process (eager, as with no broker): runs, retries, refusals, e-mails.

The same task through Redis and a real worker: tests/celery/.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import override_settings

from campaign.models import Period, Target
from scoring.access import NO_REQUESTER
from scoring.models import RollupRun, Snapshot
from scoring.runs import ALREADY_ROLLED_UP, run_execute
from scoring.services import period_rollup
from scoring.signals import snapshot_created
from scoring.tasks import rollup_period, run_enqueue
from units.models import Role


@pytest.fixture
def reported(cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, health_actual=99_000)
    for who, address in ((cast.compiler, "qlt@example.vn"), (cast.appraiser, "tchc@example.vn"),
                         (cast.staff_a, "aaa@example.vn")):
        who.email = address
        who.save()
    return cast


@pytest.fixture
def signals_sent():
    """Every snapshot_created signal: what the awards app turns into a draft dossier."""
    sent = []

    def receiver(sender, snapshot, **kwargs):
        sent.append(snapshot.pk)

    snapshot_created.connect(receiver, weak=False)
    yield sent
    snapshot_created.disconnect(receiver)


@pytest.fixture
def failing_halfway():
    """Fail the roll-up after the snapshot is written and the period locked, inside the
    transaction (the signal is the last step of period_rollup): `failures` times, then pass."""
    state = {"failures": 1, "calls": 0}

    def receiver(sender, snapshot, **kwargs):
        state["calls"] += 1
        assert Snapshot.objects.filter(pk=snapshot.pk).exists()  # half-way: really written
        if state["calls"] <= state["failures"]:
            raise OperationalError("server closed the connection unexpectedly")

    snapshot_created.connect(receiver, weak=False)
    yield state
    snapshot_created.disconnect(receiver)


def queued(cast, user=None, trigger=Snapshot.Trigger.SCHEDULE) -> RollupRun:
    return RollupRun.objects.create(period=cast.period1, triggered_by=user, trigger=trigger)


def test_task_rolls_up_and_marks_its_run_done(reported, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_enqueue(period=reported.period1, user=reported.compiler, trigger=Snapshot.Trigger.MANUAL)
    run.refresh_from_db()
    snapshot = Snapshot.objects.get()
    assert (run.state, run.created_snapshot, run.snapshot_id, run.attempts) == ("done", True, snapshot.pk, 1)
    assert run.started_at and run.finished_at and run.task_id
    assert snapshot.created_by == reported.compiler and snapshot.trigger == "manual"
    assert Period.objects.get(pk=reported.period1.pk).is_locked


def test_a_second_run_finishes_as_already_rolled_up(reported, signals_sent):
    first, second = queued(reported), queued(reported, reported.compiler, "manual")
    rollup_period.delay(first.pk)
    rollup_period.delay(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.created_snapshot and first.state == "done"
    assert not second.created_snapshot and second.state == "done" and second.message == ALREADY_ROLLED_UP
    assert second.snapshot_id == first.snapshot_id
    assert Snapshot.objects.count() == 1 and len(signals_sent) == 1


def test_a_redelivered_message_of_a_finished_run_does_nothing(reported, signals_sent):
    run = queued(reported)
    rollup_period.delay(run.pk)
    result = rollup_period.delay(run.pk).get()
    run.refresh_from_db()
    assert result == {"run": run.pk, "state": "done", "created_snapshot": True}
    assert run.attempts == 1 and Snapshot.objects.count() == 1 and len(signals_sent) == 1


def test_a_run_left_running_by_a_killed_worker_is_finished_by_the_redelivery(reported):
    run = queued(reported)
    RollupRun.objects.filter(pk=run.pk).update(state="running", attempts=1)
    rollup_period.delay(run.pk)
    run.refresh_from_db()
    assert run.state == "done" and run.created_snapshot and run.attempts == 2


def test_a_failure_half_way_leaves_nothing_behind(reported, failing_halfway):
    run = queued(reported)
    with pytest.raises(OperationalError):
        run_execute(run_id=run.pk)
    assert not Snapshot.objects.exists()
    period = Period.objects.get(pk=reported.period1.pk)
    assert period.status == Period.Status.OPEN
    run.refresh_from_db()
    assert run.state == "running" and not run.created_snapshot and run.snapshot_id is None


def test_the_task_retries_after_a_failure_half_way_and_then_succeeds(reported, failing_halfway, signals_sent):
    run = queued(reported)
    rollup_period.delay(run.pk)  # eager: the retry runs at once
    run.refresh_from_db()
    assert (run.state, run.attempts, run.created_snapshot) == ("done", 2, True)
    assert Snapshot.objects.count() == 1
    # The failed attempt's signal was rolled back with its transaction; one dossier survives.
    assert failing_halfway["calls"] == 2


def test_retries_used_up_mark_the_run_failed_with_the_error(reported, failing_halfway):
    failing_halfway["failures"] = 100
    run = queued(reported)
    result = rollup_period.delay(run.pk)  # eager: the retries run at once
    assert result.failed() and isinstance(result.result, OperationalError)
    run.refresh_from_db()
    assert run.state == "failed" and run.finished_at is not None
    assert run.message.startswith("Tổng hợp không thành công do lỗi hệ thống; chưa có gì được ghi.")
    assert "Chi tiết kỹ thuật: OperationalError: server closed the connection unexpectedly" in run.message
    assert run.attempts == rollup_period.max_retries + 1
    assert not Snapshot.objects.exists() and not Period.objects.get(pk=reported.period1.pk).is_locked


def test_a_refusal_fails_the_run_at_once_without_retrying(reported):
    Target.objects.all().delete()
    run = queued(reported)
    rollup_period.delay(run.pk)
    run.refresh_from_db()
    assert run.state == "failed" and run.attempts == 1 and "chưa có chỉ tiêu" in run.message


def test_a_requester_who_lost_the_compiler_role_gets_a_failed_run(reported):
    run = queued(reported, reported.staff_a, "manual")
    rollup_period.delay(run.pk)
    run.refresh_from_db()
    assert run.state == "failed" and "Phòng Quản lý thu" in run.message
    assert not Snapshot.objects.exists()


def test_a_manual_run_for_someone_not_the_compiler_is_refused_before_it_is_recorded(reported):
    for who in (reported.staff_a, reported.director, None):
        with pytest.raises(PermissionDenied):
            run_enqueue(period=reported.period1, user=who, trigger=Snapshot.Trigger.MANUAL)
    assert not RollupRun.objects.exists()


def test_a_manual_run_whose_requester_was_deleted_fails_instead_of_running_as_the_system(reported):
    run = queued(reported, reported.compiler, Snapshot.Trigger.MANUAL)
    reported.compiler.delete()  # triggered_by is SET_NULL
    rollup_period.delay(run.pk)
    run.refresh_from_db()
    assert run.state == "failed" and run.message == NO_REQUESTER
    assert not Snapshot.objects.exists()


def dossier_mail():
    return [m for m in mail.outbox if "Lập hồ sơ" in m.subject]


@override_settings(SITE_URL="https://thidua.example.vn/")
def test_compiler_and_appraiser_get_one_email_that_a_draft_dossier_is_waiting(reported, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rollup_period.delay(queued(reported).pk)
    assert len(mail.outbox) == 1  # one message per roll-up, from the awards app
    message = dossier_mail()[0]
    assert sorted(message.to) == ["qlt@example.vn", "tchc@example.vn"]
    assert "Tháng 10/2025" in message.subject
    assert "https://thidua.example.vn/phong-trao/TEST2025/khen-thuong/ho-so/" in message.body


def test_no_email_when_nothing_new_was_rolled_up_or_the_roll_up_failed(reported, django_capture_on_commit_callbacks):
    period_rollup(period=reported.period1, trigger="command")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rollup_period.delay(queued(reported).pk)
    Target.objects.all().delete()
    other = RollupRun.objects.create(period=reported.periods[1], trigger="schedule")
    with django_capture_on_commit_callbacks(execute=True):
        rollup_period.delay(other.pk)
    assert dossier_mail() == []


@pytest.fixture
def role_groups(transactional_db):
    """The role groups come from a data migration, which a transactional test's flush wipes."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.mark.django_db(transaction=True)
def test_broker_down_marks_the_run_failed_instead_of_leaving_it_queued(role_groups, reported, monkeypatch):
    # Autocommit, as in production: the message is sent when run_enqueue's transaction commits.
    from kombu.exceptions import OperationalError as BrokerDown

    def unreachable(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(rollup_period, "delay", unreachable)
    run = run_enqueue(period=reported.period1, user=reported.compiler, trigger="manual")
    run.refresh_from_db()
    assert run.state == "failed" and run.message.startswith("Không gửi được yêu cầu tới hàng đợi")
    assert "Connection refused" in run.message
    assert not Snapshot.objects.exists()
