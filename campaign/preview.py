"""The live preview on the report page: what the figures on screen would score.

The rules (rules.engine) import nothing from Django and sit below every app, so campaign may
show staff their standing before the roll-up, which itself lives in `scoring`.
"""

from collections.abc import Mapping

from rules import engine, explain
from rules import province as province_rules
from units.models import Unit

from .models import Period, Report, Target
from .records import period_rules, result_input, target_input
from .selectors import reporting_units


def report_preview(
    *, period: Period, unit: Unit, report: Report | None, figures: Mapping | None,
    target: Target | None,
) -> dict:
    """What the figures on screen would score: per scheme, revenue, late ratios, criteria.

    For the collection department the criteria are held on the province totals (R12), with
    the figures on screen standing in for its own direct part.
    """
    rules = period_rules(period)
    result = result_input(figures) if figures is not None else result_input(report)
    covered = like = None
    if unit.is_collection_department:
        standing, covered, like = _province_preview(period, unit, target, result, rules)
    else:
        unit_input = engine.UnitInput(code=unit.code, name=unit.name, target=target_input(target),
                                      result=result, submitted=True)
        standing = engine.evaluate(unit_input, rules)
    return {"standing": standing, "rules": rules, "province": unit.is_collection_department,
            "has_target": target is not None, "has_figures": result is not None,
            "coverage": covered, "coverage_text": covered and explain.coverage_text(covered.submitted, covered.expected),
            "like_for_like": like}


def _province_preview(period, unit, target, result, rules):
    """R12 on the totals the roll-up would make, with the figures on screen as the department's
    own part; and, as the pages show them, what the totals cover and the like-for-like rates
    while an office has not submitted (rules.province)."""
    offices = reporting_units().exclude(pk=unit.pk)
    # The same reports the roll-up will total (R12): submitted ones of reporting units.
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=offices)}
    targets = {t.unit_id: target_input(t) for t in Target.objects.filter(campaign=period.campaign, unit__in=offices)}
    office_ids = list(offices.values_list("id", flat=True))
    submitted = [reports[i] for i in office_ids if i in reports and reports[i].status == Report.Status.SUBMITTED]
    results = [result_input(r) for r in submitted] + ([result] if result else [])
    province_target = target_input(target)
    standing = engine.evaluate_province(unit.code, unit.name, province_target, results, rules)
    states = [engine.SUBMITTED if reports.get(i) in submitted else
              engine.DRAFT if i in reports else engine.MISSING for i in office_ids]
    parts = [(targets[r.unit_id], result_input(r)) for r in submitted if r.unit_id in targets]
    direct = province_rules.direct_part(province_target, list(targets.values())) if province_target else None
    if province_rules.department_expected(direct, result is not None):
        states.append(engine.SUBMITTED if result is not None else engine.MISSING)
        if result is not None and direct is not None:
            parts.append((direct, result))
    covered = province_rules.coverage(states)
    if covered.complete or province_target is None:
        return standing, covered, None
    if standing.evaluated:
        standing = standing._replace(explanation=province_rules.incomplete_explanation(standing, covered))
    return standing, covered, province_rules.like_for_like(parts, rules)
