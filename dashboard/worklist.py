"""What waits for a user: the items of their home page and the count beside the menu.

Each item is a step the user's roles may take now, with a link to where it is taken and, where
the data gives one, its deadline. Reads only; a fixed number of queries whatever the number of
units (the compiler's unsubmitted reports are counted by the database; only the few units
named as links are read).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from awards.selectors import dossiers_waiting_for, recipients_of
from awards.words import recipients_phrase
from campaign import selectors as campaign_selectors
from campaign.models import Campaign, Period
from rules.formatting import format_money
from units.models import Role
from units.roles import has_role, user_unit

# Roll-ups are listed once their due time is this close (the reminders' window is the same size).
ROLLUP_NOTICE = timedelta(days=7)
# Units named one by one on the compiler's list; the rest are on the period's reports page.
UNITS_SHOWN = 10


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    deadline: datetime | None = None
    note: str = ""
    overdue: bool = False
    links: tuple = ()  # (label, url) pairs under the item
    done: bool = False  # shown as done, for reassurance; not counted as waiting

    @property
    def days_left(self) -> int | None:
        if self.deadline is None:
            return None
        return (timezone.localtime(self.deadline).date() - timezone.localdate()).days


def _staff_items(unit, periods: list[Period], detail: bool) -> list[Item]:
    if unit is None or not unit.reports_figures:
        return []
    reports = campaign_selectors.unit_reports(unit, periods)
    reasons = campaign_selectors.return_reasons(list(reports.values())) if detail else {}
    items = []
    for period in periods:
        report = reports.get(period.pk)
        url = reverse("campaign:report_edit", args=[period.number, unit.code])
        overdue = campaign_selectors.rollup_overdue(period)
        if report is None:
            items.append(Item(f"Nhập và gửi báo cáo {period.name} của {unit.name}", url,
                              period.rollup_due_at, overdue=overdue))
        elif report.pk in reasons:
            items.append(Item(f"Sửa và gửi lại báo cáo {period.name} bị trả lại", url,
                              period.rollup_due_at, note=f"Lý do trả lại: {reasons[report.pk]}",
                              overdue=overdue))
        elif not report.is_submitted:
            items.append(Item(f"Gửi báo cáo {period.name} (đang là bản nháp)", url,
                              period.rollup_due_at, overdue=overdue))
        else:
            items.append(Item(
                f"Đã gửi báo cáo {period.name} lúc "
                f"{timezone.localtime(report.submitted_at):%H:%M %d/%m/%Y}", url, done=True))
    return items


def _compiler_items(periods: list[Period], detail: bool) -> list[Item]:
    items = []
    now = timezone.now()
    if periods:
        period = periods[0]
        unsubmitted = campaign_selectors.unsubmitted_reports(period, shown=UNITS_SHOWN if detail else 0)
        waiting = unsubmitted.missing + unsubmitted.drafts
        if waiting:
            links = tuple(
                (f"{unit.name}: {campaign_selectors.report_status_label(unit.report_status).lower()}",
                 reverse("campaign:report_edit", args=[period.number, unit.code]))
                for unit in unsubmitted.first
            )
            if waiting > UNITS_SHOWN:
                links += ((f"và {waiting - UNITS_SHOWN} đơn vị khác",
                           reverse("campaign:period_reports", args=[period.number])),)
            items.append(Item(
                f"Theo dõi báo cáo {period.name}: {unsubmitted.missing} đơn vị chưa có báo cáo, "
                f"{unsubmitted.drafts} bản nháp",
                reverse("campaign:period_reports", args=[period.number]), period.rollup_due_at,
                overdue=campaign_selectors.rollup_overdue(period), links=links,
            ))
    for period in periods:
        if period.rollup_due_at - now <= ROLLUP_NOTICE:
            overdue = period.rollup_due_at <= now
            items.append(Item(
                f"Tổng hợp và khóa sổ {period.name}" + (" (đã quá hạn)" if overdue else ""),
                reverse("scoring:ranking", args=[period.number]), period.rollup_due_at,
                overdue=overdue,
            ))
    return items


DOSSIER_STEPS = {
    "draft": "Hoàn thiện và trình hồ sơ khen thưởng {period}",
    "returned": "Bổ sung và trình lại hồ sơ khen thưởng {period} bị trả lại",
    "submitted": "Thẩm định hồ sơ khen thưởng {period}",
    "appraised": "Phê duyệt hồ sơ khen thưởng {period}",
    "approved": "Chi trả tiền thưởng theo hồ sơ {period}",
}


def _unpaid_links(recipients, url: str) -> tuple:
    """Finance's list: each collective and person still to be paid, cut to a few links."""
    links = tuple((f"{r.name} ({r.detail}): {format_money(r.amount)}", url) for r in recipients[:UNITS_SHOWN])
    if len(recipients) > UNITS_SHOWN:
        links += ((f"và {len(recipients) - UNITS_SHOWN} khoản khác", url),)
    return links


def _dossier_items(user, campaign: Campaign, detail: bool) -> list[Item]:
    items = []
    waiting = dossiers_waiting_for(user, campaign, events=detail)
    approved = [d.pk for d in waiting if d.state == "approved"]
    recipients = recipients_of(approved) if approved and detail else {}
    for dossier in waiting:
        event = dossier.last_event
        note = ""
        if event is not None:
            note = f"Chờ từ {timezone.localtime(event.at):%d/%m/%Y}."
            if dossier.state == "returned" and event.comment:
                note += f" Ý kiến khi trả lại: {event.comment}"
        url = reverse("awards:dossier", args=[dossier.pk])
        text, links = DOSSIER_STEPS[dossier.state].format(period=dossier.period.name), ()
        if dossier.state == "approved":
            unpaid = [r for r in recipients.get(dossier.pk, []) if not r.is_paid]
            collectives = sum(1 for r in unpaid if r.kind == "line")
            text += (f": còn {recipients_phrase(collectives, len(unpaid) - collectives)} chưa chi, "
                     f"{format_money(sum(r.amount for r in unpaid))}")
            links = _unpaid_links(unpaid, url + "#chi-tra")
        items.append(Item(text, url, note=note, links=links))
    return items


def waiting_count(items: list[Item]) -> int:
    return sum(1 for item in items if not item.done)


def items_for(user, campaign: Campaign | None, *, detail: bool = True) -> list[Item]:
    """`detail` False: the same items, but without what only the home page prints (the units
    named, a returned report's reason, when a dossier began waiting, who is still to be paid),
    which the menu's count does not need."""
    if campaign is None or not user.is_authenticated:
        return []
    periods = campaign_selectors.open_periods(campaign)
    items = []
    if has_role(user, Role.UNIT_STAFF) and not user.is_superuser:
        items += _staff_items(user_unit(user), periods, detail)
    if has_role(user, Role.COMPILER):
        items += _compiler_items(periods, detail)
    items += _dossier_items(user, campaign, detail)
    return items


def menu_count(user, campaign: Campaign | None) -> int:
    """The number beside the menu: every page a user opens counts it."""
    return waiting_count(items_for(user, campaign, detail=False))
