"""The record of each roll-up request (`RollupRun`), kept apart from the Celery tasks that
carry it out, so the tasks stay a thin layer over plain functions.

States: queued -> running -> done | failed; a transient database error puts a run back to
queued while Celery retries (`run_requeue`). Exactly one snapshot per period is guaranteed
by the database (the snapshot's one-current-per-period constraint and the period row lock
taken by `services.period_rollup`), not by the queue: a scheduled and a manual run, two
workers, or a message redelivered after a worker died all end with one snapshot, one run
marked as the one that created it, and the others "already rolled up".
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from campaign.models import Period

from .models import RollupRun, Snapshot
from .services import period_rollup

ALREADY_ROLLED_UP = "Kỳ đã được tổng hợp trước đó; kết quả giữ nguyên."
ROLLED_UP = "Đã tổng hợp và khóa sổ."


def technical_detail(exc: BaseException) -> str:
    """What a failure leaves for the administrator after the Vietnamese sentence: the error's
    own words (the database's or the broker's, often English)."""
    return f"Chi tiết kỹ thuật: {type(exc).__name__}: {exc}"


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


def expire_stale_runs(*, now) -> int:
    """Runs queued or running for longer than ROLLUP_SCHEDULE_WAIT_MINUTES are lost (a worker
    killed hard, a message dropped while Redis was down): mark them failed so the schedule can
    queue a fresh one. A late redelivery of such a run then finds it failed and does nothing."""
    cutoff = now - timedelta(minutes=settings.ROLLUP_SCHEDULE_WAIT_MINUTES)
    return RollupRun.objects.active().filter(created_at__lt=cutoff).update(
        state=RollupRun.State.FAILED, finished_at=now,
        message=(f"Không hoàn thành sau {settings.ROLLUP_SCHEDULE_WAIT_MINUTES} phút "
                 "(bộ xử lý nền dừng hoặc mất yêu cầu); lịch sẽ chạy lại."),
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
        # Only a launched campaign's periods: one still to start has nothing reported yet,
        # whatever its due times say. A finished campaign has no open period.
        Period.objects.filter(status=Period.Status.OPEN, rollup_due_at__lte=now,
                              campaign__launch_date__lte=timezone.localdate(now))
        .exclude(Exists(rolled_up))
        .exclude(Exists(busy))
        .select_related("campaign")
        .order_by("rollup_due_at", "pk")
    )


def run_requeue(*, run_id: int, attempt: int, exc: BaseException) -> None:
    """Back to queued after a transient database error, saying which retry comes next."""
    RollupRun.objects.filter(pk=run_id, state__in=RollupRun.ACTIVE_STATES).update(
        state=RollupRun.State.QUEUED,
        message=(f"Lỗi tạm thời của cơ sở dữ liệu, sẽ tự thử lại (lần "
                 f"{attempt}). {technical_detail(exc)}")[:2000],
    )
