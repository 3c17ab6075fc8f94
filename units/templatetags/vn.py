"""Vietnamese number and date formats for templates: 5.000.000, 91,2 %, ngày 05 tháng 11 năm yyyy."""

from decimal import Decimal

from django import template

from rules import engine
from rules.formatting import (
    NOTHING,
    format_number,
    format_number_as_written,
    format_percent,
    format_setting,
)

register = template.Library()


@register.filter
def vn_number(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def vn_percent(value, decimals=1):
    """A percentage already in percent units (Decimal("91.2")) → "91,2 %"."""
    return format_percent(value, int(decimals))


@register.filter
def vn_percent_as_written(value) -> str:
    """A percentage written with the places it was given (a snapshot's "85.4", "80.96",
    Decimal("81")): "85,4 %", "80,96 %", "81 %"; "–" for nothing. No rounding here: the
    places were chosen where the value was made."""
    return format_percent(value)


@register.filter
def vn_megabytes(size: int) -> str:
    """A size in bytes as office users read it: 5242880 → "5 MB", 1572864 → "1,5 MB"."""
    megabytes = Decimal(size) / (1024 * 1024)
    places = 0 if megabytes == megabytes.to_integral_value() else 1
    return f"{format_number(megabytes, places)} MB"


@register.filter
def vn_official_date(value):
    """The date line of an official document: "ngày 05 tháng 11 năm yyyy" (Decree 30/2020)."""
    if not value:
        return ""
    # Decree 30/2020: days below 10 and the months 1 and 2 take a leading zero.
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def vn_ratio(value, decimals=1):
    """An exact ratio (Fraction 0.912) → "91,2 %", rounded once, half-up (docs/rules.md R10)."""
    if value is None or value == "":
        return NOTHING
    return format_percent(engine.percent(value, int(decimals)))


@register.filter
def vn_ratio_beside_bound(compared, decimals=1):
    """The ratio of a scheme outcome or a criterion's check (its `rate` or `value`) against its
    `bound`, rounded once as vn_ratio does, with more places only where the rounded text would
    read as the other verdict (80,96 % beside a threshold of 81 % and ✗, not 81,0 %), as the
    standings show it (rules.engine.shown_beside_verdict)."""
    value = compared.rate if hasattr(compared, "rate") else compared.value
    if value is None:
        return NOTHING
    at_least = getattr(compared, "at_least", True)  # a scheme's rate is held at least to its threshold
    return format_percent(engine.shown_beside_verdict(value, compared.bound, int(decimals), at_least))


@register.filter
def vn_bound(ratio):
    """A threshold or ceiling held as an exact ratio (7/200), written as the setting it came
    from: "3,5 %", as the explanations write it."""
    if ratio is None or ratio == "":
        return NOTHING
    return format_setting(engine.as_percent(ratio))


@register.filter
def scheme_label(key):
    return engine.SCHEME_LABELS.get(key, key)


@register.filter
def vn_number_or_text(value):
    """Numbers in Vietnamese format; anything else (a status, a date) as it is."""
    if isinstance(value, bool) or value is None:
        return NOTHING if value is None else value
    if isinstance(value, int | Decimal):
        return format_number_as_written(value)
    return value


@register.filter
def vn_setting(value):
    """A percent setting with the digits it has and no more: 81 → "81 %", 91,5 → "91,5 %"."""
    return format_setting(value)


@register.filter
def vn_minutes(value):
    """A timedelta in whole minutes (django-axes gives the lockout's cool-off as a timedelta)."""
    return int(value.total_seconds() // 60)
