from django import template

from scoring import allocation

register = template.Library()

PRIZE_LABELS = {
    allocation.FIRST: "Giải Nhất",
    allocation.SECOND: "Giải Nhì",
    allocation.THIRD: "Giải Ba",
}
REPORT_LABELS = {"submitted": "Đã gửi", "draft": "Bản nháp", "missing": "Chưa có báo cáo"}


@register.filter
def prize_label(prize: str) -> str:
    return PRIZE_LABELS.get(prize, prize)


@register.filter
def report_label(state: str) -> str:
    return REPORT_LABELS.get(state, state)


@register.filter
def scheme_rate(row: dict, scheme: str) -> dict | None:
    """The scheme entry of a standings row, for the table's per-scheme columns."""
    return next((s for s in row.get("schemes", []) if s["scheme"] == scheme), None)
