"""Vietnamese number and date formats for templates: 5.000.000, 91,2 %, ngày 05 tháng 11 năm 2025."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def format_number(value, decimals: int = 0) -> str:
    """Thousands with dots, decimals with a comma, rounded half-up (never through float)."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + ".".join(groups)
    return f"{text},{fraction}" if decimals > 0 else text


@register.filter
def vn_number(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def vn_percent(value, decimals=1):
    """A percentage already in percent units (Decimal("91.2")) → "91,2 %"."""
    if value is None or value == "":
        return "–"
    return f"{format_number(value, int(decimals))} %"


@register.filter
def vn_percent_as_written(value) -> str:
    """A percentage written with the places it was given (a snapshot's "85.4", "80.96",
    Decimal("81")): "85,4 %", "80,96 %", "81 %"; "–" for nothing. No rounding here: the
    places were chosen where the value was made."""
    if value is None or value == "":
        return vn_percent(None)
    number = Decimal(str(value))
    return vn_percent(number, max(0, -number.as_tuple().exponent))


@register.filter
def vn_megabytes(size: int) -> str:
    """A size in bytes as office users read it: 5242880 → "5 MB", 1572864 → "1,5 MB"."""
    megabytes = Decimal(size) / (1024 * 1024)
    places = 0 if megabytes == megabytes.to_integral_value() else 1
    return f"{format_number(megabytes, places)} MB"


@register.filter
def vn_official_date(value):
    """The date line of an official document: "ngày 05 tháng 11 năm 2025" (Decree 30/2020)."""
    if not value:
        return ""
    # Decree 30/2020: days below 10 and the months 1 and 2 take a leading zero.
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def vn_ratio(value, decimals=1):
    """An exact ratio (Fraction 0.912) → "91,2 %", rounded once, half-up (RULES.md R10)."""
    if value is None or value == "":
        return "–"
    from scoring.engine import percent  # pure module, no Django: safe to use from any layer

    return vn_percent(percent(value, int(decimals)), int(decimals))


@register.filter
def vn_ratio_beside_bound(compared, decimals=1):
    """The ratio of a scheme outcome or a criterion's check (its `rate` or `value`) against its
    `bound`, rounded once as vn_ratio does, with more places only where the rounded text would
    read as the other verdict (80,96 % beside a threshold of 81 % and ✗, not 81,0 %), as the
    standings show it (scoring.engine.shown_beside_verdict)."""
    from scoring.engine import shown_beside_verdict  # pure module, as in vn_ratio

    value = compared.rate if hasattr(compared, "rate") else compared.value
    if value is None:
        return "–"
    at_least = getattr(compared, "at_least", True)  # a scheme's rate is held at least to its threshold
    return vn_percent_as_written(shown_beside_verdict(value, compared.bound, int(decimals), at_least))


@register.filter
def vn_bound(ratio):
    """A threshold or ceiling held as an exact ratio (7/200), written as the setting it came
    from: "3,5 %", as the explanations write it."""
    if ratio is None or ratio == "":
        return "–"
    return vn_setting(Decimal(ratio.numerator * 100) / Decimal(ratio.denominator))


@register.filter
def scheme_label(key):
    from scoring.engine import SCHEME_LABELS

    return SCHEME_LABELS.get(key, key)


@register.filter
def vn_number_or_text(value):
    """Numbers in Vietnamese format; anything else (a status, a date) as it is."""
    if isinstance(value, bool) or value is None:
        return "–" if value is None else value
    if isinstance(value, int | Decimal):
        return format_number(value, 0 if isinstance(value, int) else max(0, -value.as_tuple().exponent))
    return value


@register.filter
def vn_setting(value):
    """A percent setting with the digits it has and no more: 81 → "81 %", 91,5 → "91,5 %"."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return vn_percent(number, places)


@register.filter
def vn_minutes(value):
    """A timedelta in whole minutes (django-axes gives the lockout's cool-off as a timedelta)."""
    return int(value.total_seconds() // 60)
