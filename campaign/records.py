"""Campaign models → the records of the pure rules (rules.engine): the one converter.

A target or a report is read by field name, whether it comes as a model instance, a form's
cleaned_data, or a row the roll-up read or a snapshot stored ({field: value}).
"""

from collections.abc import Mapping

from rules import engine

from .models import Period

# The fields the rules read, in the models' own names.
TARGET_FIELDS = (
    "mandatory_plan", "mandatory_base", "voluntary_plan", "voluntary_base", "health_plan",
    "health_base", "revenue_plan", "late_max", "late_interest_max",
)
REPORT_FIELDS = (
    "mandatory_actual", "mandatory_last_year", "voluntary_actual", "voluntary_last_year",
    "health_actual", "health_last_year", "revenue", "nonpublic_revenue", "due", "late",
    "late_interest",
)


def _reader(source):
    return source.__getitem__ if isinstance(source, Mapping) else lambda name: getattr(source, name)


def target_input(target) -> engine.Target | None:
    """A Target (or {field: value} of TARGET_FIELDS) as the rules' Target; None for none."""
    if target is None:
        return None
    get = _reader(target)
    return engine.Target(
        mandatory=engine.SchemeTarget(plan=get("mandatory_plan"), base=get("mandatory_base")),
        voluntary=engine.SchemeTarget(plan=get("voluntary_plan"), base=get("voluntary_base")),
        health=engine.SchemeTarget(plan=get("health_plan"), base=get("health_base")),
        revenue_plan=get("revenue_plan"),
        late_max=get("late_max"),
        late_interest_max=get("late_interest_max"),
    )


def result_input(figures) -> engine.Result | None:
    """A Report (or a form's cleaned_data, or {field: value} of REPORT_FIELDS) as the rules'
    Result; None for none."""
    if figures is None:
        return None
    get = _reader(figures)
    return engine.Result(
        mandatory=engine.SchemeResult(actual=get("mandatory_actual"),
                                      last_year=get("mandatory_last_year")),
        voluntary=engine.SchemeResult(actual=get("voluntary_actual"),
                                      last_year=get("voluntary_last_year")),
        health=engine.SchemeResult(actual=get("health_actual"), last_year=get("health_last_year")),
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
