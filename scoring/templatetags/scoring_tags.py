from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from rules import engine
from scoring.models import prize_name_of
from scoring.selectors import schedule_note
from units.templatetags.vn import vn_percent_as_written

register = template.Library()


@register.simple_tag
def rollup_schedule_note(period) -> str:
    """scoring.selectors.schedule_note, for the ranking page and the run poller alike."""
    return schedule_note(period)


# A criterion's mark in a table cell: the symbol for the eye, the word for a screen reader.
CRITERION_MARKS = {
    None: '<span class="text-muted"><span aria-hidden="true">–</span><span class="visually-hidden">chưa xét</span></span>',
    True: '<span class="crit-ok" title="đạt"><span aria-hidden="true">✓</span><span class="visually-hidden">đạt</span></span>',
    False: '<span class="crit-fail" title="không đạt"><span aria-hidden="true">✗</span><span class="visually-hidden">không đạt</span></span>',
}


@register.filter
def criterion(ok) -> str:
    """A criterion met, failed or not judged (None): a filter rather than an included template,
    as a ranking prints three per row."""
    return mark_safe(CRITERION_MARKS[None if ok is None else bool(ok)])


REPORT_LABELS = {"submitted": "Đã gửi", "draft": "Bản nháp", "missing": "Chưa có báo cáo"}


@register.filter
def prize_label(prize, names=None) -> str:
    """The name of a prize as the roll-up gave it: an award of a document
    ({"prize": "first", "prize_name": "Giải Nhất", …}), or a level key read in `names`
    (a snapshot's prize_names)."""
    if isinstance(prize, dict):
        return prize_name_of(prize["prize"], prize)
    return (names or {}).get(prize) or prize_name_of(prize)


@register.filter
def report_label(state: str) -> str:
    return REPORT_LABELS.get(state, state)


@register.filter
def scheme_rate(row: dict, scheme: str) -> dict | None:
    """The scheme entry of a standings row, for the table's per-scheme columns."""
    return next((s for s in row.get("schemes", []) if s["scheme"] == scheme), None)


def shown_scheme_rate(entry: dict, document: dict) -> Decimal | None:
    """An applicable scheme's rate as the standings show it: rounded to the campaign's places,
    with more places when rounding would make a missed threshold look reached (80,96 % stays
    80,96, not 81,0 beside a ✗). The exact rate comes back from the entry's plan, base and
    actual through the engine's R2. The Decimal carries its places (Decimal("80.96"))."""
    if entry["rate"] is None:
        return None
    rounded = Decimal(entry["rate"])
    threshold_percent = Decimal(document["participant_threshold"])
    if (rounded >= threshold_percent) == entry["met"]:
        return rounded  # already on the side of the threshold the scheme is on
    threshold = engine.as_ratio(threshold_percent)
    outcome = engine.scheme_outcome(
        entry["scheme"], engine.SchemeTarget(entry["plan"], entry["base"]),
        engine.SchemeResult(entry["actual"], 0), threshold,
    )
    return engine.shown_percent(outcome.rate, threshold, document["tie_decimals"])


@register.filter
def shown_metric(row: dict, key: str) -> str:
    """A standings row's metric as text, with the extra places the roll-up stored when the
    rounded value would read as the wrong side of its bound (see rollup.shown_metrics)."""
    return vn_percent_as_written(row.get("shown", {}).get(key) or row["metrics"].get(key))


@register.filter
def scheme_rate_text(entry: dict, document: dict) -> str:
    """`shown_scheme_rate` as text: "80,96 %"."""
    return vn_percent_as_written(shown_scheme_rate(entry, document))
