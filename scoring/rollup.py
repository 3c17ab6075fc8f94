"""A period's standings from the database: inputs gathered, the pure rules run, JSON built.

The same function feeds the stored snapshot (services.period_rollup) and the provisional
ranking of a period still open, so both read alike. Queries: a fixed handful, whatever the
number of units. Targets and reports are read as rows of the columns the rules use; each
report becomes a rules Result once (campaign.records), shared by the offices' ranking and the
province totals, and the stored inputs are written from the same rows.
"""

import gc
import hashlib
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum

from campaign.models import Period, Report, Target
from campaign.records import REPORT_FIELDS, TARGET_FIELDS, period_rules, result_input, target_input
from campaign.selectors import reporting_units
from rules import allocation, engine
from rules import province as province_rules
from units.models import Unit

from .models import Nomination
from .selectors import period_nominations

KIND_JSON = {Unit.Kind.LOCAL_OFFICE: "local_office", Unit.Kind.DEPARTMENT: "department"}


def setting_text(value: Decimal) -> str:
    """A percent setting as JSON text, without trailing zeros: Decimal("81.00") -> "81"."""
    return f"{Decimal(value).normalize():f}"


def metric_text(value: Fraction | None, decimals: int) -> str | None:
    """A ratio as a percentage string with a dot, rounded once by engine.percent: "85.4"."""
    return None if value is None else f"{engine.percent(value, decimals):f}"


@dataclass(frozen=True)
class RollupResult:
    inputs: dict
    applied_settings: dict
    document: dict


def shown_metrics(standing: engine.Standing, decimals: int) -> dict[str, str]:
    """The revenue and late ratios whose rounded text would read as the other verdict than
    their check's (80,96 % reads "81,0" beside C2 ✗), with the places that tell them apart:
    {"revenue_rate": "80.96"}. Usually empty. A ratio that holds may read as its bound (a hair
    under a 3,5 % ceiling is "3,5 %": at the ceiling is within it). Scheme rates need none:
    their entries carry the figures they come from (see scoring_tags.shown_scheme_rate)."""
    shown = {}
    for check in (*standing.c2.checks, *standing.c3.checks):
        if check.value is None:
            continue
        shown_value = engine.shown_beside_verdict(check.value, check.bound, decimals, check.at_least)
        if -shown_value.as_tuple().exponent > decimals:
            shown[check.name] = f"{shown_value:f}"
    return shown


def standing_json(standing: engine.Standing, kind: str, decimals: int) -> dict:
    entry = {
        "unit": standing.code,
        "name": standing.name,
        "kind": kind,
        "report": standing.report,
        "eligible": standing.eligible,
        "rank": standing.rank,
        "criteria": {criterion.key: criterion.holds for criterion in standing.criteria},
        "metrics": {
            "participant_rate": metric_text(standing.participant_rate, decimals),
            "yoy_ratio": metric_text(standing.yoy_ratio, decimals),
            "revenue_rate": metric_text(standing.revenue_rate, decimals),
            "nonpublic_share": metric_text(standing.nonpublic_share, decimals),
            "late_ratio": metric_text(standing.late_ratio, decimals),
            "late_interest_ratio": metric_text(standing.late_interest_ratio, decimals),
        },
        "schemes": [
            {
                "scheme": o.scheme, "plan": o.plan, "base": o.base, "actual": o.actual,
                "to_develop": o.to_develop, "applicable": o.applicable, "met": o.met,
                "rate": metric_text(o.rate, decimals),
            }
            for o in standing.schemes
        ],
        # R11 step 6, so that a tie broken on it is on the page (scoring.selectors.ranking_key).
        "revenue": standing.revenue,
        "explanation": standing.explanation,
    }
    shown = shown_metrics(standing, decimals)
    if shown:
        entry["shown"] = shown
    return entry


# The columns the roll-up reads: rows of only what the rules use, not model instances.
UNIT_COLUMNS = ("id", "code", "name", "kind", "is_collection_department")
TARGET_COLUMNS = TARGET_FIELDS
REPORT_COLUMNS = REPORT_FIELDS

# The stored inputs hold each unit's target and report as a row of values, the column names
# once at the top ("target_columns", "report_columns"), which keeps a national snapshot small.
STORED_REPORT_COLUMNS = ("status", *REPORT_COLUMNS)
CEILING_COLUMNS = ("late_max", "late_interest_max")  # Decimals, stored as text


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
        target = target_input({
            column: Decimal(target[column]) if column in CEILING_COLUMNS else target[column]
            for column in TARGET_COLUMNS
        })
    return target, result_input(report)


@contextmanager
def _cyclic_gc_paused():
    """The roll-up makes a short-lived record and JSON object for every figure of every unit,
    none in a reference cycle, so reference counting frees them all; the cyclic collector
    would still walk the whole heap again and again while they are made. Paused for the call,
    restored after (left off if the caller had turned it off)."""
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
    # the province. Filtered here rather than with unit__in=[…], which at national scale would
    # be thousands of parameters.
    reporting = {u.id for u in units}
    report_rows = {
        unit_id: row
        for unit_id, *row in Report.objects.filter(period=period).order_by()
        .values_list("unit_id", *STORED_REPORT_COLUMNS)
        if unit_id in reporting
    }
    nominations = period_nominations(period)
    rules = period_rules(period)
    decimals = rules.tie_decimals

    target_records = {
        unit_id: target_input(dict(zip(TARGET_COLUMNS, values, strict=True)))
        for unit_id, values in targets.items()
    }
    # unit id → (submitted, rules Result): each report converted once, used twice below.
    reports = {
        unit_id: (status == Report.Status.SUBMITTED,
                  result_input(dict(zip(REPORT_COLUMNS, figures, strict=True))))
        for unit_id, (status, *figures) in report_rows.items()
    }

    def unit_input(unit) -> engine.UnitInput:
        submitted, result = reports.get(unit.id, (False, None))
        return engine.UnitInput(code=unit.code, name=unit.name, target=target_records.get(unit.id),
                                result=result, submitted=submitted)

    offices = [u for u in units if u.kind == Unit.Kind.LOCAL_OFFICE]
    standings = engine.rank_local_offices([unit_input(u) for u in offices], rules)

    # R12: the collection department on the province totals of the submitted reports.
    department = next((u for u in units if u.is_collection_department), None)
    province = None
    covered = like_for_like = department_state = None
    if department is not None:
        counted = [result for submitted, result in reports.values() if submitted]
        province = engine.evaluate_province(
            department.code, department.name, target_records.get(department.id), counted, rules,
        )
        covered, department_state, like_for_like = _coverage(
            offices, standings, department, reports, target_records, rules)
        if not covered.complete and province.evaluated:
            province = province._replace(
                explanation=province_rules.incomplete_explanation(province, covered))

    # R13/R14: ranked offices first, then nominated departments in the compiler's order;
    # the collection department only when the province totals meet C1-C3.
    province_ok = province is not None and allocation.collection_department_may_be_proposed(province)
    nominated = [
        n.unit.code for n in nominations
        if not n.unit.is_collection_department or province_ok
    ]
    ranked = [s.code for s in standings if s.rank is not None]
    names = {u.code: u.name for u in units} | {n.unit.code: n.unit.name for n in nominations}
    levels = list(campaign.prize_levels.all())
    ladder = allocation.prize_ladder((level.key, level.count) for level in levels)
    proposals = allocation.allocate(ranked, nominated, ladder)
    terms = allocation.prize_terms(levels)

    applied_settings = {
        "rules_version": engine.RULES_VERSION,
        "participant_threshold": setting_text(period.participant_threshold),
        "revenue_threshold": setting_text(period.revenue_threshold),
        "tie_decimals": decimals,
        "ladder": list(ladder),
        "prizes": terms,
        "individual_amount": campaign.individual_amount,
        # What the documents of the period's dossier print about the period and campaign:
        # they read it from here, so they say what was decided whatever is edited later.
        "period": {"number": period.number, "name": period.name,
                   "first_day": period.first_day.isoformat(),
                   "last_day": period.last_day.isoformat()},
        "campaign": {"code": campaign.code, "name": campaign.name,
                     "legal_basis": campaign.legal_basis,
                     "dispatch_number": campaign.dispatch_number,
                     "dispatch_date": campaign.dispatch_date.isoformat() if campaign.dispatch_date else None},
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
        "coverage": coverage_json(covered, department_state, like_for_like, decimals) if covered else None,
        "awards": [
            {"unit": p.unit, "name": names.get(p.unit, p.unit), "prize": p.prize,
             "prize_name": terms[p.prize]["name"], "amount": terms[p.prize]["amount"],
             "individual_quota": terms[p.prize]["individual_quota"]}
            for p in proposals
        ],
    }
    return RollupResult(inputs=inputs, applied_settings=applied_settings, document=document)


def _coverage(offices, standings, department, reports, target_records, rules):
    """What the province totals cover (the offices' report states, and the department's own
    report when it has a part of its own) and the like-for-like rates over the submitted
    units' own targets, the department's being its part of the province target."""
    state_of = {s.code: s.report for s in standings}
    province_target = target_records.get(department.id)
    office_targets = [target_records[u.id] for u in offices if u.id in target_records]
    direct = (province_rules.direct_part(province_target, office_targets)
              if province_target is not None else None)
    department_report = reports.get(department.id)
    states = [state_of[u.code] for u in offices]
    parts = [
        (target_records[u.id], reports[u.id][1]) for u in offices
        if state_of[u.code] == engine.SUBMITTED and u.id in target_records
    ]
    department_state = None
    if province_rules.department_expected(direct, department_report is not None):
        submitted, result = department_report or (False, None)
        department_state = engine.report_state(engine.UnitInput(
            code=department.code, name=department.name, target=direct, result=result,
            submitted=submitted))
        states.append(department_state)
        if submitted and direct is not None:
            parts.append((direct, result))
    covered = province_rules.coverage(states)
    if covered.complete or province_target is None:
        return covered, department_state, None
    return covered, department_state, province_rules.like_for_like(parts, rules)


def coverage_json(covered: province_rules.Coverage, department_state: str | None, like_for_like,
                  decimals: int) -> dict:
    """The "coverage" of a document: how many units the province totals cover, the state of
    the collection department's own report (None when it has no part of its own), and while
    some are missing the like-for-like rates (rules.province)."""
    return {
        "expected": covered.expected, "submitted": covered.submitted, "draft": covered.draft,
        "missing": covered.missing, "complete": covered.complete, "department": department_state,
        "like_for_like": None if like_for_like is None else {
            "units": like_for_like.units,
            "participant_rate": metric_text(like_for_like.participant_rate, decimals),
            "revenue_rate": metric_text(like_for_like.revenue_rate, decimals),
            "schemes": [
                {"scheme": o.scheme, "applicable": o.applicable, "rate": metric_text(o.rate, decimals)}
                for o in like_for_like.schemes
            ],
        },
    }


PROVISIONAL_CACHE_SECONDS = 300


def campaign_fingerprint(campaign) -> tuple:
    """What the provisional rankings of all the campaign's periods depend on alike, in three
    queries: any saved target moves it (every save bumps updated_at/version; a new or deleted
    row changes a count); so does any change to the reporting units as the document shows them
    (units keep no timestamp, so their few columns are read whole: a renamed office must not
    keep its old name for five minutes), to the prize ladder or to the campaign's settings that
    reach the document. A page showing several open periods reads it once."""
    targets = Target.objects.filter(campaign_id=campaign.pk).aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"))
    units = list(reporting_units().values_list(*UNIT_COLUMNS))
    ladder = list(campaign.prize_levels.values_list("key", "name", "count", "amount", "individuals"))
    return sorted(targets.items()), units, (campaign.code, campaign.tie_decimals, ladder)


def _data_fingerprint(period: Period, shared: tuple | None) -> str:
    """What a provisional ranking depends on: any saved report or nomination of the period
    (two queries), the period's thresholds and the campaign's part (`campaign_fingerprint`,
    read here unless the caller already has it)."""
    if shared is None:
        shared = campaign_fingerprint(period.campaign)
    reports = Report.objects.filter(period=period).aggregate(
        n=Count("id"), at=Max("updated_at"), v=Sum("version"))
    nominations = Nomination.objects.filter(period=period).aggregate(
        n=Count("id"), last=Max("id"), order=Sum("order"))
    raw = repr((sorted(reports.items()), sorted(nominations.items()),
                (period.participant_threshold, period.revenue_threshold), shared))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def provisional_document(period: Period, shared: tuple | None = None) -> dict:
    """The standings of an open period as the figures stand, for the ranking page and the
    dashboard. Computing them is the costly part at national scale, so the document is cached
    until any input changes (see `_data_fingerprint`); `shared` is the campaign's
    `campaign_fingerprint`, when the caller shows several periods."""
    key = f"thidua:provisional:{period.pk}:{_data_fingerprint(period, shared)}"
    document = cache.get(key)
    if document is None:
        document = build_rollup(period).document
        cache.set(key, document, PROVISIONAL_CACHE_SECONDS)
    return document
