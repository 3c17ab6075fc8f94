"""Campaign models → the pure scoring engine's inputs, and the live preview on the report page.

`scoring.engine` imports nothing from Django, so it sits below every app: campaign may use it
to show staff what their figures would score, while the roll-up itself lives in `scoring`.
"""

from collections.abc import Iterable, Mapping

from scoring import engine
from units.models import Unit

from .models import Period, Report, Target
from .selectors import reporting_units


def target_input(target: Target | None) -> engine.Target | None:
    if target is None:
        return None
    return engine.Target(
        mandatory=engine.SchemeTarget(target.mandatory_plan, target.mandatory_base),
        voluntary=engine.SchemeTarget(target.voluntary_plan, target.voluntary_base),
        health=engine.SchemeTarget(target.health_plan, target.health_base),
        revenue_plan=target.revenue_plan,
        late_max=target.late_max,
        late_interest_max=target.late_interest_max,
    )


def result_input(figures: Report | Mapping | None) -> engine.Result | None:
    """From a Report or from a form's cleaned_data (same field names)."""
    if figures is None:
        return None
    get = figures.get if isinstance(figures, Mapping) else lambda name: getattr(figures, name)
    return engine.Result(
        mandatory=engine.SchemeResult(get("mandatory_actual"), get("mandatory_last_year")),
        voluntary=engine.SchemeResult(get("voluntary_actual"), get("voluntary_last_year")),
        health=engine.SchemeResult(get("health_actual"), get("health_last_year")),
        revenue=get("revenue"),
        nonpublic_revenue=get("nonpublic_revenue"),
        due=get("due"),
        late=get("late"),
        late_interest=get("late_interest"),
    )


def period_rules(period: Period) -> engine.PeriodRules:
    return engine.PeriodRules(
        participant_threshold=period.participant_threshold,
        revenue_threshold=period.revenue_threshold,
        tie_decimals=period.campaign.tie_decimals,
    )


def unit_input(unit: Unit, target: Target | None, report: Report | None) -> engine.UnitInput:
    return engine.UnitInput(
        code=unit.code, name=unit.name, target=target_input(target),
        result=result_input(report), submitted=bool(report and report.is_submitted),
    )


def province_results(reports: Iterable[Report]) -> list[engine.Result]:
    return [result_input(r) for r in reports]


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
        results = province_results(others) + ([result] if result else [])
        standing = engine.evaluate_province(unit.code, unit.name, target_input(target), results, rules)
    else:
        standing = engine.evaluate(
            engine.UnitInput(unit.code, unit.name, target_input(target), result, submitted=True),
            rules,
        )
    return {"standing": standing, "rules": rules, "province": unit.is_collection_department,
            "has_target": target is not None, "has_figures": result is not None}
