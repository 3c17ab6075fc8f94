"""A period's standings from the database: inputs gathered, the pure engine run, JSON built.

The same function feeds the stored snapshot (services.period_rollup) and the provisional
ranking of a period still open, so both read alike. Queries: a fixed handful, whatever the
number of units.

Speed (issue 8: 2,400 units, national scale): the inputs are read as plain rows (tuples of
only the columns the rules use, `values_list()`) rather than model instances; each report
becomes an engine Result once, shared by the offices' ranking and the province totals, and
the stored inputs are written from the same rows. The engine's ratios are integer pairs
(engine.Terms), written into the document without becoming Fractions.
"""

import gc
import hashlib
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum

from campaign.models import Period, Report, Target
from campaign.preview import period_rules
from campaign.selectors import reporting_units
from scoring import allocation, engine
from units.models import Unit

from .models import Nomination

KIND_JSON = {Unit.Kind.LOCAL_OFFICE: "local_office", Unit.Kind.DEPARTMENT: "department"}


def setting_text(value: Decimal) -> str:
    """A percent setting as JSON text, without trailing zeros: Decimal("81.00") -> "81"."""
    return f"{Decimal(value).normalize():f}"


_SCALES = tuple(2 * 100 * 10**places for places in range(12))  # 2 × percent × 10**places
_TENS = tuple(10**places for places in range(12))
_MOST_PLACES = len(_TENS)


def metric_text(value: engine.Terms | None, decimals: int) -> str | None:
    """A ratio (the engine's Terms) as a percentage string with a dot, rounded once to
    `decimals` places: "85.4".

    The text of `engine.percent(value, decimals)` (f"{percent:f}"; a property test holds the
    two together), with engine.percent_scaled's rounding inlined: nine of these per unit were
    a third of the document's time in a national roll-up (issue 8)."""
    if value is None:
        return None
    if not 0 <= decimals < _MOST_PLACES:
        return f"{engine.percent_of_terms(value, decimals):f}"  # refuses a negative number of places
    numerator, denominator = value
    sign = ""
    if numerator < 0:
        sign, numerator = "-", -numerator
    # floor(|value| × 100 × 10**decimals + 1/2): half-up, away from zero
    scaled = (_SCALES[decimals] * numerator + denominator) // (2 * denominator)
    if not scaled:
        sign = ""
    if not decimals:
        return f"{sign}{scaled}"
    whole, part = divmod(scaled, _TENS[decimals])
    # %-formatting: one operation for the zero-padded places, faster than an f-string's
    # nested width (this runs nine times a unit).
    return "%s%d.%0*d" % (sign, whole, decimals, part)  # noqa: UP031


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


def shown_metrics(standing: engine.Standing, decimals: int) -> dict[str, str]:
    """The revenue and late ratios whose rounded text would read as the other verdict than
    their check's (80,96 % reads "81,0" beside C2 ✗), with the places that tell them apart:
    {"revenue_rate": "80.96"}. Usually empty. A ratio that holds may read as its bound (a hair
    under a 3,5 % ceiling is "3,5 %": at the ceiling is within it). Scheme rates need none:
    their entries carry the figures they come from (see scoring_tags.shown_scheme_rate)."""
    shown = {}
    if not standing.evaluated:
        return shown
    for name, value, bound, at_least in (
        ("revenue_rate", standing.revenue_terms, standing.revenue_threshold, True),
        ("late_ratio", standing.late_terms, standing.late_max, False),
        ("late_interest_ratio", standing.late_interest_terms, standing.late_interest_max, False),
    ):
        if value is None or not engine.near_bound(value, bound, decimals):
            continue
        shown_value = engine.shown_beside_verdict(engine.fraction(value), bound, decimals, at_least)
        if -shown_value.as_tuple().exponent > decimals:
            shown[name] = f"{shown_value:f}"
    return shown


def standing_json(standing: engine.Standing, kind: str, decimals: int) -> dict:
    # One function, no helpers: it runs once per unit of a roll-up (issue 8).
    text = metric_text
    entry = {
        "unit": standing.code,
        "name": standing.name,
        "kind": kind,
        "report": standing.report,
        "eligible": standing.eligible,
        "rank": standing.rank,
        "criteria": {
            engine.PARTICIPANTS: standing.participants_met,
            engine.REVENUE: standing.revenue_met,
            engine.LATE: standing.late_met,
        },
        "metrics": {
            "participant_rate": text(standing.participant_terms, decimals),
            "yoy_ratio": text(standing.yoy_terms, decimals),
            "revenue_rate": text(standing.revenue_terms, decimals),
            "nonpublic_share": text(standing.nonpublic_terms, decimals),
            "late_ratio": text(standing.late_terms, decimals),
            "late_interest_ratio": text(standing.late_interest_terms, decimals),
        },
        "schemes": [
            {
                "scheme": o.scheme, "plan": o.plan, "base": o.base, "actual": o.actual,
                "to_develop": o.to_develop, "applicable": o.applicable, "met": o.met,
                "rate": text(o.rate_terms, decimals),
            }
            for o in standing.schemes
        ],
        "explanation": standing.explanation,
    }
    shown = shown_metrics(standing, decimals)
    if shown:
        entry["shown"] = shown
    return entry


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


def _engine_target(values: Sequence) -> engine.Target:
    """campaign.preview.target_input, on a row of TARGET_COLUMNS values."""
    (mandatory_plan, mandatory_base, voluntary_plan, voluntary_base, health_plan, health_base,
     revenue_plan, late_max, late_interest_max) = values
    return engine.Target(
        engine.SchemeTarget(mandatory_plan, mandatory_base),
        engine.SchemeTarget(voluntary_plan, voluntary_base),
        engine.SchemeTarget(health_plan, health_base),
        revenue_plan, late_max, late_interest_max,
    )


def _engine_result(values: Sequence) -> engine.Result:
    """campaign.preview.result_input, on a row of REPORT_COLUMNS values."""
    (mandatory_actual, mandatory_last_year, voluntary_actual, voluntary_last_year, health_actual,
     health_last_year, revenue, nonpublic_revenue, due, late, late_interest) = values
    return engine.Result(
        engine.SchemeResult(mandatory_actual, mandatory_last_year),
        engine.SchemeResult(voluntary_actual, voluntary_last_year),
        engine.SchemeResult(health_actual, health_last_year),
        revenue, nonpublic_revenue, due, late, late_interest,
    )


# The stored inputs hold each unit's target and report as a row of values, the column names
# once at the top ("target_columns", "report_columns"): half the size of an object per row,
# which made them a third of the snapshot's INSERT (issue 8).
STORED_REPORT_COLUMNS = ("status", *REPORT_COLUMNS)
CEILING_COLUMNS = ("late_max", "late_interest_max")  # Decimals, stored as text
assert TARGET_COLUMNS[-2:] == CEILING_COLUMNS


def _target_row(values: Sequence | None) -> list | None:
    if values is None:
        return None
    *figures, late_max, late_interest_max = values
    return [*figures, str(late_max), str(late_interest_max)]


def _stored_entry(inputs: dict, columns_key: str, row: list | dict | None) -> dict | None:
    """A stored target or report as {column: value}. Snapshots made before the rows were
    written as objects; those are returned as they are."""
    if row is None or isinstance(row, dict):
        return row
    return dict(zip(inputs[columns_key], row, strict=True))


def stored_figures(inputs: dict, unit_code: str) -> tuple[engine.Target | None, engine.Result | None]:
    """A unit's target and report as a snapshot's stored inputs hold them: what the period
    was judged on, whatever has been edited since (targets belong to the campaign, not to a
    period, and may change after a month is rolled up)."""
    entry = next((u for u in inputs.get("units", []) if u["unit"] == unit_code), None)
    if entry is None:
        return None, None
    target = _stored_entry(inputs, "target_columns", entry["target"])
    report = _stored_entry(inputs, "report_columns", entry["report"])
    if target is not None:
        target = _engine_target(tuple(
            Decimal(target[column]) if column in CEILING_COLUMNS else target[column]
            for column in TARGET_COLUMNS
        ))
    if report is not None:
        report = _engine_result(tuple(report[column] for column in REPORT_COLUMNS))
    return target, report


@contextmanager
def _cyclic_gc_paused():
    """The roll-up makes some 100,000 short-lived objects (engine records, JSON
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
    # Named rows (unit.code): as cheap as plain tuples, a third cheaper than values() dicts.
    units = list(reporting_units().values_list(*UNIT_COLUMNS, named=True))
    # unit id → TARGET_COLUMNS values
    targets = {
        unit_id: values
        for unit_id, *values in Target.objects.filter(campaign=campaign).order_by()
        .values_list("unit_id", *TARGET_COLUMNS)
    }
    if not targets:
        raise ValidationError(
            f"Phong trào {campaign.code} chưa có chỉ tiêu giao cho đơn vị nào; "
            "hãy nhập chỉ tiêu trước khi tổng hợp."
        )
    # unit id → [status, *REPORT_COLUMNS values], as stored. Only the reporting units' reports
    # (R12): a stray report of another department or of an office since closed is no part of
    # the province. Filtered here, not with unit__in=[…]: at national scale that list is 2,400
    # parameters.
    reporting = {u.id for u in units}
    report_rows = {
        unit_id: row
        for unit_id, *row in Report.objects.filter(period=period).order_by()
        .values_list("unit_id", *STORED_REPORT_COLUMNS)
        if unit_id in reporting
    }
    # unit id → (status, engine Result): each report converted once, used twice below.
    reports = {
        unit_id: (row[0], _engine_result(row[1:])) for unit_id, row in report_rows.items()
    }
    nominations = list(
        Nomination.objects.filter(period=period).select_related("unit").order_by("order", "id")
    )
    rules = period_rules(period)
    decimals = rules.tie_decimals

    engine_targets = {unit_id: _engine_target(values) for unit_id, values in targets.items()}

    def unit_input(unit) -> engine.UnitInput:
        # campaign.preview.unit_input, on the rows read above
        status, result = reports.get(unit.id, (None, None))
        return engine.UnitInput(unit.code, unit.name, engine_targets.get(unit.id),
                                result, status == Report.Status.SUBMITTED)

    offices = [u for u in units if u.kind == Unit.Kind.LOCAL_OFFICE]
    standings = engine.rank_local_offices([unit_input(u) for u in offices], rules)

    # R12: the collection department on the province totals of the submitted reports.
    department = next((u for u in units if u.is_collection_department), None)
    province = None
    if department is not None:
        counted = [result for status, result in reports.values() if status == Report.Status.SUBMITTED]
        province = engine.evaluate_province(
            department.code, department.name, engine_targets.get(department.id), counted, rules,
        )

    # R13/R14: ranked offices first, then nominated departments in the compiler's order;
    # the collection department only when the province totals meet C1-C3.
    province_ok = province is not None and allocation.collection_department_may_be_proposed(province)
    nominated = [
        n.unit.code for n in nominations
        if not n.unit.is_collection_department or province_ok
    ]
    ranked = [s.code for s in standings if s.rank is not None]
    names = {u.code: u.name for u in units} | {n.unit.code: n.unit.name for n in nominations}
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
        # What the documents of the period's dossier print about the period and campaign:
        # they read it from here, so they say what was decided whatever is edited later.
        "period": {"number": period.number, "name": period.name,
                   "first_day": period.first_day.isoformat(),
                   "last_day": period.last_day.isoformat()},
        "campaign": {"code": campaign.code, "name": campaign.name,
                     "legal_basis": campaign.legal_basis},
    }
    inputs = {
        "target_columns": list(TARGET_COLUMNS),
        "report_columns": list(STORED_REPORT_COLUMNS),
        "units": [
            {"unit": u.code, "name": u.name, "kind": KIND_JSON[u.kind],
             "collection_department": u.is_collection_department,
             "target": _target_row(targets.get(u.id)),
             "report": report_rows.get(u.id)}
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
    """What a provisional ranking depends on, in four queries: any saved report, target or
    nomination moves it (every save bumps updated_at/version; a new or deleted row changes a
    count); so does any change to the reporting units as the document shows them (units keep
    no timestamp, so their few columns are read whole: a renamed office must not keep its old
    name for five minutes), to the period's thresholds, or to the campaign's settings that
    reach the document."""
    reports = Report.objects.filter(period=period).aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"))
    targets = Target.objects.filter(campaign_id=period.campaign_id).aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"))
    nominations = Nomination.objects.filter(period=period).aggregate(
        n=Count("id"), last=Max("id"), order=Sum("order"))
    units = list(reporting_units().values_list(*UNIT_COLUMNS))
    campaign = period.campaign
    settings_key = (period.participant_threshold, period.revenue_threshold, campaign.code,
                    campaign.tie_decimals, prize_ladder(campaign), prize_terms(campaign))
    raw = repr((sorted(reports.items()), sorted(targets.items()), sorted(nominations.items()),
                units, settings_key))
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
