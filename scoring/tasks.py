"""Celery tasks of the scoring app: the roll-up, the schedule that finds due periods, and the
e-mail that a draft dossier is waiting.

Tasks take ids and call `services.period_rollup`; they are safe to run twice. Exactly one
snapshot per period is guaranteed by the database (the snapshot's one-current-per-period
constraint and the period row lock taken by `period_rollup`), not by the queue: a scheduled
and a manual run, two workers, or a message redelivered after a worker died all end with one
snapshot, one run marked as the one that created it, and the others "already rolled up".

A `RollupRun` records each request. States: queued -> running -> done | failed; a transient
database error puts it back to queued while Celery retries with exponential backoff.

(The run bookkeeping below would sit in services.py; it lives here because that module is
owned elsewhere. It is plain functions, so it moves without change.)
"""

import logging
from datetime import timedelta

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from campaign.models import Period

from .access import require_rollup_requester
from .models import RollupRun, Snapshot
from .services import period_rollup

logger = logging.getLogger(__name__)

# Transient: connection lost, deadlock, serialization failure, lock timeout, SQLite's
# "database is locked". Anything else is a bug or a refusal and is not retried.
RETRYABLE_ERRORS = (OperationalError, InterfaceError)
ALREADY_ROLLED_UP = "Kỳ đã được tổng hợp trước đó; kết quả giữ nguyên."
ROLLED_UP = "Đã tổng hợp và khóa sổ."


def technical_detail(exc: BaseException) -> str:
    """What a failure leaves for the administrator after the Vietnamese sentence: the error's
    own words (the database's or the broker's, often English)."""
    return f"Chi tiết kỹ thuật: {type(exc).__name__}: {exc}"


# --- run bookkeeping --------------------------------------------------------------------------

def run_claim(*, run_id: int, task_id: str = "") -> bool:
    """Mark the run running (compare-and-swap). False if it is already done or failed, e.g.
    a message delivered again after the run finished: then there is nothing to do.

    A run still "running" may be claimed again: its worker died before committing, and the
    redelivered message is what finishes it.
    """
    return bool(
        RollupRun.objects.filter(pk=run_id, state__in=RollupRun.ACTIVE_STATES).update(
            state=RollupRun.State.RUNNING, started_at=timezone.now(), task_id=task_id,
            attempts=F("attempts") + 1, message="",
        )
    )


def run_fail(*, run_id: int, message: str) -> None:
    """Mark an unfinished run failed; a run already done stays done."""
    RollupRun.objects.filter(pk=run_id, state__in=RollupRun.ACTIVE_STATES).update(
        state=RollupRun.State.FAILED, message=message[:2000], finished_at=timezone.now(),
    )


def run_execute(*, run_id: int, task_id: str = "") -> RollupRun | None:
    """Roll up the run's period and record the outcome; the run's final state is committed in
    the same transaction as the snapshot, so the two never disagree.

    Refusals (no targets, the requester is no longer the compiler) mark the run failed and
    return. Database errors propagate, with nothing written, for the task to retry.
    """
    if not run_claim(run_id=run_id, task_id=task_id):
        return RollupRun.objects.filter(pk=run_id).first()
    run = RollupRun.objects.select_related("period", "triggered_by").get(pk=run_id)
    try:
        with transaction.atomic():
            snapshot, created = period_rollup(
                period=run.period, user=run.triggered_by, trigger=run.trigger,
            )
            now = timezone.now()
            if created:
                RollupRun.objects.filter(pk=run_id).update(
                    state=RollupRun.State.DONE, snapshot=snapshot, created_snapshot=True,
                    message=ROLLED_UP, finished_at=now,
                )
                # The compiler and the appraiser hear of the new draft dossier from the awards
                # app, which makes it in this same transaction (awards/emails.py).
            else:
                # Never overwrite the record of the delivery that did create it (same run
                # delivered twice).
                RollupRun.objects.filter(pk=run_id, created_snapshot=False).update(
                    state=RollupRun.State.DONE, snapshot=snapshot, message=ALREADY_ROLLED_UP,
                    finished_at=now,
                )
    except ValidationError as exc:
        run_fail(run_id=run_id, message=" ".join(exc.messages))
    except PermissionDenied as exc:
        run_fail(run_id=run_id, message=str(exc) or "Không có quyền tổng hợp.")
    run.refresh_from_db()
    return run


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


def expire_stale_runs(*, now) -> int:
    """Runs queued or running for longer than ROLLUP_SCHEDULE_WAIT_MINUTES are lost (a worker
    killed hard, a message dropped while Redis was down): mark them failed so the schedule can
    queue a fresh one. A late redelivery of such a run then finds it failed and does nothing."""
    cutoff = now - timedelta(minutes=settings.ROLLUP_SCHEDULE_WAIT_MINUTES)
    return RollupRun.objects.active().filter(created_at__lt=cutoff).update(
        state=RollupRun.State.FAILED, finished_at=now,
        message=(f"Không hoàn thành sau {settings.ROLLUP_SCHEDULE_WAIT_MINUTES} phút "
                 "(worker dừng hoặc mất yêu cầu); lịch sẽ chạy lại."),
    )


def periods_due(*, now):
    """Periods the schedule rolls up now: due (rollup_due_at has passed), open, never rolled
    up, and not already being handled.

    "Never rolled up" counts superseded snapshots too: a period the compiler reopened to fix
    figures waits for the compiler to roll it up again, instead of being locked again by the
    next tick. "Being handled": a run requested less than ROLLUP_SCHEDULE_WAIT_MINUTES ago
    that is queued, running or failed (a refusal such as missing targets is not repeated every
    five minutes; older unfinished runs have been expired by `expire_stale_runs`).
    """
    wait_from = now - timedelta(minutes=settings.ROLLUP_SCHEDULE_WAIT_MINUTES)
    busy = RollupRun.objects.filter(period=OuterRef("pk"), created_at__gte=wait_from).exclude(
        state=RollupRun.State.DONE,
    )
    rolled_up = Snapshot.objects.filter(period=OuterRef("pk"))
    return (
        Period.objects.filter(status=Period.Status.OPEN, rollup_due_at__lte=now)
        .exclude(Exists(rolled_up))
        .exclude(Exists(busy))
        .select_related("campaign")
        .order_by("rollup_due_at", "pk")
    )


# --- tasks ----------------------------------------------------------------------------------

class RollupTask(DjangoTask):
    """Keeps the RollupRun in step with Celery's retries: back to queued on a retry, failed
    with the error once the retries are used up (or on an unexpected error)."""

    @staticmethod
    def _run_id(args, kwargs):
        return kwargs.get("run_id", args[0] if args else None)

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        RollupRun.objects.filter(
            pk=self._run_id(args, kwargs), state__in=RollupRun.ACTIVE_STATES,
        ).update(
            state=RollupRun.State.QUEUED,
            message=(f"Lỗi tạm thời của cơ sở dữ liệu, sẽ tự thử lại (lần "
                     f"{self.request.retries + 1}). {technical_detail(exc)}")[:2000],
        )

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
