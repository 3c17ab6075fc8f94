"""The live preview on the report page: what the figures on screen would score.

The rules (rules.engine) import nothing from Django and sit below every app, so campaign may
show staff their standing before the roll-up, which itself lives in `scoring`.
"""

from collections.abc import Mapping

from rules import engine
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
    if unit.is_collection_department:
        # The same reports the roll-up will total (R12): submitted ones of reporting units.
        others = Report.objects.filter(
            period=period, status=Report.Status.SUBMITTED, unit__in=reporting_units()
        ).exclude(unit=unit)
        results = [result_input(r) for r in others] + ([result] if result else [])
        standing = engine.evaluate_province(unit.code, unit.name, target_input(target), results, rules)
    else:
        unit_input = engine.UnitInput(code=unit.code, name=unit.name, target=target_input(target),
                                      result=result, submitted=True)
        standing = engine.evaluate(unit_input, rules)
    return {"standing": standing, "rules": rules, "province": unit.is_collection_department,
            "has_target": target is not None, "has_figures": result is not None}
