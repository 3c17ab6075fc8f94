"""Reads of the scoring app that depend on who is reading, or on when."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from campaign.access import MANAGER_ROLES
from campaign.models import Period
from rules import explain
from units.roles import has_role, user_unit

from .models import Nomination

HIDDEN_DRAFT = f"{explain.DRAFT_REPORT}; số liệu chỉ đơn vị và các phòng quản lý xem được"


def _hidden_draft(row: dict) -> dict:
    return {
        "unit": row["unit"], "name": row.get("name", row["unit"]), "kind": row["kind"],
        "report": row["report"], "eligible": False, "rank": None,
        "criteria": dict.fromkeys(row["criteria"]),  # not known to this reader: None, shown "–"
        "metrics": dict.fromkeys(row["metrics"]), "schemes": [], "explanation": HIDDEN_DRAFT,
    }


def document_seen_by(user, document: dict | None) -> dict | None:
    """The standings as `user` may see them. A draft belongs to its unit until it is submitted
    (a staff member reaches only their own unit's figures): other units' staff see it listed as
    a draft, without its figures; the managers and the compiler see everything. Drafts are never
    ranked, so nothing else in the document depends on their figures."""
    if document is None or has_role(user, *MANAGER_ROLES):  # superusers have every role
        return document
    own = user_unit(user)
    own_code = own.code if own is not None else None
    standings = [
        _hidden_draft(row) if row["report"] == "draft" and row["unit"] != own_code else row
        for row in document["standings"]
    ]
    return {**document, "standings": standings}


def schedule_note(period: Period, *, now=None) -> str:
    """What the schedule will do with an open period, in one sentence for the compiler: the
    roll-up at its due time, unless this installation runs no schedule (no Celery broker), the
    period was reopened (the schedule leaves a reopened period to the compiler, see
    scoring.runs.periods_due) or the due time has passed without it."""
    from .models import Snapshot

    now = now or timezone.now()
    due = date_format(timezone.localtime(period.rollup_due_at), "SHORT_DATETIME_FORMAT")
    if not settings.CELERY_BROKER_URL:
        return (f"Cài đặt này không chạy lịch tổng hợp tự động (máy chủ chưa bật bộ chạy lịch): đến hạn "
                f"({due}) hãy bấm Tổng hợp.")
    if Snapshot.objects.filter(period=period).exists():
        return "Kỳ đã được mở lại nên lịch không tự tổng hợp lại: sửa xong hãy bấm Tổng hợp."
    if now >= period.rollup_due_at:
        return (f"Đã quá giờ tổng hợp tự động ({due}) mà kỳ chưa được tổng hợp: hãy bấm Tổng hợp "
                "hoặc xem lỗi ở lịch sử các lần chạy.")
    return f"Nếu chưa ai bấm, kỳ được tổng hợp tự động lúc {due}."


def period_nominations(period: Period) -> list[Nomination]:
    """The departments proposed for the period (R13), in the compiler's order (R14)."""
    return list(Nomination.objects.filter(period=period).select_related("unit").order_by("order", "id"))
