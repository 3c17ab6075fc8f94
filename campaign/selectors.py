"""Reads for the campaign app; query counts stay flat whatever the number of units."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from units.models import Unit

from .models import Campaign, Period, Report, ReportEvent, Target


def current_campaign() -> Campaign | None:
    """The campaign the pages serve: one at a time, chosen in one query.

    A campaign that has launched comes before one set up ahead of its launch date (preparing
    next year's campaign must not switch the office to it). Among those, the one whose next
    roll-up comes first: when a new campaign starts while the old one's last month is still
    being reported, the old one is served until that month is rolled up. With no month open
    anywhere, the newest."""
    today = timezone.localdate()
    return (
        Campaign.objects.annotate(
            launched=Case(When(launch_date__lte=today, then=Value(1)), default=Value(0)),
            next_rollup=Min("periods__rollup_due_at",
                            filter=Q(periods__status=Period.Status.OPEN)),
        )
        .order_by("-launched", F("next_rollup").asc(nulls_last=True), "-year", "-launch_date",
                  "code")
        .first()
    )


def current_period(campaign: Campaign | None) -> Period | None:
    """The first open period; once every period is locked, the last one."""
    if campaign is None:
        return None
    return current_of(list(campaign.periods.order_by("number")))


def current_of(periods: list[Period]) -> Period | None:
    """current_period among a campaign's periods already read, in order."""
    for period in periods:
        if not period.is_locked:
            return period
    return periods[-1] if periods else None


def reporting_units():
    """Units that report figures: active local offices and the collection department (R12)."""
    return Unit.objects.filter(active=True).filter(
        Q(kind=Unit.Kind.LOCAL_OFFICE) | Q(is_collection_department=True)
    ).order_by("-is_collection_department", "order", "code")


# A reporting unit's report state where it has no report of the period.
MISSING = "missing"


def report_status_label(status: str) -> str:
    return "Chưa có báo cáo" if status == MISSING else Report.Status(status).label


@dataclass(frozen=True)
class ReportRow:
    unit: Unit
    report: Report | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else MISSING

    @property
    def status_label(self) -> str:
        return report_status_label(self.status)


def period_report_rows(period: Period) -> list[ReportRow]:
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period).select_related("submitted_by", "updated_by")
    }
    return [ReportRow(unit=u, report=reports.get(u.id)) for u in reporting_units()]


@dataclass(frozen=True)
class Unsubmitted:
    """The reporting units whose report of a period is not submitted yet."""

    missing: int  # units with no report
    drafts: int
    first: list[Unit]  # the first few, in the reports page's order, each with `report_status`


def unsubmitted_reports(period: Period, shown: int) -> Unsubmitted:
    """Counted by the database, and only the first `shown` units read: every page a compiler
    opens counts them for the menu, and a national campaign has thousands of units."""
    # order_by(): a unit has one report a period; the default ordering would join three tables.
    report = Report.objects.filter(period=period, unit=OuterRef("pk")).order_by()
    status = Subquery(report.values("status"))
    units = (reporting_units().annotate(report_status=Coalesce(status, Value(MISSING)))
             .exclude(report_status=Report.Status.SUBMITTED))
    counts = units.aggregate(waiting=Count("pk"), missing=Count("pk", filter=Q(report_status=MISSING)))
    return Unsubmitted(missing=counts["missing"], drafts=counts["waiting"] - counts["missing"],
                       first=list(units[:shown]))


def campaign_target_rows(campaign: Campaign) -> list[tuple[Unit, Target | None]]:
    targets = {t.unit_id: t for t in Target.objects.filter(campaign=campaign)}
    return [(u, targets.get(u.id)) for u in reporting_units()]


def report_for(period: Period, unit: Unit) -> Report | None:
    return Report.objects.filter(period=period, unit=unit).first()


def target_for(campaign: Campaign, unit: Unit) -> Target | None:
    return Target.objects.filter(campaign=campaign, unit=unit).first()


def days_to_rollup(period: Period, today=None) -> int:
    """Whole days from today (Vietnam's date) to the day the period's roll-up is due."""
    today = today or timezone.localdate()
    return (timezone.localtime(period.rollup_due_at).date() - today).days


def rollup_overdue(period: Period) -> bool:
    """The roll-up's due time has passed and the period is still open."""
    return not period.is_locked and timezone.now() >= period.rollup_due_at


# Bookkeeping fields that change on every save; the history shows figures and states.
HISTORY_HIDDEN_FIELDS = ["updated_at", "updated_by", "version", "submitted_at", "submitted_by", "import_batch"]


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list  # (label, old, new)


def change_history(obj, limit: int = 30) -> list[HistoryEntry]:
    """Who changed which figure of `obj`, when, from what to what (django-simple-history).

    One query: the records are diffed pairwise in memory.
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HISTORY_HIDDEN_FIELDS)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                shown = dict(field.flatchoices) if field.choices else {}
                changes.append((field.verbose_name, shown.get(change.old, change.old),
                                shown.get(change.new, change.new)))
        entries.append(HistoryEntry(newer.history_date, newer.history_user, newer.history_type,
                                    newer.history_change_reason or "", changes))
    return entries[:limit]


def open_periods(campaign: Campaign) -> list[Period]:
    return list(campaign.periods.filter(status=Period.Status.OPEN).order_by("number"))


def return_reasons(reports: list[Report]) -> dict[int, str]:
    """Report id → the reason it was returned, for the drafts among `reports` whose last step
    was the compiler's return (one query, whatever their number)."""
    drafts = [r.pk for r in reports if r is not None and not r.is_submitted]
    if not drafts:
        return {}
    last = {}
    for event in ReportEvent.objects.filter(report_id__in=drafts).order_by("report_id", "-at", "-id"):
        last.setdefault(event.report_id, event)
    return {pk: e.note for pk, e in last.items() if e.action == ReportEvent.Action.RETURNED}


def unit_reports(unit: Unit, periods: list[Period]) -> dict[int, Report]:
    """Period id → the unit's report, for the periods given (one query)."""
    return {r.period_id: r for r in Report.objects.filter(unit=unit, period__in=periods)}
