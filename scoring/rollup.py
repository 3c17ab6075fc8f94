"""A period's standings from the database: inputs gathered, the pure engine run, JSON built.

The same function feeds the stored snapshot (services.period_rollup) and the provisional
ranking of a period still open, so both read alike. Queries: a fixed handful, whatever the
number of units.

Speed (issue 8: 2,400 units, national scale): the pages run this on every view of an open
period, so the inputs are read as plain rows (`values()`, only the columns the rules use)
rather than model instances, and each report becomes an engine Result once, shared by the
offices' ranking, the province totals and the stored inputs.
"""

import gc
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum

from campaign.models import Period, Report, Target
from campaign.preview import period_rules, result_input, target_input
from campaign.selectors import reporting_units
from scoring import allocation, engine
from units.models import Unit

from .models import Nomination

KIND_JSON = {Unit.Kind.LOCAL_OFFICE: "local_office", Unit.Kind.DEPARTMENT: "department"}


def setting_text(value: Decimal) -> str:
    """A percent setting as JSON text, without trailing zeros: Decimal("81.00") -> "81"."""
    return f"{Decimal(value).normalize():f}"


def metric_text(value: Fraction | None, decimals: int) -> str | None:
    """A ratio as a percentage string with a dot, rounded once to `decimals` places: "85.4".

    The text of `engine.percent(value, decimals)` (f"{percent:f}"), written from the rounded
    integer directly: some 10 per unit in a roll-up."""
    if value is None:
        return None
    scaled = engine.percent_scaled(value, decimals)
    if not decimals:
        return str(scaled)
    digits = str(abs(scaled)).rjust(decimals + 1, "0")
    return f"{'-' if scaled < 0 else ''}{digits[:-decimals]}.{digits[-decimals:]}"


@dataclass(frozen=True)
class RollupResult:
    inputs: dict
    applied_settings: dict
    document: dict


def prize_ladder(campaign) -> tuple[str, ...]:
    """R14's ladder from the campaign's quotas (1 first, 1 second, 3 third by default)."""
    return (
        (allocation.FIRST,) * campaign.first_prize_quota
        + (allocation.SECOND,) * campaign.second_prize_quota
        + (allocation.THIRD,) * campaign.third_prize_quota
    )


def prize_terms(campaign) -> dict[str, dict]:
    """Per prize: the collective's amount and how many of its staff may be named (R15, R16)."""
    return {
        allocation.FIRST: {"amount": campaign.first_prize_amount,
                           "individual_quota": campaign.first_prize_individuals},
        allocation.SECOND: {"amount": campaign.second_prize_amount,
                            "individual_quota": campaign.second_prize_individuals},
        allocation.THIRD: {"amount": campaign.third_prize_amount,
                           "individual_quota": campaign.third_prize_individuals},
    }


def monthly_prize_ceiling(campaign) -> int:
    """R16: the most a month can cost: every prize of the ladder with all its individuals."""
    terms = prize_terms(campaign)
    return sum(
        terms[prize]["amount"] + terms[prize]["individual_quota"] * campaign.individual_amount
        for prize in prize_ladder(campaign)
    )


def _metrics(standing: engine.Standing, decimals: int) -> dict:
    def pct(value):
        return metric_text(value, decimals)

    return {
        "participant_rate": pct(standing.participant_rate),
        "yoy_ratio": pct(standing.yoy_ratio),
        "revenue_rate": pct(standing.revenue_rate),
        "nonpublic_share": pct(standing.nonpublic_share),
        "late_ratio": pct(standing.late_ratio),
        "late_interest_ratio": pct(standing.late_interest_ratio),
    }


def _schemes(standing: engine.Standing, decimals: int) -> list[dict]:
    return [
        {
            "scheme": o.scheme, "plan": o.plan, "base": o.base, "actual": o.actual,
            "to_develop": o.to_develop, "applicable": o.applicable, "met": o.met,
            "rate": metric_text(o.rate, decimals),
        }
        for o in standing.schemes
    ]


def standing_json(standing: engine.Standing, kind: str, decimals: int) -> dict:
    return {
        "unit": standing.code,
        "name": standing.name,
        "kind": kind,
        "report": standing.report,
        "eligible": standing.eligible,
        "rank": standing.rank,
        "criteria": {
            engine.PARTICIPANTS: standing.c1.holds,
            engine.REVENUE: standing.c2.holds,
            engine.LATE: standing.c3.holds,
        },
        "metrics": _metrics(standing, decimals),
        "schemes": _schemes(standing, decimals),
        "explanation": standing.explanation,
    }


# The columns the roll-up reads; rows, not model instances (see the module's docstring).
UNIT_COLUMNS = ("id", "code", "name", "kind", "is_collection_department")
TARGET_COLUMNS = (
    "mandatory_plan", "mandatory_base", "voluntary_plan", "voluntary_base", "health_plan",
    "health_base", "revenue_plan", "late_max", "late_interest_max",
)
REPORT_COLUMNS = (
    "mandatory_actual", "mandatory_last_year", "voluntary_actual", "voluntary_last_year",
    "health_actual", "health_last_year", "revenue", "nonpublic_revenue", "due", "late",
    "late_interest",
)


def _target_json(target: dict | None) -> dict | None:
    if target is None:
        return None
    return {
        "mandatory_plan": target["mandatory_plan"], "mandatory_base": target["mandatory_base"],
        "voluntary_plan": target["voluntary_plan"], "voluntary_base": target["voluntary_base"],
        "health_plan": target["health_plan"], "health_base": target["health_base"],
        "revenue_plan": target["revenue_plan"],
        "late_max": str(target["late_max"]), "late_interest_max": str(target["late_interest_max"]),
    }


def _report_json(status: str, result: engine.Result) -> dict:
    return {
        "status": status,
        "mandatory_actual": result.mandatory.actual, "mandatory_last_year": result.mandatory.last_year,
        "voluntary_actual": result.voluntary.actual, "voluntary_last_year": result.voluntary.last_year,
        "health_actual": result.health.actual, "health_last_year": result.health.last_year,
        "revenue": result.revenue, "nonpublic_revenue": result.nonpublic_revenue,
        "due": result.due, "late": result.late, "late_interest": result.late_interest,
    }


@contextmanager
def _cyclic_gc_paused():
    """The roll-up makes some 100,000 short-lived objects (Fractions, frozen dataclasses, JSON
    dicts), none in a reference cycle, so reference counting frees them all. The cyclic
    collector would still walk the whole heap every few thousand allocations: a quarter of
    the roll-up's time at 2,400 units (issue 8). Paused for the call, restored after (left
    off if the caller had turned it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_rollup(period: Period) -> RollupResult:
    """Everything a snapshot stores, computed from the current data of `period`."""
    with _cyclic_gc_paused():
        return _build_rollup(period)


def _build_rollup(period: Period) -> RollupResult:
    campaign = period.campaign
    units = list(reporting_units().values(*UNIT_COLUMNS))
    targets = {
        row["unit_id"]: row
        for row in Target.objects.filter(campaign=campaign).order_by().values("unit_id", *TARGET_COLUMNS)
    }
    if not targets:
        raise ValidationError(
            f"Phong trào {campaign.code} chưa có chỉ tiêu giao cho đơn vị nào; "
            "hãy nhập chỉ tiêu trước khi tổng hợp."
        )
    # unit id → (status, engine Result): each report converted once, used three times below.
    # Only the reporting units' reports (R12): a stray report of another department or of an
    # office since closed is no part of the province.
    # Filtered here, not with unit__in=[…]: at national scale that list is 2,400 parameters.
    reporting = {u["id"] for u in units}
    reports = {
        row["unit_id"]: (row["status"], result_input(row))
        for row in Report.objects.filter(period=period).order_by()
        .values("unit_id", "status", *REPORT_COLUMNS)
        if row["unit_id"] in reporting
    }
    nominations = list(
        Nomination.objects.filter(period=period).select_related("unit").order_by("order", "id")
    )
    rules = period_rules(period)
    decimals = rules.tie_decimals

    def engine_target(unit_id: int) -> engine.Target | None:
        row = targets.get(unit_id)
        return None if row is None else target_input(SimpleNamespace(**row))

    def unit_input(unit: dict) -> engine.UnitInput:
        # campaign.preview.unit_input, on the rows read above
        status, result = reports.get(unit["id"], (None, None))
        return engine.UnitInput(code=unit["code"], name=unit["name"], target=engine_target(unit["id"]),
                                result=result, submitted=status == Report.Status.SUBMITTED)

    offices = [u for u in units if u["kind"] == Unit.Kind.LOCAL_OFFICE]
    standings = engine.rank_local_offices([unit_input(u) for u in offices], rules)

    # R12: the collection department on the province totals of the submitted reports.
    department = next((u for u in units if u["is_collection_department"]), None)
    province = None
    if department is not None:
        counted = [result for status, result in reports.values() if status == Report.Status.SUBMITTED]
        province = engine.evaluate_province(
            department["code"], department["name"], engine_target(department["id"]), counted, rules,
        )

    # R13/R14: ranked offices first, then nominated departments in the compiler's order;
    # the collection department only when the province totals meet C1-C3.
    province_ok = province is not None and allocation.collection_department_may_be_proposed(province)
    nominated = [
        n.unit.code for n in nominations
        if not n.unit.is_collection_department or province_ok
    ]
    ranked = [s.code for s in standings if s.rank is not None]
    names = {u["code"]: u["name"] for u in units} | {n.unit.code: n.unit.name for n in nominations}
    proposals = allocation.allocate(ranked, nominated, prize_ladder(campaign))
    terms = prize_terms(campaign)

    applied_settings = {
        "rules_version": engine.RULES_VERSION,
        "participant_threshold": setting_text(period.participant_threshold),
        "revenue_threshold": setting_text(period.revenue_threshold),
        "tie_decimals": decimals,
        "ladder": list(prize_ladder(campaign)),
        "prizes": terms,
        "individual_amount": campaign.individual_amount,
    }
    inputs = {
        "units": [
            {"unit": u["code"], "name": u["name"], "kind": KIND_JSON[u["kind"]],
             "collection_department": u["is_collection_department"],
             "target": _target_json(targets.get(u["id"])),
             "report": _report_json(*reports[u["id"]]) if u["id"] in reports else None}
            for u in units
        ],
        "nominations": [
            {"unit": n.unit.code, "reason": n.reason, "order": n.order} for n in nominations
        ],
    }
    document = {
        "campaign": campaign.code,
        "period": period.number,
        "participant_threshold": applied_settings["participant_threshold"],
        "revenue_threshold": applied_settings["revenue_threshold"],
        "tie_decimals": decimals,
        "standings": [standing_json(s, "local_office", decimals) for s in standings],
        "province": standing_json(province, "department", decimals) if province else None,
        "awards": [
            {"unit": p.unit, "name": names.get(p.unit, p.unit), "prize": p.prize, **terms[p.prize]}
            for p in proposals
        ],
    }
    return RollupResult(inputs=inputs, applied_settings=applied_settings, document=document)


PROVISIONAL_CACHE_SECONDS = 300


def _data_fingerprint(period: Period) -> str:
    """What a provisional ranking depends on, in three aggregate queries: any saved report,
    target or nomination moves it (every save bumps updated_at/version; a new or deleted row
    changes a count), and so does a change of the period's thresholds or the campaign's
    settings."""
    reports = Report.objects.filter(period=period).aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"))
    targets = Target.objects.filter(campaign_id=period.campaign_id).aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"))
    nominations = Nomination.objects.filter(period=period).aggregate(
        n=Count("id"), last=Max("id"), order=Sum("order"))
    campaign = period.campaign
    settings_key = (period.participant_threshold, period.revenue_threshold, campaign.tie_decimals,
                    campaign.first_prize_amount, campaign.second_prize_amount,
                    campaign.third_prize_amount, campaign.first_prize_quota,
                    campaign.second_prize_quota, campaign.third_prize_quota,
                    reporting_units().count())
    raw = repr((sorted(reports.items()), sorted(targets.items()), sorted(nominations.items()),
                settings_key))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def provisional_document(period: Period) -> dict:
    """The standings of an open period as the figures stand, for the ranking page and the
    dashboard. Computing them is the costly part at national scale (a few hundred ms at 2,400
    units), so the document is cached until any input changes (see `_data_fingerprint`)."""
    key = f"thidua:provisional:{period.pk}:{_data_fingerprint(period)}"
    document = cache.get(key)
    if document is None:
        document = build_rollup(period).document
        cache.set(key, document, PROVISIONAL_CACHE_SECONDS)
    return document
