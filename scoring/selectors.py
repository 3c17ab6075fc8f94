"""Reads of the scoring app that depend on who is reading, or on when."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from campaign.access import MANAGER_ROLES
from campaign.models import Period
from rules import engine, explain
from rules import province as province_rules
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


# The percentages of R11's steps 1-5, as the document stores them (rounded per R10).
STEP_METRICS = engine.RANKING_STEPS[:5]


def _step_values(row: dict) -> tuple:
    """A ranked row's R11 step values, read back from the document: the same rounded
    percentages the engine compared (metric_text writes engine.percent), the revenue in đồng
    (None in documents made before it was stored), the code."""
    metrics = row["metrics"]
    return (
        *(None if metrics.get(key) is None else Decimal(metrics[key]) for key in STEP_METRICS),
        row.get("revenue"),
        row["unit"],
    )


def ranking_key(standings: list[dict]) -> dict[str, list[dict]]:
    """Unit code → the R11 tie-break values shown on its row: steps 2 to the last its
    explanations draw on (rules.engine.tie_break_depths), each {"label", "text"} rounded as
    R10 rounds them, so every value an explanation quotes is on the page. Only units whose
    rank needed a tie-break, or whose value a tie-break below quotes, have any."""
    ranked = sorted((row for row in standings if row.get("rank")), key=lambda row: row["rank"])
    values = [_step_values(row) for row in ranked]
    key = {}
    for row, steps, depth in zip(ranked, values, engine.tie_break_depths(values), strict=True):
        if depth:
            key[row["unit"]] = [
                {"label": explain.capitalise(explain.STEP_LABELS[step]),
                 "text": explain.format_step_value(step, steps[step])}
                for step in range(1, depth + 1)
            ]
    return key


def document_coverage(document: dict) -> dict:
    """What a document's province totals cover. Stored by the roll-up (rollup.coverage_json);
    a document made before that counts its local offices' report states, with no
    like-for-like rates."""
    stored = document.get("coverage")
    if stored is None:
        covered = province_rules.coverage(row["report"] for row in document["standings"])
        stored = {"expected": covered.expected, "submitted": covered.submitted,
                  "draft": covered.draft, "missing": covered.missing,
                  "complete": covered.complete, "like_for_like": None}
    return stored | {"text": explain.coverage_text(stored["submitted"], stored["expected"])}


def document_shown(document: dict | None) -> dict | None:
    """A document as the pages and the export show it (a copy; stored and cached documents
    are left as they are): each ranked row with its tie-break values ("key", see
    `ranking_key`), and the province row with what its totals cover ("coverage"). While a
    report is missing its rates are not the province's: pages show the like-for-like rates
    instead (rules.province)."""
    if document is None:
        return None
    key = ranking_key(document["standings"])
    standings = [row | {"key": key[row["unit"]]} if row["unit"] in key else row
                 for row in document["standings"]]
    return {**document, "standings": standings, "province": province_shown(document)}


def province_shown(document: dict) -> dict | None:
    """The province row with what its totals cover ("coverage"). A document made before the
    roll-up wrote the incomplete explanation (rules.province) has one that quotes the
    totals' rates; while reports are missing it is worded anew from the stored verdicts."""
    province = document.get("province")
    if province is None:
        return None
    coverage = document_coverage(document)
    shown = province | {"coverage": coverage}
    stale = not province["explanation"].startswith(explain.INCOMPLETE_PREFIX)
    if not coverage["complete"] and province.get("schemes") and stale:
        failed = [key for key, holds in province["criteria"].items() if holds is False]
        shown["explanation"] = explain.province_incomplete(
            coverage["submitted"], coverage["expected"], failed)
    return shown
