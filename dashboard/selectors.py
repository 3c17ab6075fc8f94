"""Reads for the director's dashboard and a unit's panel. The top layer: it may read every app.

Each period's standings come from its current snapshot or, while the period is open, from a
provisional roll-up; either way a fixed number of queries per period, whatever the number of
units.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

from campaign.models import Campaign, Period, Report, Target
from campaign.records import result_input, target_input
from rules import engine
from rules.gaps import Gaps, gaps
from scoring.models import Snapshot
from scoring.rollup import campaign_fingerprint, provisional_document, stored_figures
from scoring.selectors import document_coverage, province_shown

# A province (25-50 units) is shown whole; at national scale (2,400) the dashboard shows the
# head of each list and links to the paged ranking, so the page stays readable and fast.
TABLE_ROWS = 60
CHART_POINTS = 60

KINDS = {"local_office": "BHXH cơ sở", "department": "Phòng nghiệp vụ (toàn tỉnh)", "all": "Tất cả"}


@dataclass
class PeriodView:
    period: Period
    snapshot: Snapshot | None
    document: dict | None
    error: str | None = None

    @property
    def provisional(self) -> bool:
        return self.snapshot is None

    @property
    def decimals(self) -> int:
        """The places the month's percentages are shown with (R10's tie_decimals)."""
        return (self.document or {}).get("tie_decimals", self.period.campaign.tie_decimals)

    @property
    def rows_by_unit(self) -> dict[str, dict]:
        if not self.document:
            return {}
        rows = {r["unit"]: r for r in self.document["standings"]}
        if self.document.get("province"):
            # With what its totals cover: a unit's panel of the collection department shows
            # them as the pages do (scoring.selectors.document_shown).
            rows[self.document["province"]["unit"]] = province_shown(self.document)
        return rows


def period_views(campaign: Campaign) -> list[PeriodView]:
    periods = list(campaign.periods.select_related("campaign").order_by("number"))
    # Not the stored inputs: 0.7 MB at 2,400 units, and never shown.
    snapshots = {
        s.period_id: s
        for s in Snapshot.objects.filter(period__campaign=campaign, superseded_at__isnull=True)
        .defer("inputs")
    }
    views = []
    shared = None  # the campaign's part of the open periods' fingerprints, read once
    for period in periods:
        snapshot = snapshots.get(period.id)
        if snapshot is not None:
            views.append(PeriodView(period, snapshot, snapshot.document))
            continue
        if shared is None:
            shared = campaign_fingerprint(campaign)
        try:
            views.append(PeriodView(period, None, provisional_document(period, shared)))
        except ValidationError as exc:
            views.append(PeriodView(period, None, None, " ".join(exc.messages)))
    return views


def filtered_rows(document: dict, kind: str) -> list[dict]:
    rows = [] if kind == "department" else list(document["standings"])
    if kind in ("department", "all") and document.get("province"):
        rows.append(document["province"])
    return rows


def scheme_charts(document: dict) -> list[dict]:
    """Per scheme, every local office's development rate and the threshold line."""
    charts = []
    for scheme in engine.SCHEMES:
        points = []
        for row in document["standings"]:
            entry = next((s for s in row.get("schemes", []) if s["scheme"] == scheme), None)
            if entry is not None and entry["applicable"] and entry["rate"] is not None:
                points.append({"unit": row["unit"], "name": row.get("name", row["unit"]),
                               "rate": entry["rate"], "met": entry["met"]})
        points.sort(key=lambda p: Decimal(p["rate"]), reverse=True)
        charts.append({"scheme": scheme, "label": engine.SCHEME_LABELS[scheme],
                       "threshold": document["participant_threshold"],
                       "points": points[:CHART_POINTS], "hidden": max(0, len(points) - CHART_POINTS)})
    return charts


def _scheme_rate(entries: list[dict], scheme: str) -> str | None:
    entry = next((s for s in entries if s["scheme"] == scheme), None)
    return entry["rate"] if entry and entry["applicable"] else None


def trend(views: list[PeriodView]) -> dict:
    """Province rates per scheme and eligible offices, across the periods. A month whose
    totals lack a report is never plotted with the totals' rates (they would read as the
    province collapsing): it carries the like-for-like rates over the submitted units' own
    targets, and is marked incomplete for the chart's dashed style and the table."""
    series = {s: [] for s in engine.SCHEMES}
    labels, thresholds, eligible, missing, incomplete, covered = [], [], [], [], [], []
    for view in views:
        labels.append(view.period.name)
        thresholds.append(f"{view.period.participant_threshold.normalize():f}")
        doc = view.document
        province = (doc or {}).get("province") or {}
        coverage = document_coverage(doc) if doc else None
        short = coverage is not None and not coverage["complete"]
        if short:
            entries = (coverage["like_for_like"] or {}).get("schemes", [])
        else:
            entries = province.get("schemes", [])
        for scheme in engine.SCHEMES:
            series[scheme].append(_scheme_rate(entries, scheme))
        incomplete.append(short)
        covered.append(f"{coverage['submitted']}/{coverage['expected']}" if coverage else "–")
        eligible.append(sum(1 for r in (doc or {}).get("standings", []) if r["eligible"]))
        missing.append(sum(1 for r in (doc or {}).get("standings", []) if r["report"] != "submitted"))
    return {
        "labels": labels, "thresholds": thresholds, "eligible": eligible, "missing": missing,
        "incomplete": incomplete, "covered": covered, "any_incomplete": any(incomplete),
        "series": [{"scheme": s, "label": engine.SCHEME_LABELS[s], "rates": series[s]} for s in engine.SCHEMES],
        # The same figures by period, for the table beside the chart.
        "rows": [
            {"label": labels[i], "threshold": thresholds[i], "eligible": eligible[i],
             "missing": missing[i], "rates": [series[s][i] for s in engine.SCHEMES],
             "decimals": views[i].decimals, "incomplete": incomplete[i], "covered": covered[i]}
            for i in range(len(labels))
        ],
    }


@dataclass
class PanelPeriod:
    period: Period
    report: Report | None
    row: dict | None
    provisional: bool
    gaps: Gaps | None = None
    yoy: list[tuple[str, Decimal | None]] = field(default_factory=list)
    # The thresholds the gaps are measured against: the snapshot's for a rolled-up month.
    participant_threshold: Decimal | None = None
    revenue_threshold: Decimal | None = None
    document: dict | None = None  # the month's standings
    decimals: int = 1  # the places its percentages are shown with (R10's tie_decimals)


def unit_panel(campaign: Campaign, unit) -> tuple[Target | None, list[PanelPeriod]]:
    """A unit's months: its row of the standings and how far it is from each bound. A rolled-up
    month is measured on the target, report and thresholds its snapshot stored; an open month
    on today's."""
    target = Target.objects.filter(campaign=campaign, unit=unit).first()
    reports = {r.period_id: r for r in Report.objects.filter(period__campaign=campaign, unit=unit)}
    views = period_views(campaign)
    stored = {
        period_id: stored_figures(inputs, unit.code)
        for period_id, inputs in Snapshot.objects.filter(
            pk__in=[v.snapshot.pk for v in views if v.snapshot is not None]
        ).values_list("period_id", "inputs")
    }
    panels = []
    for view in views:
        report = reports.get(view.period.id)
        panel = PanelPeriod(view.period, report, view.rows_by_unit.get(unit.code), view.provisional,
                            document=view.document, decimals=view.decimals)
        if view.snapshot is not None:
            engine_target, result = stored.get(view.period.id, (None, None))
            settings = view.snapshot.applied_settings
            thresholds = (Decimal(settings["participant_threshold"]), Decimal(settings["revenue_threshold"]))
        else:
            engine_target, result = target_input(target), result_input(report)
            thresholds = (view.period.participant_threshold, view.period.revenue_threshold)
        panel.participant_threshold, panel.revenue_threshold = thresholds
        if result is not None and engine_target is not None and not unit.is_collection_department:
            panel.gaps = gaps(engine_target, result, *thresholds)
            panel.yoy = [
                (s, engine.percent(
                    Fraction(getattr(result, s).actual, getattr(result, s).last_year), panel.decimals)
                 if getattr(result, s).last_year else None)
                for s in engine.SCHEMES
            ]
        panels.append(panel)
    return target, panels


@dataclass(frozen=True)
class RecordMonth:
    """One rolled-up period of a unit's record: its rank (None: not ranked) and the prize its
    dossier gives it (None: no prize), with the dossier's state."""

    period: Period
    rank: int | None
    prize: str | None
    dossier_state: str | None


def unit_record(unit) -> list[tuple[Campaign, list[RecordMonth]]]:
    """A unit's record across every campaign, newest first, from what was decided: the rank
    in each period's current snapshot and the prize in its dossier (a cancelled dossier, the
    one of a reopened period, does not count). Two queries whatever the number of campaigns;
    the ranks are read from the stored standings."""
    from awards.models import AwardLine, Dossier

    snapshots = (
        Snapshot.objects.filter(superseded_at__isnull=True, period__status=Period.Status.LOCKED)
        .select_related("period__campaign").defer("inputs", "applied_settings")
        .order_by("-period__campaign__launch_date", "period__campaign__code", "period__number")
    )
    lines = {
        line.dossier.period_id: line
        for line in AwardLine.objects.filter(unit=unit)
        .exclude(dossier__state=Dossier.State.CANCELLED).select_related("dossier")
    }
    record: dict[int, tuple[Campaign, list[RecordMonth]]] = {}
    for snapshot in snapshots:
        period = snapshot.period
        row = next((r for r in snapshot.document["standings"] if r["unit"] == unit.code), None)
        line = lines.get(period.pk)
        month = RecordMonth(
            period=period, rank=row.get("rank") if row else None,
            prize=line.prize_name if line else None,
            dossier_state=line.dossier.get_state_display() if line else None,
        )
        record.setdefault(period.campaign_id, (period.campaign, []))[1].append(month)
    return list(record.values())
