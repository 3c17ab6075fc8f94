"""The Excel files the campaign hands out: blank templates and exports of what is stored."""

from __future__ import annotations

from units.models import Organisation

from . import xlsx
from .models import Campaign, Period, Report, Target
from .selectors import reporting_units


def template_build(*, kind: str, campaign: Campaign, period: Period | None = None) -> bytes:
    return xlsx.build_template(kind, campaign=campaign, period=period, units=reporting_units(),
                               organisation=Organisation.current())


def targets_export(*, campaign: Campaign) -> bytes:
    targets = {t.unit_id: t for t in Target.objects.filter(campaign=campaign)}
    rows = [(unit, targets.get(unit.pk)) for unit in reporting_units()]
    # A unit no longer reporting may still hold a target; the export must not hide it.
    listed = {unit.pk for unit, _ in rows}
    rows += [(t.unit, t) for t in Target.objects.filter(campaign=campaign).select_related("unit")
             if t.unit_id not in listed]
    return xlsx.export_targets(campaign=campaign, rows=rows, organisation=Organisation.current())


def reports_export(*, period: Period) -> bytes:
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period).select_related("unit", "submitted_by")
    }
    rows = [(unit, reports.pop(unit.pk, None)) for unit in reporting_units()]
    rows += [(r.unit, r) for r in reports.values()]
    return xlsx.export_reports(period=period, rows=rows, organisation=Organisation.current())
