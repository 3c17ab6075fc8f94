"""Dossiers made by the roll-up and cancelled by a reopen (called from awards.receivers,
inside the roll-up's or the reopen's transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from campaign.models import Period
from scoring.models import Snapshot
from units.models import Unit

from .. import emails
from ..models import AwardLine, Dossier, DossierEvent
from ..selectors import snapshot_ranks
from .common import Action, State


def _cancel(dossier: Dossier, *, user, reason: str) -> None:
    updated = Dossier.objects.filter(pk=dossier.pk, state=dossier.state, version=dossier.version).update(
        state=State.CANCELLED, version=F("version") + 1, cancelled_at=timezone.now(),
        cancelled_by=user, cancelled_reason=reason,
    )
    if updated != 1:  # pragma: no cover - the row is locked by the caller
        raise ValidationError("Hồ sơ vừa được người khác cập nhật; hãy thử lại.")
    event = DossierEvent.objects.create(
        dossier=dossier, action=Action.CANCELLED, from_state=dossier.state, to_state=State.CANCELLED,
        actor=user, comment=reason,
    )
    emails.notify_on_commit(event)


def _refuse_if_decided(dossier: Dossier, period: Period) -> None:
    if dossier.is_decided:
        raise ValidationError(
            f"Không thể mở lại {period.name}: hồ sơ khen thưởng của kỳ đã được phê duyệt "
            f"(Quyết định số {dossier.decision_number} ngày {dossier.decision_date:%d/%m/%Y}). "
            "Kết quả đã quyết định khen thưởng không tính lại trên hệ thống."
        )


def dossier_create_for_snapshot(*, snapshot: Snapshot) -> Dossier:
    """The draft dossier of a freshly rolled-up period, its prize lines from the snapshot (R14).

    Runs inside the roll-up's transaction (scoring.signals.snapshot_created), so the dossier
    commits or rolls back with the snapshot. Idempotent: one dossier per snapshot (a
    one-to-one field) and one current dossier per period (a partial unique constraint).
    """
    existing = Dossier.objects.filter(snapshot=snapshot).first()
    if existing is not None:
        return existing
    period = snapshot.period
    current = Dossier.objects.select_for_update().filter(period=period).exclude(state=State.CANCELLED).first()
    if current is not None:
        # Normally cancelled when the period was reopened; a leftover open one gives way.
        _refuse_if_decided(current, period)
        _cancel(current, user=snapshot.created_by, reason="Có kết quả tổng hợp mới của kỳ.")
    dossier = Dossier.objects.create(period=period, snapshot=snapshot)
    awards = snapshot.document.get("awards", [])
    units = Unit.objects.in_bulk([a["unit"] for a in awards], field_name="code")
    ranks = snapshot_ranks(snapshot)
    names = snapshot.prize_names
    AwardLine.objects.bulk_create([
        AwardLine(dossier=dossier, position=position, unit=units[a["unit"]], prize=a["prize"],
                  prize_name=a.get("prize_name") or names.get(a["prize"], a["prize"]),
                  amount=a["amount"], individual_quota=a["individual_quota"], rank=ranks.get(a["unit"]))
        for position, a in enumerate(awards, start=1)
    ])
    event = DossierEvent.objects.create(
        dossier=dossier, action=Action.CREATED, from_state="", to_state=State.DRAFT,
        actor=snapshot.created_by,
        comment=f"Lập tự động từ kết quả tổng hợp {period.name} "
                f"({len(awards)} giải tập thể theo xếp hạng và đề nghị).",
    )
    emails.notify_on_commit(event)
    return dossier


def dossier_cancel_for_reopen(*, period: Period, user, reason: str) -> Dossier | None:
    """Reopening a period cancels its open dossier (kept, with the reason).

    Runs inside the reopen's transaction (scoring.signals.period_reopened). A dossier already
    approved or paid cannot be undone by a reopen: the ValidationError raised here aborts the
    reopen's transaction, so the period stays locked and its snapshot current.
    """
    current = Dossier.objects.select_for_update().filter(period=period).exclude(state=State.CANCELLED).first()
    if current is None:
        return None
    _refuse_if_decided(current, period)
    _cancel(current, user=user, reason=reason)
    current.refresh_from_db()
    return current
