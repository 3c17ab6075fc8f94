"""What the awards services share: the dossier locked for an edit of its proposal, the change
log, and the checks of typed text."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from campaign.lifecycle import campaign_require_writable

from ..access import EDIT, require_action
from ..models import Dossier, DossierChange, DossierEvent

State = Dossier.State
Action = DossierEvent.Action


def required_text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def not_in_the_future(day: dt.date, what: str) -> None:
    """A step records what has happened: a council that met, a decision signed, a payment made."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(f"{what} ({day:%d/%m/%Y}) chưa đến: hôm nay là {today:%d/%m/%Y}.")


def state_label(state: str) -> str:
    return State(state).label


def lock_for_edit(user, dossier: Dossier) -> Dossier:
    require_action(user, EDIT)
    locked = (Dossier.objects.select_for_update().select_related("period__campaign", "snapshot")
              .defer("snapshot__inputs").get(pk=dossier.pk))
    campaign_require_writable(locked.period.campaign)
    if not locked.is_editable:
        raise ValidationError(
            f"Hồ sơ đang ở trạng thái «{state_label(locked.state)}»; chỉ sửa được đề xuất khi "
            "hồ sơ là dự thảo hoặc bị trả lại."
        )
    return locked


def lines_summary(dossier: Dossier) -> list[dict]:
    return [
        {"position": line.position, "unit": line.unit.code, "prize": line.prize, "amount": line.amount,
         "individuals": line.n}
        for line in dossier.lines.select_related("unit").annotate(n=Count("individuals")).order_by("position")
    ]


def log_change(dossier: Dossier, *, user, action: str, reason: str, unit=None, person=None) -> DossierChange:
    return DossierChange.objects.create(
        dossier=dossier, action=action, unit=unit, person=person, reason=reason, actor=user,
        lines_after=lines_summary(dossier),
    )
