"""Roll-ups through the real Redis broker and a real worker (see conftest.py).

What is shown: a task sent through the broker runs the roll-up; beat's tick, with the clock
moved past 05/11/2025 07:00, produces exactly one period-1 snapshot and the e-mail; concurrent
roll-ups of one period (scheduled, manual, several workers, a redelivered message) leave one
snapshot and one dossier; a failure half-way leaves nothing and the retry succeeds.
"""

import datetime as dt
import threading
import time

import pytest
import time_machine
from celery import signals as celery_signals
from django.apps import apps
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

from campaign.models import Period
from scoring.models import RollupRun, Snapshot
from scoring.runs import run_execute
from scoring.signals import snapshot_created
from scoring.tasks import rollup_due_periods, rollup_period, run_enqueue

from ..conftest import VN
from .conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def finished(run_id: int) -> RollupRun | None:
    run = RollupRun.objects.filter(pk=run_id).exclude(state__in=RollupRun.ACTIVE_STATES).first()
    return run


def wait_finished(run_id: int, timeout: float = 30) -> RollupRun:
    return wait_for(lambda: finished(run_id), timeout=timeout, message=f"run {run_id} to finish")


@pytest.fixture
def reported(cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, health_actual=99_000)
    for who in (cast.compiler, cast.appraiser):
        who.email = f"{who.username}@example.vn"
        who.save()
    return cast


@pytest.fixture
def signals_sent():
    sent, lock = [], threading.Lock()

    def receiver(sender, snapshot, **kwargs):
        with lock:
            sent.append(snapshot.pk)

    snapshot_created.connect(receiver, weak=False)
    yield sent
    snapshot_created.disconnect(receiver)


def our_mail():
    """The draft dossier's e-mail to the compiler and the appraiser (from the awards app)."""
    return [m for m in mail.outbox if "Lập hồ sơ" in m.subject]


def test_a_task_sent_through_redis_runs_the_roll_up(celery_worker, reported):
    started = time.perf_counter()
    run = run_enqueue(period=reported.period1, user=reported.compiler, trigger=Snapshot.Trigger.MANUAL)
    run = wait_finished(run.pk)
    elapsed = time.perf_counter() - started
    assert run.state == "done" and run.created_snapshot and run.attempts == 1
    assert run.task_id  # a real message id: it went through the broker
    assert Period.objects.get(pk=reported.period1.pk).is_locked
    assert Snapshot.objects.filter(period=reported.period1).count() == 1
    assert elapsed < 10, f"queued roll-up took {elapsed:.2f} s"


def test_the_clock_past_the_due_time_gives_one_snapshot_and_the_email(celery_worker, reported, signals_sent):
    # The worker thread shares the process, so it sees the moved clock too.
    with time_machine.travel(dt.datetime(2025, 11, 5, 7, 0, 30, tzinfo=VN)):
        rollup_due_periods.delay()  # what beat sends at 07:00 ... and again at 07:05
        run = wait_for(lambda: RollupRun.objects.filter(state="done").first(), message="the scheduled run")
        rollup_due_periods.delay()
        rollup_due_periods.delay()
        wait_for(lambda: len(our_mail()) == 1, message="the dossier e-mail")
        time.sleep(0.5)  # give the later ticks time to (not) do anything
    assert run.trigger == "schedule" and run.triggered_by is None and run.created_snapshot
    assert Snapshot.objects.count() == 1 and RollupRun.objects.count() == 1
    assert len(signals_sent) == 1
    assert sorted(our_mail()[0].to) == ["appraiser@example.vn", "compiler@example.vn"]


def test_a_redelivered_message_does_not_roll_up_twice(celery_worker, reported, signals_sent):
    run = RollupRun.objects.create(period=reported.period1, trigger="schedule")
    rollup_period.delay(run.pk)
    rollup_period.delay(run.pk)  # the same message again, as after a lost acknowledgement
    run = wait_finished(run.pk)
    time.sleep(0.5)
    run.refresh_from_db()
    assert run.created_snapshot and run.attempts == 1
    assert Snapshot.objects.count() == 1 and len(signals_sent) == 1


def test_a_failure_half_way_leaves_nothing_and_the_retry_succeeds(celery_worker, reported):
    state = {"calls": 0, "at_retry": None}

    def fail_once(sender, snapshot, **kwargs):
        state["calls"] += 1
        if state["calls"] == 1:  # after the snapshot and the lock are written
            raise OperationalError("terminating connection due to administrator command")

    def on_retry(sender, request, reason, **kwargs):
        # Between the attempts, in the worker: what did the failed attempt leave?
        state["at_retry"] = (Snapshot.objects.count(),
                             Period.objects.get(number=1).status,
                             RollupRun.objects.get().state)

    snapshot_created.connect(fail_once, weak=False)
    celery_signals.task_retry.connect(on_retry, weak=False)
    try:
        run = run_enqueue(period=reported.period1, trigger=Snapshot.Trigger.SCHEDULE)
        run = wait_finished(run.pk, timeout=60)
    finally:
        snapshot_created.disconnect(fail_once)
        celery_signals.task_retry.disconnect(on_retry)
    assert state["at_retry"] == (0, "open", "queued")
    assert run.state == "done" and run.attempts == 2 and run.created_snapshot
    assert Snapshot.objects.count() == 1


def test_the_compilers_button_queues_and_the_status_endpoint_follows_the_run(celery_worker, reported, client):
    client.force_login(reported.compiler)
    response = client.post(reverse("scoring:rollup", args=[1]), {"confirm": "1"})
    assert response.status_code == 302 and RollupRun.objects.filter(triggered_by=reported.compiler).exists()
    status_url = reverse("scoring:rollup_runs", args=[1])
    data = wait_for(lambda: (d := client.get(status_url).json())["locked"] and not d["active"] and d,
                    message="the status endpoint to report the period locked")
    assert [r["state"] for r in data["runs"]] == ["done"]
    assert data["runs"][0]["requested_by"] == "compiler" and data["runs"][0]["created_snapshot"]


def test_concurrent_roll_ups_of_one_period_leave_one_snapshot_and_one_dossier(
    celery_worker, reported, signals_sent, require_postgres,
):
    """The schedule's tick, the compiler's button, two more "workers" (threads running the
    task body as a worker would) and a duplicate delivery of one message, all at once."""
    compiler = reported.compiler
    scheduled = RollupRun.objects.create(period=reported.period1, trigger="schedule")
    manual = RollupRun.objects.create(period=reported.period1, trigger="manual", triggered_by=compiler)
    other = RollupRun.objects.create(period=reported.period1, trigger="schedule")
    barrier = threading.Barrier(4)
    errors = []

    def worker_thread(run_id):
        try:
            barrier.wait(timeout=10)
            run_execute(run_id=run_id)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker_thread, args=(run_id,))
               for run_id in (scheduled.pk, manual.pk, other.pk, manual.pk)]
    for t in threads:
        t.start()
    rollup_period.delay(scheduled.pk)  # and the real worker, through Redis
    for t in threads:
        t.join(30)
    runs = [wait_finished(r.pk) for r in (scheduled, manual, other)]
    time.sleep(0.5)  # the worker's delivery of `scheduled` may still be finishing
    assert errors == []
    assert Snapshot.objects.filter(period=reported.period1).count() == 1
    assert all(r.state == "done" for r in RollupRun.objects.all())
    assert RollupRun.objects.filter(created_snapshot=True).count() == 1
    assert {r.snapshot_id for r in runs} == {Snapshot.objects.get().pk}
    assert len(signals_sent) == 1
    if apps.is_installed("awards") and "dossier" in apps.get_app_config("awards").models:
        Dossier = apps.get_model("awards", "Dossier")
        assert Dossier.objects.filter(period=reported.period1).count() == 1
