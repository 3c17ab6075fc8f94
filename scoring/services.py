"""Writes of the scoring app: the roll-up that locks a period and stores its snapshot, and
reopening a period."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign.lifecycle import campaign_is_finished, campaign_require_writable, finished_message
from campaign.models import Period

from .access import require_compiler_or_system, require_rollup_requester
from .models import Snapshot
from .rollup import build_rollup
from .signals import period_reopened, snapshot_created


def current_snapshot(period: Period) -> Snapshot | None:
    # The stored inputs are as large as the document and no page shows them.
    return Snapshot.objects.filter(period=period, superseded_at__isnull=True).defer("inputs").first()


def rollup_refusal(period: Period) -> str | None:
    """Why the period cannot be rolled up yet, or None. Figures are cumulative to the period's
    last day (RULES.md), so a month is judged only once that day is over."""
    if campaign_is_finished(period.campaign):
        return finished_message(period.campaign)
    if timezone.localdate() <= period.last_day:
        opens = period.last_day + timedelta(days=1)
        return (f"{period.name} chưa kết thúc: số liệu tính đến hết ngày "
                f"{period.last_day:%d/%m/%Y}, nên chỉ tổng hợp được từ ngày {opens:%d/%m/%Y}.")
    return None


def period_rollup(*, period: Period, user=None, trigger: str = Snapshot.Trigger.MANUAL) -> tuple[Snapshot, bool]:
    """Lock the period and store its standings; returns (snapshot, created).

    Idempotent: a period that already has a current snapshot returns it unchanged, so a
    repeated, scheduled or concurrent roll-up never makes a second one (the database's
    one-current-snapshot constraint settles a race). `user` None means the system (schedule
    or command).
    """
    require_rollup_requester(user=user, trigger=trigger)
    try:
        with transaction.atomic():
            locked = Period.objects.select_for_update().select_related("campaign").get(pk=period.pk)
            existing = current_snapshot(locked)
            if existing is not None:
                if not locked.is_locked:
                    # A period rolled up but opened by some other path than period_reopen:
                    # the snapshot stands, so the period is locked again.
                    locked.status = Period.Status.LOCKED
                    locked.save(update_fields=["status"])
                return existing, False
            refusal = rollup_refusal(locked)
            if refusal is not None:
                raise ValidationError(refusal)
            result = build_rollup(locked)
            snapshot = Snapshot.objects.create(
                period=locked, created_by=user, trigger=trigger,
                rules_version=result.applied_settings["rules_version"],
                applied_settings=result.applied_settings, inputs=result.inputs,
                document=result.document,
            )
            locked.status = Period.Status.LOCKED
            locked.save(update_fields=["status"])
            snapshot_created.send(sender=Snapshot, snapshot=snapshot)
    except IntegrityError:
        # Another roll-up of the same period committed first: theirs is the snapshot.
        existing = current_snapshot(period)
        if existing is None:
            raise
        return existing, False
    return snapshot, True


@transaction.atomic
def period_reopen(*, period: Period, user, reason: str) -> Period:
    """Open a locked period again; its snapshot is kept, marked superseded with the reason."""
    require_compiler_or_system(user)
    if user is None:
        raise PermissionDenied("Phải có người chịu trách nhiệm mở lại kỳ.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Phải ghi lý do mở lại kỳ thi đua.")
    locked = Period.objects.select_for_update().select_related("campaign").get(pk=period.pk)
    campaign_require_writable(locked.campaign)
    if not locked.is_locked:
        raise ValidationError(f"{locked.name} đang mở, không cần mở lại.")
    snapshot = current_snapshot(locked)
    if snapshot is not None:
        snapshot.superseded_at = timezone.now()
        snapshot.superseded_by = user
        snapshot.superseded_reason = reason
        snapshot.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
    locked.status = Period.Status.OPEN
    locked.save(update_fields=["status"])
    period_reopened.send(sender=Period, period=locked, snapshot=snapshot, user=user, reason=reason)
    return locked
