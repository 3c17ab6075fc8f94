"""Celery tasks of the scoring app: the roll-up of one period, and the schedule's tick that
queues the periods that are due.

Tasks take ids and call plain functions (`scoring.runs`), so they are safe to run twice; what
a run records, and why one snapshot per period whatever the queue does, is told there.
"""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from campaign.models import Period

from .access import require_rollup_requester
from .models import RollupRun, Snapshot
from .runs import (
    expire_stale_runs,
    periods_due,
    run_execute,
    run_fail,
    run_requeue,
    technical_detail,
)

logger = logging.getLogger(__name__)

# Transient: connection lost, deadlock, serialization failure, lock timeout, SQLite's
# "database is locked". Anything else is a bug or a refusal and is not retried.
RETRYABLE_ERRORS = (OperationalError, InterfaceError)


def run_enqueue(*, period: Period, user=None, trigger: str) -> RollupRun:
    """Record a queued run and send it to the workers once the record is committed (so a
    worker never looks for a run that is not there yet).

    If the message cannot be sent (Redis down), the run is marked failed with the reason
    rather than left queued. In eager mode (no broker) the roll-up runs right here, and a
    failure of it has already been recorded on the run by the task.

    A manual run needs the compiler (checked here, before anything is written, and again by
    the worker); a run with no user is the schedule's or a command's.
    """
    require_rollup_requester(user=user, trigger=trigger)
    run = None
    try:
        with transaction.atomic():
            run = RollupRun.objects.create(period=period, triggered_by=user, trigger=trigger)
            rollup_period.delay_on_commit(run.pk)
    except Exception as exc:
        if run is None:
            raise
        logger.exception("Roll-up run %s of %s could not be sent to the workers", run.pk, period)
        run_fail(run_id=run.pk, message=(
            "Không gửi được yêu cầu tới hàng đợi (máy chủ hàng đợi không trả lời); hãy thử lại "
            f"sau ít phút hoặc báo quản trị hệ thống. {technical_detail(exc)}"))
    return run


# --- tasks ----------------------------------------------------------------------------------

class RollupTask(DjangoTask):
    """Keeps the RollupRun in step with Celery's retries: back to queued on a retry, failed
    with the error once the retries are used up (or on an unexpected error)."""

    @staticmethod
    def _run_id(args, kwargs):
        return kwargs.get("run_id", args[0] if args else None)

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        run_requeue(run_id=self._run_id(args, kwargs), attempt=self.request.retries + 1, exc=exc)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        try:
            run_fail(run_id=self._run_id(args, kwargs), message=(
                "Tổng hợp không thành công do lỗi hệ thống; chưa có gì được ghi. Hãy thử lại "
                f"hoặc báo quản trị hệ thống. {technical_detail(exc)}"))
        except Exception:  # the database may be what failed; the worker log keeps the error
            logger.exception("Could not record the failure of roll-up run %s", args)


@shared_task(
    base=RollupTask, bind=True, name="scoring.tasks.rollup_period",
    autoretry_for=RETRYABLE_ERRORS, retry_backoff=True, retry_backoff_max=300,
    retry_jitter=True, max_retries=6, acks_late=True, reject_on_worker_lost=True,
)
def rollup_period(self, run_id: int) -> dict:
    """Run one queued roll-up (a RollupRun id)."""
    run = run_execute(run_id=run_id, task_id=self.request.id or "")
    if run is None:  # the run was deleted with its period
        return {"run": run_id, "state": None}
    return {"run": run.pk, "state": run.state, "created_snapshot": run.created_snapshot}


@shared_task(name="scoring.tasks.rollup_due_periods")
def rollup_due_periods() -> list[int]:
    """Beat's tick: queue a roll-up for every period that is due (see `periods_due`)."""
    now = timezone.now()
    expire_stale_runs(now=now)
    run_ids = []
    for period in periods_due(now=now):
        run = run_enqueue(period=period, trigger=Snapshot.Trigger.SCHEDULE)
        run_ids.append(run.pk)
        logger.info("Scheduled roll-up of %s queued as run %s", period, run.pk)
    return run_ids
